/**
 * Where a batch sits on a comparison's shared x axis: by step (batch i at [i, i + 1)), or by epoch
 * (epoch e spans [e, e + 1), its batches evenly inside), so that runs with different epoch lengths line up.
 */
import type { Alignment } from '../../src/shared/channels/keptComparison';
import type { Viewport } from '../numbers/viewport';

export type { Alignment };

/** The epochs of a run: where each starts (ascending) and its number; `length` batches in all. */
export interface EpochIndex {
  epochStarts: readonly number[];
  epochNumbers: readonly number[];
  length: number;
}

/** Index of the last entry ≤ `value` in ascending `list` (0 when none is). */
function lastAtMost(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (list[mid] <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** x of the start of batch `step` (fractional steps allowed). */
export function xOfStep(run: EpochIndex, step: number, align: Alignment): number {
  if (align === 'step' || !run.epochStarts.length) return step;
  const k = lastAtMost(run.epochStarts, step);
  const start = run.epochStarts[k];
  const end = run.epochStarts[k + 1] ?? run.length;
  return run.epochNumbers[k] + (step - start) / Math.max(1, end - start);
}

/** The step at x (inverse of xOfStep, linear within an epoch). */
export function stepOfX(run: EpochIndex, x: number, align: Alignment): number {
  if (align === 'step' || !run.epochStarts.length) return x;
  const numbers = run.epochNumbers;
  const k = lastAtMost(numbers, Math.floor(x));
  const start = run.epochStarts[k];
  const end = run.epochStarts[k + 1] ?? run.length;
  const within = Math.max(0, x - numbers[k]);
  // Past its last epoch a run's axis goes on at that epoch's pace, so a run of fewer epochs ends where
  // its epochs end in the shared view (and its timeline is not stretched over the longer run's).
  return start + (k + 1 < numbers.length ? Math.min(1, within) : within) * (end - start);
}

/** The run's own batch range for the shared view (what its timeline draws). */
export function runViewport(run: EpochIndex, shared: Viewport, align: Alignment): Viewport {
  if (align === 'step') return shared;
  const start = stepOfX(run, shared.start, align);
  const end = stepOfX(run, shared.end, align);
  return { start, end: Math.max(end, start + 1e-6) };
}

/** The extent of the shared axis: the longest run, in steps or in epochs. */
export function sharedDomain(runs: readonly EpochIndex[], align: Alignment): number {
  return Math.max(
    4,
    ...runs.map((r) =>
      align === 'step' ? r.length : r.epochNumbers.length ? r.epochNumbers[r.epochNumbers.length - 1] + 1 : 0,
    ),
  );
}
