/**
 * Per-block summaries of the timeline's tracks (see blockLevels.ts), built once in O(n) when a run
 * loads and extended as live batches arrive: per block the causes it holds (bits and counts), the
 * `marks` bits, and the smallest and largest value (NaN, a batch without a value, moves neither).
 */
import { CAUSES } from '../../src/shared/causes';
import { BLOCK_SIZES, blockCount, childrenOf, refreshBlocks, withRoom } from './blockLevels';

const LEVELS = BLOCK_SIZES.length;

/** Slots per block in `byCause` (one per cause code). */
const SLOTS = CAUSES.length;

/** The per-batch tracks summarised. */
export interface CauseTracks {
  /** E.g. the initial-state norm; NaN: no value. */
  values: ArrayLike<number>;
  /** Cause codes (index in CAUSES). */
  causes: ArrayLike<number>;
  /** RunModel.marks bits. */
  marks: ArrayLike<number>;
}

/** One level's blocks. */
export interface CauseLevel {
  mask: Uint16Array;
  marks: Uint8Array;
  min: Float32Array;
  max: Float32Array;
  /** [block * SLOTS + code]: batches of each cause. */
  byCause: Uint32Array;
}

const emptyLevel = (): CauseLevel => ({
  mask: new Uint16Array(0),
  marks: new Uint8Array(0),
  min: new Float32Array(0),
  max: new Float32Array(0),
  byCause: new Uint32Array(0),
});

/** The summaries of batches [0, length) at every level. */
export class CauseBlocks {
  readonly levels: CauseLevel[] = BLOCK_SIZES.map(emptyLevel);
  length = 0;

  /** Forgets every batch (a new run). */
  reset(): void {
    this.length = 0;
  }

  /** Brings the summaries up to `n` batches (the ones from `length` on are new). */
  extend(tracks: CauseTracks, n: number): void {
    if (n <= this.length) return;
    this.levels.forEach((level, l) => this.reserve(level, blockCount(l, n)));
    refreshBlocks(this.length, n, (l, k) => this.summarise(tracks, l, k, n));
    this.length = n;
  }

  /**
   * The first batch in [from, to) whose `marks` have `bit`, or -1: whole blocks without the bit are
   * skipped, so finding the few marked batches of a million costs O(levels) each.
   */
  nextMarked(marks: ArrayLike<number>, bit: number, from: number, to: number): number {
    const n = Math.min(to, this.length);
    let i = Math.max(0, from);
    while (i < n) {
      let level = -1;
      for (let l = 0; l < LEVELS; l++) {
        const size = BLOCK_SIZES[l];
        if (i % size !== 0 || Math.min(i + size, this.length) > n) break;
        level = l;
      }
      if (level >= 0 && !(this.levels[level].marks[i / BLOCK_SIZES[level]] & bit)) {
        i = Math.min(i + BLOCK_SIZES[level], this.length);
        continue;
      }
      if (marks[i] & bit) return i;
      i++;
    }
    return -1;
  }

  private reserve(level: CauseLevel, blocks: number): void {
    level.mask = withRoom(level.mask, blocks, (k) => new Uint16Array(k));
    level.marks = withRoom(level.marks, blocks, (k) => new Uint8Array(k));
    level.min = withRoom(level.min, blocks, (k) => new Float32Array(k));
    level.max = withRoom(level.max, blocks, (k) => new Float32Array(k));
    level.byCause = withRoom(level.byCause, blocks * SLOTS, (k) => new Uint32Array(k));
  }

  private summarise(tracks: CauseTracks, l: number, k: number, n: number): void {
    const out = this.levels[l];
    const [first, last] = childrenOf(l, k, n);
    let mask = 0;
    let marks = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    const at = k * SLOTS;
    out.byCause.fill(0, at, at + SLOTS);
    if (l === 0) {
      for (let i = first; i < last; i++) {
        const code = tracks.causes[i];
        mask |= 1 << code;
        marks |= tracks.marks[i];
        out.byCause[at + code]++;
        const v = tracks.values[i];
        if (v < min) min = v;
        if (v > max) max = v;
      }
    } else {
      const below = this.levels[l - 1];
      for (let j = first; j < last; j++) {
        mask |= below.mask[j];
        marks |= below.marks[j];
        for (let s = 0; s < SLOTS; s++) out.byCause[at + s] += below.byCause[j * SLOTS + s];
        if (below.min[j] < min) min = below.min[j];
        if (below.max[j] > max) max = below.max[j];
      }
    }
    out.mask[k] = mask;
    out.marks[k] = marks;
    out.min[k] = min;
    out.max[k] = max;
  }
}
