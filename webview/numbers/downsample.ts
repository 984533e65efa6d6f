/**
 * Min/max per pixel column for the timeline at any zoom: every batch in view lands in exactly
 * one column, and each column keeps the bits of all causes it holds, so a reset is never lost.
 */
import { CAUSES } from '../../src/shared/causes';
import { BLOCK_SIZES, RangePlan, columnStart, planRange } from './blockLevels';
import type { CauseBlocks } from './causeBlocks';

/** Per-column aggregates; reused between frames to spare the garbage collector. */
export interface Columns {
  width: number;
  /** Batches in the column (0: empty, e.g. past the last batch). */
  count: Uint32Array;
  /** Bit (1 << cause code) of every cause in the column. */
  mask: Uint16Array;
  min: Float32Array;
  max: Float32Array;
  /** First batch of the column, or -1. */
  first: Int32Array;
  /** Batches per cause code in each column: [column * CAUSE_SLOTS + code]. */
  byCause: Uint32Array;
  /** The `marks` bits (see RunModel.marks) of every batch in the column, or-ed. */
  marks: Uint8Array;
  /** The view aggregated through the blocks, over `n` batches (undefined: batch by batch). */
  basis?: { n: number; start: number; end: number };
}

/** Slots per column in `byCause` (one per cause code). */
export const CAUSE_SLOTS = CAUSES.length;

/** Allocates (or reuses) columns for `width`. */
export function columnsFor(width: number, previous?: Columns): Columns {
  if (previous && previous.width === width) return previous;
  return {
    width,
    count: new Uint32Array(width),
    mask: new Uint16Array(width),
    min: new Float32Array(width),
    max: new Float32Array(width),
    first: new Int32Array(width),
    byCause: new Uint32Array(width * CAUSE_SLOTS),
    marks: new Uint8Array(width),
  };
}

/**
 * Aggregates batches [start, end) of the view (batch units, fractional) into `width` columns.
 * `values` is any per-batch series (e.g. the initial-state norm); `causes` holds cause codes; `n` batches exist.
 * With `blocks` (the same tracks summarised, up to `n`), a column of many batches costs O(levels):
 * the result is the same as batch by batch. `unchangedBefore`: the tracks' batches before it are
 * those `previous` was aggregated from (a live run appends): for the same view, only the columns from
 * the one holding that batch on are aggregated again.
 */
export function downsample(
  values: ArrayLike<number>,
  causes: ArrayLike<number>,
  n: number,
  start: number,
  end: number,
  width: number,
  previous?: Columns,
  marks?: ArrayLike<number>,
  blocks?: CauseBlocks,
  unchangedBefore = 0,
): Columns {
  const cols = columnsFor(width, previous);
  const before = cols.basis;
  cols.basis = undefined;
  const perColumn = (end - start) / width;
  const from = Math.max(0, Math.floor(start));
  const to = Math.min(n, Math.ceil(end));
  if (blocks && blocks.length === n && perColumn >= BLOCK_SIZES[0]) {
    const columnOf = (i: number) => Math.min(width - 1, Math.max(0, Math.floor((i - start) / perColumn)));
    let lower = from;
    if (before && before.start === start && before.end === end && before.n <= n) {
      // The columns wholly before the first batch that may differ are kept.
      const resumeAt = Math.max(from, Math.min(unchangedBefore, before.n) - 1);
      const column = columnOf(resumeAt);
      lower = column === 0 ? from : columnStart(column, resumeAt, from, to, columnOf);
      clear(cols, column);
    } else clear(cols, 0);
    fromBlocks(cols, values, causes, marks, blocks, n, start, perColumn, lower, to);
    cols.basis = { n, start, end };
    return cols;
  }
  clear(cols, 0);
  for (let i = from; i < to; i++) {
    // The batch's left edge decides its column; a batch partly left of the view goes to column 0.
    let col = Math.floor((i - start) / perColumn);
    if (col < 0) col = 0;
    else if (col >= width) col = width - 1;
    const v = values[i];
    if (cols.count[col]++ === 0) cols.first[col] = i;
    cols.mask[col] |= 1 << causes[i];
    cols.byCause[col * CAUSE_SLOTS + causes[i]]++;
    if (marks) cols.marks[col] |= marks[i];
    // NaN compares false: a batch without a norm (unreadable) moves neither extreme.
    if (v < cols.min[col]) cols.min[col] = v;
    if (v > cols.max[col]) cols.max[col] = v;
  }
  return cols;
}

/** Empties columns `from`… of `cols`. */
function clear(cols: Columns, from: number): void {
  cols.count.fill(0, from);
  cols.mask.fill(0, from);
  cols.min.fill(Number.POSITIVE_INFINITY, from);
  cols.max.fill(Number.NEGATIVE_INFINITY, from);
  cols.first.fill(-1, from);
  cols.byCause.fill(0, from * CAUSE_SLOTS);
  cols.marks.fill(0, from);
}

/** Scratch plan shared by every call (the webview is single-threaded). */
const PLAN = new RangePlan();

/** `downsample` over whole blocks: each column's batch range, exactly as the per-batch formula cuts it, then its blocks. */
function fromBlocks(
  cols: Columns,
  values: ArrayLike<number>,
  causes: ArrayLike<number>,
  marks: ArrayLike<number> | undefined,
  blocks: CauseBlocks,
  n: number,
  start: number,
  perColumn: number,
  from: number,
  to: number,
): void {
  const width = cols.width;
  const columnOf = (i: number) => Math.min(width - 1, Math.max(0, Math.floor((i - start) / perColumn)));
  const plan = PLAN;
  let col = 0;
  let lo = from;
  for (col = columnOf(from); lo < to && col < width; col++) {
    const hi =
      col === width - 1 ? to : columnStart(col + 1, Math.ceil(start + (col + 1) * perColumn), lo, to, columnOf);
    if (hi > lo) {
      cols.count[col] = hi - lo;
      cols.first[col] = lo;
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      let mask = 0;
      let bits = 0;
      const slot = col * CAUSE_SLOTS;
      const length = planRange(lo, hi, n, plan);
      const items = plan.items;
      for (let p = 0; p < length; p += 2) {
        const level = items[p];
        const k = items[p + 1];
        if (level < 0) {
          const code = causes[k];
          mask |= 1 << code;
          cols.byCause[slot + code]++;
          if (marks) bits |= marks[k];
          const v = values[k];
          if (v < min) min = v;
          if (v > max) max = v;
        } else {
          const b = blocks.levels[level];
          const has = b.mask[k];
          mask |= has;
          if (marks) bits |= b.marks[k];
          // Only the causes present (one to three, of CAUSE_SLOTS): lowest set bit first.
          for (let bits = has; bits !== 0; bits &= bits - 1) {
            const code = 31 - Math.clz32(bits & -bits);
            cols.byCause[slot + code] += b.byCause[k * CAUSE_SLOTS + code];
          }
          if (b.min[k] < min) min = b.min[k];
          if (b.max[k] > max) max = b.max[k];
        }
      }
      cols.mask[col] = mask;
      cols.marks[col] = bits;
      cols.min[col] = min;
      cols.max[col] = max;
    }
    lo = hi;
  }
}
