/**
 * The loss chart's per-batch series, extended as batches arrive: training losses, their debiased EMA,
 * and the other phases' losses (validation, prediction, evaluation). Each with its kind per batch
 * (lossEnvelope.ts): a value, a gap (a non-finite loss), or absent (another phase; a loss not known).
 */
import { extendEma, type EmaState } from './ema';
import { LossBlocks } from './lossBlocks';
import { ABSENT, GAP, VALUE, type SeriesInput } from './lossEnvelope';

/** The columns of a run the series are read from. */
export interface LossColumns {
  loss: ArrayLike<number>;
  /** 1 when the loss is known (finite or not). */
  lossKnown: ArrayLike<number>;
  /** Index into PHASES: 0 is training. */
  phase: ArrayLike<number>;
}

export class LossSeries {
  private trainKind = new Uint8Array(1024);
  private otherKind = new Uint8Array(1024);
  private emaKind = new Uint8Array(1024);
  ema = new Float64Array(1024);
  private emaState: EmaState = { last: 0, weight: 0 };
  private length = 0;
  private smoothing = Number.NaN;
  private generation = Number.NaN;
  /** Each series summarised per block, so that a frame costs O(pixels) however many batches are in view. */
  private readonly blocks = { train: new LossBlocks(), ema: new LossBlocks(), other: new LossBlocks() };

  /** Training losses, their EMA, the other phases' losses, over `values` (the run's loss column). */
  inputs(values: ArrayLike<number>): { train: SeriesInput; ema: SeriesInput; other: SeriesInput } {
    const { train, ema, other } = this.blocks;
    return {
      train: { values, kind: this.trainKind, blocks: train },
      ema: { values: this.ema, kind: this.emaKind, blocks: ema },
      other: { values, kind: this.otherKind, blocks: other },
    };
  }

  /**
   * Brings the series up to `n` batches (recomputing the EMA when the smoothing changed, everything when
   * `generation`, the run loaded, changed); true if anything changed.
   */
  sync(run: LossColumns, n: number, smoothing: number, generation = 0): boolean {
    if (smoothing !== this.smoothing || n < this.length || generation !== this.generation) {
      this.length = 0;
      this.smoothing = smoothing;
      this.generation = generation;
      this.emaState = { last: 0, weight: 0 };
      for (const blocks of Object.values(this.blocks)) blocks.reset();
    }
    if (this.length >= n) return false;
    this.reserve(n);
    for (let i = this.length; i < n; i++) {
      const kind = run.lossKnown[i] ? (Number.isFinite(run.loss[i]) ? VALUE : GAP) : ABSENT;
      const train = run.phase[i] === 0;
      this.trainKind[i] = train ? kind : ABSENT;
      this.emaKind[i] = train ? kind : ABSENT;
      this.otherKind[i] = train ? ABSENT : kind;
    }
    extendEma(run.loss, this.length, n, smoothing, this.ema, this.emaState, (i) => this.trainKind[i] !== VALUE);
    this.blocks.train.extend(run.loss, this.trainKind, n);
    this.blocks.ema.extend(this.ema, this.emaKind, n);
    this.blocks.other.extend(run.loss, this.otherKind, n);
    this.length = n;
    return true;
  }

  private reserve(n: number): void {
    if (n <= this.ema.length) return;
    // A quarter to spare: at a million batches a copy takes milliseconds, so live batches must not copy at once.
    const size = Math.max(n + (n >> 2), Math.ceil(this.ema.length * 1.5));
    const grow = <T extends Uint8Array | Float64Array>(a: T, make: (k: number) => T) => {
      const next = make(size);
      next.set(a);
      return next;
    };
    this.trainKind = grow(this.trainKind, (k) => new Uint8Array(k));
    this.otherKind = grow(this.otherKind, (k) => new Uint8Array(k));
    this.emaKind = grow(this.emaKind, (k) => new Uint8Array(k));
    this.ema = grow(this.ema, (k) => new Float64Array(k));
  }
}
