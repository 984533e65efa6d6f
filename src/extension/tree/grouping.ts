/**
 * Groups the batches of one epoch into ranges so no tree node has more than `max` children.
 * A level of span S holds ranges of S batches (S a power of `max`); a range's children have
 * span S / max, down to single batches. Ranges are keyed by (start, span) and only their end
 * moves while an epoch grows, so a live epoch keeps its nodes and only one container changes.
 */

/** Children per node before batches are grouped in ranges. */
export const MAX_CHILDREN = 500;

/** A child of an epoch or range: a range of batch indices [start, end) or one batch. */
export type GroupChild = { kind: 'range'; start: number; end: number; span: number } | { kind: 'batch'; index: number };

/** Span of the epoch's top level for `count` batches: 1 (batches directly) or a power of max. */
export function topSpan(count: number, max = MAX_CHILDREN): number {
  let span = 1;
  while (Math.ceil(count / span) > max) span *= max;
  return span;
}

/** Children of the level of span `span` covering [start, end). */
export function groupChildren(start: number, end: number, span: number, max = MAX_CHILDREN): GroupChild[] {
  const children: GroupChild[] = [];
  if (span === 1) {
    for (let index = start; index < end; index++) children.push({ kind: 'batch', index });
    return children;
  }
  for (let at = start; at < end; at += span) {
    children.push({ kind: 'range', start: at, end: Math.min(end, at + span), span: span / max });
  }
  return children;
}

/** The container whose children are the level `childSpan` under it: the epoch or a range. */
export type Container = { kind: 'epoch' } | { kind: 'range'; start: number; span: number };

/**
 * The ranges from the top of an epoch of `count` batches down to the batch at `index`,
 * outermost first (empty when batches hang directly under the epoch).
 */
export function rangesTo(index: number, count: number, max = MAX_CHILDREN): Array<{ start: number; span: number }> {
  const path: Array<{ start: number; span: number }> = [];
  for (let span = topSpan(count, max); span > 1; span /= max) {
    // A range of `span` batches has children of span / max; it is keyed by its start and child span.
    path.push({ start: Math.floor(index / span) * span, span: span / max });
  }
  return path;
}

/**
 * Which node's children changed when batch `index` was appended to an epoch (count is now
 * index + 1): 'run' for a new epoch, the epoch when the grouping deepened or a new top-level
 * child appeared, else the one range that gained a child.
 */
export function changedOnAppend(index: number, max = MAX_CHILDREN): { kind: 'run' } | Container {
  if (index === 0) return { kind: 'run' };
  const count = index + 1;
  if (topSpan(count, max) !== topSpan(index, max)) return { kind: 'epoch' };
  let container: Container = { kind: 'epoch' };
  for (let span = topSpan(count, max); span > 1; span /= max) {
    // The batch opens a new range at this level: the container gains a child.
    if (index % span === 0) return container;
    container = { kind: 'range', start: Math.floor(index / span) * span, span: span / max };
  }
  return container;
}
