/**
 * What the loss chart plots for a view: the raw points when few are visible, else the min and max
 * of each pixel column (in the order they occurred). uPlot then draws a few thousand points
 * whatever the run length, and no spike is lost.
 */

/** Points for uPlot, in reused buffers; only the first `length` entries count. */
export interface Envelope {
  x: Float64Array;
  loss: Float64Array;
  ema: Float64Array;
  length: number;
}

/** Allocates buffers for up to `points` points (reusing `previous` if large enough). */
function buffers(points: number, previous?: Envelope): Envelope {
  if (previous && previous.x.length >= points) return { ...previous, length: 0 };
  return { x: new Float64Array(points), loss: new Float64Array(points), ema: new Float64Array(points), length: 0 };
}

/** Batches [start, end) of the view over `columns` pixel columns; batch i is plotted at x = i + 0.5. */
export function lossEnvelope(
  loss: ArrayLike<number>,
  ema: ArrayLike<number>,
  n: number,
  start: number,
  end: number,
  columns: number,
  previous?: Envelope,
): Envelope {
  // One batch of margin each side so the line runs to the edges of the plot.
  const from = Math.max(0, Math.floor(start) - 1);
  const to = Math.min(n, Math.ceil(end) + 1);
  const visible = Math.max(0, to - from);
  if (visible <= columns * 2) {
    const out = buffers(visible, previous);
    for (let i = from; i < to; i++) push(out, i + 0.5, loss[i], ema[i]);
    return out;
  }
  const out = buffers(columns * 2 + 4, previous);
  const perColumn = (end - start) / columns;
  let col = -1;
  let lo = 0,
    hi = 0,
    loAt = 0,
    hiAt = 0,
    emaLo = 0,
    emaHi = 0;
  const flush = () => {
    if (col < 0) return;
    const x0 = start + col * perColumn;
    // The extreme that came first is plotted first, so the line keeps its shape.
    const [first, second] =
      loAt <= hiAt
        ? [
            [lo, emaLo],
            [hi, emaHi],
          ]
        : [
            [hi, emaHi],
            [lo, emaLo],
          ];
    push(out, x0 + perColumn * 0.25, first[0], first[1]);
    push(out, x0 + perColumn * 0.75, second[0], second[1]);
  };
  for (let i = from; i < to; i++) {
    const c = Math.floor((i + 0.5 - start) / perColumn);
    const v = loss[i];
    if (c !== col) {
      flush();
      col = c;
      lo = hi = v;
      loAt = hiAt = i;
      emaLo = emaHi = ema[i];
      continue;
    }
    // NaN compares false: a NaN loss never becomes an extreme.
    if (v < lo) {
      lo = v;
      loAt = i;
      emaLo = ema[i];
    }
    if (v > hi) {
      hi = v;
      hiAt = i;
      emaHi = ema[i];
    }
  }
  flush();
  return out;
}

function push(out: Envelope, x: number, loss: number, ema: number): void {
  out.x[out.length] = x;
  out.loss[out.length] = loss;
  out.ema[out.length] = ema;
  out.length++;
}
