/** Exponential moving average of the loss, debiased like TensorBoard's smoothing. */

/** Smoothed copy of `values[0..count)` with weight `smoothing` in [0, 1); NaN values carry the previous average. */
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

/** Fills `out[from..to)`; `state` carries the un-debiased average and the accumulated weight. */
export function extendEma(
  values: ArrayLike<number>,
  from: number,
  to: number,
  smoothing: number,
  out: Float64Array,
  state: EmaState,
): Float64Array {
  const s = Math.min(Math.max(smoothing, 0), 0.999);
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      state.last = s * state.last + (1 - s) * v;
      state.weight = s * state.weight + (1 - s);
    }
    // Dividing by the weight removes the pull towards 0 of the first values.
    out[i] = state.weight > 0 ? state.last / state.weight : Number.NaN;
  }
  return out;
}
