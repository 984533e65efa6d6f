/** The run as the webview holds it: the records plus columnar typed arrays for fast drawing. */
import { recordAt, type BatchColumns } from '../../src/shared/batchColumns';
import { CAUSES, emptyCauseCounts, type CauseCounts, type InitialStateCause } from '../../src/shared/causes';
import type { BatchDetail, DeltaMessage, RunSnapshot } from '../../src/shared/channels/webviewChannel';
import {
  BATCH_FLAGS,
  PHASES,
  type BatchRecord,
  type Phase,
  type RunManifest,
  type RunStatus,
} from '../../src/shared/runFormat';
import { CauseBlocks, type CauseTracks } from '../numbers/causeBlocks';
import { CAUSE_CODE } from '../numbers/causeCodes';
import { MIN_SPAN, liveSpan } from '../numbers/viewport';
import { CountTable } from './countTable';

type Typed = Float64Array | Float32Array | Uint8Array | Int32Array;

/**
 * Grows a typed array's capacity by half again when needed. Each growth copies the array (a long
 * task at a million batches), so a snapshot reserves room ahead for the live batches that follow.
 */
function grow<T extends Typed>(array: T, needed: number, make: (n: number) => T): T {
  if (needed <= array.length) return array;
  const next = make(Math.max(needed, Math.ceil(array.length * 1.5)));
  next.set(array);
  return next;
}

const ZERO_COUNTS = emptyCauseCounts();
/** emptyCauseCounts, copied from one made once (ten thousand epochs make ten thousand of them). */
const zeroCounts = (): CauseCounts => ({ ...ZERO_COUNTS });

/** What a batch's loss is: a number (finite or not), or not known at all (null in the log). */
export const LOSS_KNOWN = 1;
/** Bits of `RunModel.marks`: what a batch has besides its cause. */
export const MARK_NON_FINITE = 1;
export const MARK_FLAGGED = 2;
/** Bit of a phase in `marks`: MARK_PHASE << phase index. */
export const MARK_PHASE = 4;

/** Snapshots loaded into any RunModel in this page: each load's number (`RunModel.loads`). */
let snapshotsLoaded = 0;

/** One run's batches and counts, changed in place by snapshots and deltas (see `version`). */
export class RunModel {
  runDir = '';
  manifest: RunManifest | undefined;
  status: RunStatus = 'running';
  answer = '';
  message: string | undefined;
  endedAt: string | undefined;
  warnings: RunSnapshot['warnings'] = [];
  resets: RunSnapshot['resets'] = [];
  epochLosses: RunSnapshot['epochLosses'] = [];
  /** Steps [0, columns.count) of the snapshot, unpacked on demand. */
  private columns: BatchColumns | undefined;
  /** Steps from columns.count on (objects from deltas or an object snapshot). */
  private records: BatchRecord[] = [];
  /** Why a step could not be read (cause `unreadable`), by step. */
  unreadable = new Map<number, string>();
  cause = new Uint8Array(1024);
  /** The loss as recorded: NaN and ±Infinity as they are; NaN too where `lossKnown` is 0 (not known). */
  loss = new Float64Array(1024);
  lossKnown = new Uint8Array(1024);
  /** Index into PHASES. */
  phase = new Uint8Array(1024);
  epoch = new Int32Array(1024);
  batch = new Int32Array(1024);
  /** -1: none. */
  carriedFrom = new Int32Array(1024);
  /** Bit i: BATCH_FLAGS[i]. */
  flags = new Uint8Array(1024);
  /** MARK_* bits per batch, for the timeline's markers and lanes. */
  marks = new Uint8Array(1024);
  /** Seconds from the first batch's start to the end of each batch (sum of the batches' wall times). */
  elapsed = new Float64Array(1024);
  /** Mean over rows of the initial |h| of layer 0: zero exactly when the batch started from zeros. */
  norm0 = new Float32Array(1024);
  /** Largest finite norm0 so far (the scale of the norm track). */
  normMax = 0;
  /** Steps where a new epoch starts, ascending. */
  epochStarts: number[] = [];
  /** Epoch number of each entry of epochStarts. */
  epochNumbers: number[] = [];
  counts: CauseCounts = emptyCauseCounts();
  /** Counts per epoch, per (epoch, phase) and per phase. */
  perEpoch = new Map<number, CauseCounts>();
  /** The keys of perEpoch in the order they came (a page of the summary table is a slice of it). */
  epochOrder: number[] = [];
  groups = new CountTable();
  /** Bit i: the run has batches of PHASES[i]. */
  phaseMask = 0;
  /** Batches whose loss is NaN or ±Infinity, and batches with a flag. */
  nonFinite = 0;
  flagged = 0;
  /** Bumped whenever anything changes: the store's subscribers compare versions, since the model changes in place. */
  version = 0;
  /**
   * New when a snapshot replaces the run: what was derived from the batches before must start over.
   * Unique across models (the comparison page builds new ones for every re-send), so what was derived
   * from one model's batches is never taken for another's.
   */
  loads = 0;
  /** norm0, cause and marks summarised per block (the timeline's columns at any zoom in O(pixels)). */
  readonly blocks = new CauseBlocks();

  get length(): number {
    return (this.columns?.count ?? 0) + this.records.length;
  }

  /** The record of a step, or undefined if not recorded (yet). */
  record(step: number): BatchRecord | undefined {
    const columns = this.columns;
    if (step < 0) return undefined;
    const record =
      columns && step < columns.count ? recordAt(columns, step) : this.records[step - (columns?.count ?? 0)];
    const why = this.unreadable.get(step);
    return record && why ? { ...record, unreadable: why } : record;
  }

  /**
   * Whether `record(step)` carries the batch's sample indices, row sources and tensor offsets: a live
   * batch and a report's columns do; a panel's snapshot leaves them to the batch's `BatchDetail.record`.
   */
  hasRowDetail(step: number): boolean {
    const columns = this.columns;
    return !columns || step >= columns.count || columns.detail !== undefined;
  }

  /** The batch's full record: its detail's (the log's own, with rows and row sources) when at hand, else `record`. */
  fullRecord(step: number, detail?: BatchDetail): BatchRecord | undefined {
    const record = detail?.step === step && detail.record ? detail.record : this.record(step);
    const why = this.unreadable.get(step);
    return record && why && !record.unreadable ? { ...record, unreadable: why } : record;
  }

  /** Stateful as the manifest says; a recorded script (null) counts as stateful when any batch carried a state. */
  get stateful(): boolean {
    const stateful = this.manifest?.model.stateful;
    if (stateful !== null && stateful !== undefined) return stateful;
    return this.counts.carried + this.counts.restored + this.counts.permuted + this.counts.partial > 0;
  }

  get live(): boolean {
    return this.status === 'running' || this.status === 'paused';
  }

  /**
   * Batches the views span: the batches so far; while the run is live, with up to an eighth to spare
   * (liveSpan) so that the x scale moves in steps. The plan of a live run is not drawn as empty space.
   */
  get domain(): number {
    return this.live ? liveSpan(this.length) : Math.max(this.length, MIN_SPAN);
  }

  /** Whether the run has batches of a phase other than training. */
  get phased(): boolean {
    return (this.phaseMask & ~1) !== 0;
  }

  phaseOf(step: number): Phase {
    return PHASES[this.phase[step]];
  }

  /** Replaces everything with a snapshot (its batches as objects, or packed in `columns`). */
  load(snapshot: RunSnapshot, columns?: BatchColumns): void {
    this.runDir = snapshot.runDir;
    this.manifest = snapshot.manifest;
    this.endedAt = snapshot.endedAt;
    this.columns = undefined;
    this.records = [];
    this.unreadable = new Map();
    this.normMax = 0;
    this.epochStarts = [];
    this.epochNumbers = [];
    this.counts = emptyCauseCounts();
    this.perEpoch = new Map();
    this.epochOrder = [];
    this.groups = new CountTable();
    this.phaseMask = 0;
    this.nonFinite = 0;
    this.flagged = 0;
    this.loads = ++snapshotsLoaded;
    this.blocks.reset();
    this.warnings = snapshot.warnings;
    this.applyState(snapshot.status, snapshot.answer, snapshot.message, snapshot.resets, snapshot.epochLosses, true);
    if (columns && columns.count) this.appendColumns(columns);
    this.append(snapshot.batches);
  }

  /** Adds a delta; returns false if batches are missing (the caller should ask for a snapshot again). */
  applyDelta(delta: DeltaMessage): boolean {
    this.applyState(delta.status, delta.answer, delta.message, delta.resets, delta.epochLosses, false);
    if (delta.endedAt) this.endedAt = delta.endedAt;
    return this.append(delta.batches);
  }

  private applyState(
    status: RunStatus,
    answer: string,
    message: string | undefined,
    resets: RunSnapshot['resets'],
    losses: RunSnapshot['epochLosses'],
    replace: boolean,
  ): void {
    this.status = status;
    this.answer = answer;
    this.message = message;
    this.resets = replace ? [...resets] : mergeBy(this.resets, resets, (r) => r.beforeStep);
    this.epochLosses = replace ? [...losses] : mergeBy(this.epochLosses, losses, (e) => e.epoch);
    this.version++;
  }

  private reserve(needed: number): void {
    this.cause = grow(this.cause, needed, (n) => new Uint8Array(n));
    this.loss = grow(this.loss, needed, (n) => new Float64Array(n));
    this.lossKnown = grow(this.lossKnown, needed, (n) => new Uint8Array(n));
    this.phase = grow(this.phase, needed, (n) => new Uint8Array(n));
    this.epoch = grow(this.epoch, needed, (n) => new Int32Array(n));
    this.batch = grow(this.batch, needed, (n) => new Int32Array(n));
    this.carriedFrom = grow(this.carriedFrom, needed, (n) => new Int32Array(n));
    this.flags = grow(this.flags, needed, (n) => new Uint8Array(n));
    this.marks = grow(this.marks, needed, (n) => new Uint8Array(n));
    this.elapsed = grow(this.elapsed, needed, (n) => new Float64Array(n));
    this.norm0 = grow(this.norm0, needed, (n) => new Float32Array(n));
  }

  /** The snapshot's packed batches: copied column by column, no objects made. */
  private appendColumns(columns: BatchColumns): void {
    const n = columns.count;
    // Room for the live batches to come, so that the first ones do not copy every column.
    this.reserve(n + Math.max(4096, n >> 2));
    this.columns = columns;
    this.cause.set(columns.cause);
    this.loss.set(columns.loss);
    this.lossKnown.set(columns.lossKnown);
    this.phase.set(columns.phase);
    this.epoch.set(columns.epoch);
    this.batch.set(columns.batch);
    this.carriedFrom.set(columns.carriedFrom);
    this.flags.set(columns.flags);
    for (const [step, why] of Object.entries(columns.unreadable ?? {})) this.unreadable.set(Number(step), why);
    const stride = columns.layers * 4;
    for (let i = 0; i < n; i++) this.norm0[i] = stride ? columns.meanNorms[i * stride] : 0;
    this.index(0, n, columns.ms);
    this.blocks.extend(this.tracks(), this.length);
    this.version++;
  }

  private append(batches: readonly BatchRecord[]): boolean {
    const fresh = batches.filter((b) => b.step >= this.length).sort((a, b) => a.step - b.step);
    this.reserve(this.length + fresh.length);
    const from = this.length;
    const ms: number[] = [];
    let complete = true;
    for (const record of fresh) {
      // Live deltas may repeat batches already in a snapshot read from disk; only the next step is new.
      const i = this.length;
      if (record.step !== i) {
        if (record.step < i) continue;
        complete = false;
        break;
      }
      this.records.push(record);
      this.cause[i] = CAUSE_CODE[record.cause];
      this.loss[i] = record.loss ?? Number.NaN;
      this.lossKnown[i] = record.loss === null ? 0 : LOSS_KNOWN;
      this.phase[i] = Math.max(0, PHASES.indexOf(record.phase));
      this.epoch[i] = record.epoch;
      this.batch[i] = record.batch;
      this.carriedFrom[i] = record.carriedFrom ?? -1;
      this.flags[i] = record.flags.reduce((bits, flag) => bits | (1 << BATCH_FLAGS.indexOf(flag)), 0);
      if (record.unreadable) this.unreadable.set(i, record.unreadable);
      this.norm0[i] = record.meanNorms[0]?.h0 ?? 0;
      ms.push(record.ms);
    }
    this.index(from, this.length, ms, from);
    this.blocks.extend(this.tracks(), this.length);
    this.version++;
    return complete;
  }

  private tracks(): CauseTracks {
    return { values: this.norm0, causes: this.cause, marks: this.marks };
  }

  /**
   * Counts and indexes steps [from, to), whose columns are filled; `ms[i - msBase]` is step i's wall
   * time. One pass over typed arrays: the counts by cause are summed per run of batches of one epoch
   * and phase, and only then added to the count objects (a million batches load in milliseconds).
   */
  private index(from: number, to: number, ms: ArrayLike<number>, msBase = 0): void {
    const { cause, phase, epoch, lossKnown, loss, flags, marks, norm0, elapsed } = this;
    const tally = new Uint32Array(CAUSES.length);
    let runStart = from;
    let { normMax, nonFinite, flagged, phaseMask } = this;
    let lastEpoch = this.epochNumbers.length ? this.epochNumbers[this.epochNumbers.length - 1] : Number.NaN;
    for (let i = from; i < to; i++) {
      const norm = norm0[i];
      if (norm > normMax) normMax = norm;
      const wall = ms[i - msBase];
      elapsed[i] = (i > 0 ? elapsed[i - 1] : 0) + (Number.isFinite(wall) && wall > 0 ? wall / 1000 : 0);
      let mark = MARK_PHASE << phase[i];
      if (lossKnown[i] && !Number.isFinite(loss[i])) {
        nonFinite++;
        mark |= MARK_NON_FINITE;
      }
      if (flags[i]) {
        flagged++;
        mark |= MARK_FLAGGED;
      }
      marks[i] = mark;
      phaseMask |= 1 << phase[i];
      if (epoch[i] !== lastEpoch) {
        lastEpoch = epoch[i];
        this.epochStarts.push(i);
        this.epochNumbers.push(lastEpoch);
      }
      if (i > runStart && (epoch[i] !== epoch[i - 1] || phase[i] !== phase[i - 1])) {
        this.count(runStart, tally);
        runStart = i;
      }
      tally[cause[i]]++;
    }
    if (to > runStart) this.count(runStart, tally);
    Object.assign(this, { normMax, nonFinite, flagged, phaseMask });
  }

  /** Adds `tally` (batches by cause code, then cleared) of a run of batches of `step`'s epoch and phase to the counts. */
  private count(step: number, tally: Uint32Array): void {
    const epoch = this.epoch[step];
    let epochCounts = this.perEpoch.get(epoch);
    if (!epochCounts) {
      this.perEpoch.set(epoch, (epochCounts = zeroCounts()));
      this.epochOrder.push(epoch);
    }
    const phase = PHASES[this.phase[step]];
    for (let code = 0; code < tally.length; code++) {
      const k = tally[code];
      if (!k) continue;
      const cause = CAUSES[code] as InitialStateCause;
      this.counts[cause] += k;
      epochCounts[cause] += k;
      this.groups.add(epoch, phase, cause, k);
    }
    tally.fill(0);
  }

  /** Index into epochStarts of the epoch holding `step` (binary search). */
  epochIndexOf(step: number): number {
    let lo = 0;
    let hi = this.epochStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.epochStarts[mid] <= step) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The batch that continues `step`'s final state: the first later batch carrying from it, else the next of its phase, else step + 1. */
  successorOf(step: number): number | null {
    const n = this.length;
    let samePhase: number | null = null;
    for (let i = step + 1; i < n; i++) {
      if (this.carriedFrom[i] === step) return i;
      if (samePhase === null && this.phase[i] === this.phase[step]) samePhase = i;
      // A carry names a recent step: no need to scan far past the next batch of the same phase.
      if (samePhase !== null && i > samePhase + 64) break;
    }
    return samePhase ?? (step + 1 < n ? step + 1 : null);
  }
}

function mergeBy<T>(current: T[], incoming: readonly T[], key: (item: T) => number): T[] {
  if (!incoming.length) return current;
  const seen = new Set(current.map(key));
  return [...current, ...incoming.filter((item) => !seen.has(key(item)))];
}
