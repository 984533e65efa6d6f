/**
 * Which batches the Runs tree shows under a run: all of them, only those that started from zeros
 * (the resets), or only those of one cause. Kept per run, so finding the epoch with the one manual
 * reset of a long run takes one pick instead of scrolling.
 */
import { CAUSE_LABELS, RESET_CAUSES, type InitialStateCause } from '../../shared/causes';

export type BatchFilter = { kind: 'resets' } | { kind: 'cause'; cause: InitialStateCause };

/** Whether the tree shows a batch of this cause under the filter. */
export function matchesFilter(filter: BatchFilter, cause: InitialStateCause): boolean {
  return filter.kind === 'resets' ? RESET_CAUSES.includes(cause) : cause === filter.cause;
}

/** e.g. "resets only" or "zeros (manual reset)". */
export function describeFilter(filter: BatchFilter): string {
  return filter.kind === 'resets' ? 'resets only' : CAUSE_LABELS[filter.cause];
}

/** Whether a stored value is a filter (state kept across reloads may be stale or edited). */
export function isBatchFilter(value: unknown): value is BatchFilter {
  if (typeof value !== 'object' || value === null) return false;
  const filter = value as { kind?: unknown; cause?: unknown };
  return (
    filter.kind === 'resets' ||
    (filter.kind === 'cause' && typeof filter.cause === 'string' && filter.cause in CAUSE_LABELS)
  );
}

/** The positions the tree shows of an epoch's batches: all of them, or the indices (in the epoch) that match. */
export interface EpochView {
  /** How many the tree shows. */
  count: number;
  /** The batch index (within the epoch) at a shown position. */
  indexAt(position: number): number;
  /** The shown position of a batch index, or -1 when the filter hides it. */
  positionOf(index: number): number;
}

export function allOf(count: number): EpochView {
  return { count, indexAt: (position) => position, positionOf: (index) => (index < count ? index : -1) };
}

export function matchingOf(indices: number[]): EpochView {
  return {
    count: indices.length,
    indexAt: (position) => indices[position],
    positionOf: (index) => {
      // indices ascend: binary search.
      let lo = 0;
      let hi = indices.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (indices[mid] === index) return mid;
        if (indices[mid] < index) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    },
  };
}
