/** Numbers as the panel writes them in labels, tooltips and readouts. */

/** Formats a number compactly; a non-finite value is shown as what it is (NaN, Infinity). */
export function fmt(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e4 || abs < 1e-3 ? value.toExponential(2) : Number(value.toPrecision(digits)).toString();
}
