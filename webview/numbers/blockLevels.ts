/**
 * The block layout of per-block summaries (a pyramid): level L cuts the batches into aligned blocks of
 * BLOCK_SIZES[L] batches (16, 128, 1024, …). A range of batches is then the fewest whole blocks plus
 * at most a few dozen single batches at its ends, so aggregating a pixel column costs O(levels), not
 * O(batches in it). The last block of a level may be partial (a live run's newest batches).
 */

/** Batches per block at each level: 16 · 8^L. */
export const BLOCK_SIZES: readonly number[] = [16, 128, 1024, 8192, 65536, 524288, 4194304];
const LEVELS = BLOCK_SIZES.length;

/** Blocks of level `level` that hold `n` batches (the last one maybe partial). */
export function blockCount(level: number, n: number): number {
  return Math.ceil(n / BLOCK_SIZES[level]);
}

/**
 * Plans batches [a, b) of `n`, in order, as the fewest whole blocks inside it (a partial last block
 * counts as whole when the range runs to `n`) and the single batches around them: writes pairs
 * (level, block index), or (-1, batch) for a single batch, into `plan` and returns how many numbers it
 * wrote. A plan, not callbacks: the callers' loops over it stay monomorphic and fast.
 */
export function planRange(a: number, b: number, n: number, plan: RangePlan): number {
  let i = a;
  let at = 0;
  let buffer: Int32Array = plan.items;
  while (i < b) {
    if (at + 2 > buffer.length) buffer = plan.reserve(at + 2);
    // The largest block that starts at i and ends by b: a block that does not fit (or is not aligned
    // at i) has no larger one that does.
    let level = -1;
    for (let l = 0; l < LEVELS; l++) {
      const size = BLOCK_SIZES[l];
      if (i % size !== 0 || Math.min(i + size, n) > b) break;
      level = l;
    }
    if (level < 0) {
      buffer[at++] = -1;
      buffer[at++] = i++;
    } else {
      const size = BLOCK_SIZES[level];
      buffer[at++] = level;
      buffer[at++] = i / size;
      i = Math.min(i + size, n);
    }
  }
  return at;
}

/** Scratch memory for `planRange`, reused from column to column. */
export class RangePlan {
  items = new Int32Array(256);

  reserve(length: number): Int32Array {
    if (length > this.items.length) {
      const next = new Int32Array(Math.max(length, this.items.length * 2));
      next.set(this.items);
      this.items = next;
    }
    return this.items;
  }
}

/**
 * After batches from `from` on changed (appended), every block that holds one of them, level by level
 * from the bottom (a level's blocks are made from the level below): `update(level, index, start, end)`.
 */
export function refreshBlocks(
  from: number,
  n: number,
  update: (level: number, index: number, start: number, end: number) => void,
): void {
  for (let l = 0; l < LEVELS; l++) {
    const size = BLOCK_SIZES[l];
    for (let k = Math.floor(from / size); k * size < n; k++) update(l, k, k * size, Math.min(k * size + size, n));
  }
}

/** The children (blocks of the level below, or batches at level 0) of block `index` of `level`: [first, last). */
export function childrenOf(level: number, index: number, n: number): [number, number] {
  const size = BLOCK_SIZES[level];
  const start = index * size;
  const end = Math.min(start + size, n);
  if (level === 0) return [start, end];
  const below = BLOCK_SIZES[level - 1];
  return [start / below, Math.ceil(end / below)];
}

/**
 * A typed array with room for `needed` entries, keeping its contents; grown with a quarter to spare
 * (at least half again), so that a live run's next batches do not copy it again at once.
 */
export function withRoom<T extends Float64Array | Float32Array | Int32Array | Uint32Array | Uint16Array | Uint8Array>(
  array: T,
  needed: number,
  make: (length: number) => T,
): T {
  if (needed <= array.length) return array;
  const next = make(Math.max(needed + (needed >> 2), Math.ceil(array.length * 1.5), 64));
  next.set(array);
  return next;
}

/**
 * The first batch `i` in [lo, hi) with `columnOf(i) >= column` (columnOf non-decreasing), found from a
 * guess: where a pixel column of the view starts, exactly as the per-batch formula would put it.
 */
export function columnStart(
  column: number,
  guess: number,
  lo: number,
  hi: number,
  columnOf: (i: number) => number,
): number {
  let i = Math.min(Math.max(guess, lo), hi);
  while (i > lo && columnOf(i - 1) >= column) i--;
  while (i < hi && columnOf(i) < column) i++;
  return i;
}
