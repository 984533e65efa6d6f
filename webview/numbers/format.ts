/** Numbers as the panel writes them in labels, tooltips and readouts. */

import { showNumber } from '../../src/shared/showNumber';

/** Formats a number compactly; a non-finite value is shown as what it is (NaN, Infinity), an unknown one as a dash. */
export function fmt(value: number | null, digits = 4): string {
  return showNumber(value, (v) => {
    if (v === 0) return '0';
    const abs = Math.abs(v);
    return abs >= 1e4 || abs < 1e-3 ? v.toExponential(2) : Number(v.toPrecision(digits)).toString();
  });
}

/** The moving average at a step: the EMA skips non-finite losses, so at one it has no value of its own ("—"), never "NaN". */
export function fmtSmoothed(value: number | null | undefined): string {
  return value !== null && value !== undefined && Number.isFinite(value) ? fmt(value) : '—';
}
