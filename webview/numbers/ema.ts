/** Exponential moving average of the loss, debiased as TensorBoard's smoothing is. */

/**
 * Smoothed copy of `values[0..count)` with weight `smoothing` in [0, 1): at step k the average of the
 * finite values so far, weighted s^(k-j), divided by 1 − s^k (the weight accumulated), so the line
 * starts on the data instead of at 0. A non-finite value is a gap (NaN out) and leaves the average as it was.
 */
export function emaOf(
  values: ArrayLike<number>,
  count: number,
  smoothing: number,
  out = new Float64Array(count),
): Float64Array {
  return extendEma(values, 0, count, smoothing, out, { last: 0, weight: 0 });
}

/** Running state, so live batches extend the average without recomputing it. */
export interface EmaState {
  last: number;
  weight: number;
}

/** Fills `out[from..to)`; `state` carries the un-debiased average and the accumulated weight; `skip(i)` leaves i out (NaN). */
export function extendEma(
  values: ArrayLike<number>,
  from: number,
  to: number,
  smoothing: number,
  out: Float64Array,
  state: EmaState,
  skip?: (i: number) => boolean,
): Float64Array {
  const s = Math.min(Math.max(smoothing, 0), 0.999);
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || skip?.(i)) {
      out[i] = Number.NaN;
      continue;
    }
    state.last = s * state.last + (1 - s) * v;
    state.weight = s * state.weight + (1 - s);
    // Dividing by the weight (1 − s^k after k values) removes the pull towards 0 of the first values.
    out[i] = state.last / state.weight;
  }
  return out;
}
