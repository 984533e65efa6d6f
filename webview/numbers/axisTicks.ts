/** Ticks of the loss chart's x axis, whose positions are batches (batch i spans [i, i + 1)): by step, by epoch, or by time. */
import { epochLabelStride } from './epochLabels';

/** A tick: where (x, in batches) and its label. */
export interface Tick {
  x: number;
  label: string;
}

/** The smallest of 1, 2, 5 × 10^k that is ≥ `raw`. */
function niceIncrement(raw: number, bases: readonly number[] = [1, 2, 5]): number {
  const scale = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  for (const base of [...bases, 10]) if (base * scale >= raw) return base * scale;
  return 10 * scale;
}

/** Whole steps at the centre of their batch, at most `maxTicks` across [min, max]. */
export function stepTicks(min: number, max: number, maxTicks: number): Tick[] {
  const incr = Math.max(1, niceIncrement((max - min) / Math.max(1, maxTicks)));
  const ticks: Tick[] = [];
  for (let k = Math.ceil((min - 0.5) / incr) * incr; k + 0.5 <= max; k += incr)
    if (k >= 0) ticks.push({ x: k + 0.5, label: String(k) });
  return ticks;
}

/** Epoch starts labelled with the epoch number from 1, every stride-th so that labels never crowd. */
export function epochTicks(
  starts: readonly number[],
  numbers: readonly number[],
  min: number,
  max: number,
  plotPx: number,
  labelPx: number,
): Tick[] {
  const inView = starts.filter((s) => s >= min && s <= max).length;
  const pxPerEpoch = inView > 0 ? plotPx / Math.max(1, inView) : plotPx;
  const stride = epochLabelStride(pxPerEpoch, labelPx);
  const ticks: Tick[] = [];
  starts.forEach((s, i) => {
    const n = numbers[i] + 1;
    if (s >= min && s <= max && (n % stride === 0 || stride === 1)) ticks.push({ x: s, label: String(n) });
  });
  return ticks;
}

const TIME_STEPS = [
  0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
  14400, 43200, 86400,
];

/** "12 s", "1:05", "1:00:00". */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Number(seconds.toPrecision(3))} s`;
  const s = Math.round(seconds);
  const pad = (v: number) => String(v).padStart(2, '0');
  return s < 3600
    ? `${Math.floor(s / 60)}:${pad(s % 60)}`
    : `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/**
 * Round times (s) placed at the first batch whose end reaches them; `elapsed[i]` is the time at the
 * end of batch i (ascending). At most `maxTicks` across [min, max].
 */
export function timeTicks(elapsed: ArrayLike<number>, n: number, min: number, max: number, maxTicks: number): Tick[] {
  if (n === 0) return [];
  const first = Math.max(0, Math.min(n - 1, Math.floor(min)));
  const last = Math.max(0, Math.min(n - 1, Math.ceil(max) - 1));
  const t0 = first > 0 ? elapsed[first - 1] : 0;
  const t1 = elapsed[last];
  const incr = TIME_STEPS.find((step) => (t1 - t0) / step <= maxTicks) ?? niceIncrement((t1 - t0) / maxTicks);
  const ticks: Tick[] = [];
  let previous = -1;
  // From the first round time after the view's start (a batch is labelled with a time it reached).
  for (let t = (Math.floor(t0 / incr + 1e-9) + 1) * incr; t <= t1 + 1e-9; t += incr) {
    // Binary search: the first batch whose end time reaches t.
    let lo = first;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (elapsed[mid] >= t - 1e-9) hi = mid;
      else lo = mid + 1;
    }
    if (lo === previous) continue;
    previous = lo;
    ticks.push({ x: lo + 0.5, label: formatSeconds(Number(t.toFixed(6))) });
  }
  return ticks;
}
