/**
 * Per-block summaries of one loss-chart series (see blockLevels.ts), built once in O(n) and extended
 * as batches arrive: per block its smallest and largest value and where each first occurs, its
 * smallest positive value (for a log axis), and whether it holds a value or a gap (a non-finite loss).
 */
import { BLOCK_SIZES, blockCount, childrenOf, refreshBlocks, withRoom } from './blockLevels';

/** Bits of `LossLevel.seen`. */
export const HAS_VALUE = 1;
export const HAS_GAP = 2;
export const HAS_POSITIVE = 4;

/** Kinds as lossEnvelope.ts defines them (VALUE 1, GAP 2). */
const VALUE = 1;
const GAP = 2;

/** One level's blocks. */
export interface LossLevel {
  seen: Uint8Array;
  lo: Float64Array;
  loAt: Float64Array;
  hi: Float64Array;
  hiAt: Float64Array;
  /** Smallest value > 0, and where it first occurs. */
  pos: Float64Array;
  posAt: Float64Array;
}

const emptyLevel = (): LossLevel => ({
  seen: new Uint8Array(0),
  lo: new Float64Array(0),
  loAt: new Float64Array(0),
  hi: new Float64Array(0),
  hiAt: new Float64Array(0),
  pos: new Float64Array(0),
  posAt: new Float64Array(0),
});

/** The summaries of one series over batches [0, length). */
export class LossBlocks {
  readonly levels: LossLevel[] = BLOCK_SIZES.map(emptyLevel);
  length = 0;
  /** The `seen` bits of every batch so far, or-ed: 0 when the series has nothing to plot (no other phases). */
  seen = 0;

  /** Forgets every batch; the summaries are zeroed, as the all-absent fast path of `extend` expects. */
  reset(): void {
    this.length = 0;
    this.seen = 0;
    for (const level of this.levels) for (const array of Object.values(level)) array.fill(0);
  }

  /** Brings the summaries up to `n` batches of `values` with their `kind`s (those from `length` on are new). */
  extend(values: ArrayLike<number>, kind: ArrayLike<number>, n: number): void {
    if (n <= this.length) return;
    for (let l = 0; l < this.levels.length; l++) {
      const level = this.levels[l];
      const blocks = blockCount(l, n);
      level.seen = withRoom(level.seen, blocks, (k) => new Uint8Array(k));
      for (const key of ['lo', 'loAt', 'hi', 'hiAt', 'pos', 'posAt'] as const)
        level[key] = withRoom(level[key], blocks, (k) => new Float64Array(k));
    }
    // A series with nothing so far (the other phases' losses of a run that only trains): its zeroed
    // blocks already say so, and a scan of the kinds is all it costs.
    if (this.seen === 0 && allAbsent(kind, this.length, n)) {
      this.length = n;
      return;
    }
    refreshBlocks(this.length, n, (l, k) => this.summarise(values, kind, l, k, n));
    this.length = n;
  }

  private summarise(values: ArrayLike<number>, kind: ArrayLike<number>, l: number, k: number, n: number): void {
    const out = this.levels[l];
    const [first, last] = childrenOf(l, k, n);
    let seen = 0;
    let lo = 0;
    let loAt = 0;
    let hi = 0;
    let hiAt = 0;
    let pos = 0;
    let posAt = 0;
    // Children in order, so a strict comparison keeps the first occurrence of an extreme.
    const take = (s: number, vLo: number, vLoAt: number, vHi: number, vHiAt: number, vPos: number, vPosAt: number) => {
      if (s & HAS_VALUE) {
        if (!(seen & HAS_VALUE) || vLo < lo) [lo, loAt] = [vLo, vLoAt];
        if (!(seen & HAS_VALUE) || vHi > hi) [hi, hiAt] = [vHi, vHiAt];
      }
      if (s & HAS_POSITIVE && (!(seen & HAS_POSITIVE) || vPos < pos)) [pos, posAt] = [vPos, vPosAt];
      seen |= s;
    };
    if (l === 0) {
      // The bulk of the work when a run loads: inline, no call per batch.
      for (let i = first; i < last; i++) {
        const k = kind[i];
        if (k === GAP) seen |= HAS_GAP;
        else if (k === VALUE) {
          const v = values[i];
          if (!(seen & HAS_VALUE)) {
            lo = hi = v;
            loAt = hiAt = i;
            seen |= HAS_VALUE;
          } else if (v < lo) {
            lo = v;
            loAt = i;
          } else if (v > hi) {
            hi = v;
            hiAt = i;
          }
          if (v > 0 && (!(seen & HAS_POSITIVE) || v < pos)) {
            pos = v;
            posAt = i;
            seen |= HAS_POSITIVE;
          }
        }
      }
    } else {
      const b = this.levels[l - 1];
      for (let j = first; j < last; j++) take(b.seen[j], b.lo[j], b.loAt[j], b.hi[j], b.hiAt[j], b.pos[j], b.posAt[j]);
    }
    out.seen[k] = seen;
    this.seen |= seen;
    out.lo[k] = lo;
    out.loAt[k] = loAt;
    out.hi[k] = hi;
    out.hiAt[k] = hiAt;
    out.pos[k] = pos;
    out.posAt[k] = posAt;
  }
}

function allAbsent(kind: ArrayLike<number>, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (kind[i] === VALUE || kind[i] === GAP) return false;
  return true;
}
