/** Pure numbers behind the inspector: differences and continuity between batches. */

/** Row-wise |a − b|, the largest per row, and the overall largest; arrays are [rows × units] row-major. */
export function maxAbsDiff(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  rows: number,
  units: number,
): { perRow: Float64Array; max: number } {
  const perRow = new Float64Array(rows);
  let max = 0;
  for (let r = 0; r < rows; r++) {
    let m = 0;
    for (let u = 0; u < units; u++) {
      const d = Math.abs(a[r * units + u] - b[r * units + u]);
      if (d > m) m = d;
    }
    perRow[r] = m;
    if (m > max) max = m;
  }
  return { perRow, max };
}

/** b − a, element-wise. */
export function difference(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = b[i] - a[i];
  return out;
}

/** Largest |value| (the symmetric colour scale of a heatmap); 1 for an all-zero matrix so zeros stay neutral. */
export function absMax(...arrays: ArrayLike<number>[]): number {
  let max = 0;
  for (const values of arrays)
    for (let i = 0; i < values.length; i++) {
      const v = Math.abs(values[i]);
      if (v > max) max = v;
    }
  return max || 1;
}
