/** The run as the webview holds it: the records plus columnar typed arrays for fast drawing. */
import { recordAt, type BatchColumns } from '../../src/shared/batchColumns';
import { CAUSES, emptyCauseCounts, type CauseCounts, type InitialStateCause } from '../../src/shared/causes';
import type { DeltaMessage, RunSnapshot } from '../../src/shared/channels/webviewChannel';
import type { BatchRecord, RunManifest, RunStatus } from '../../src/shared/runFormat';
import { CAUSE_CODE } from '../numbers/causeCodes';

/** Doubles a typed array's capacity when needed. */
function grow<T extends Float64Array | Float32Array | Uint8Array | Int32Array>(
  array: T,
  needed: number,
  make: (n: number) => T,
): T {
  if (needed <= array.length) return array;
  const next = make(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

/** One run's batches and counts, changed in place by snapshots and deltas (see `version`). */
export class RunModel {
  runDir = '';
  manifest: RunManifest | undefined;
  status: RunStatus = 'running';
  answer = '';
  message: string | undefined;
  warnings: RunSnapshot['warnings'] = [];
  resets: RunSnapshot['resets'] = [];
  epochLosses: RunSnapshot['epochLosses'] = [];
  /** Steps [0, columns.count) of the snapshot, unpacked on demand. */
  private columns: BatchColumns | undefined;
  /** Steps from columns.count on (objects from deltas or an object snapshot). */
  private records: BatchRecord[] = [];
  cause = new Uint8Array(1024);
  loss = new Float64Array(1024);
  /** Mean over rows of the initial |h| of layer 0: zero exactly when the batch started from zeros. */
  norm0 = new Float32Array(1024);
  /** Largest norm0 so far (the scale of the norm track). */
  normMax = 0;
  /** Steps where a new epoch starts, ascending. */
  epochStarts: number[] = [];
  /** Epoch number of each entry of epochStarts. */
  epochNumbers: number[] = [];
  counts: CauseCounts = emptyCauseCounts();
  perEpoch = new Map<number, CauseCounts>();
  /** Bumped whenever anything changes: the store's subscribers compare versions, since the model changes in place. */
  version = 0;

  get length(): number {
    return (this.columns?.count ?? 0) + this.records.length;
  }

  /** The record of a step, or undefined if not recorded (yet). */
  record(step: number): BatchRecord | undefined {
    const columns = this.columns;
    if (step < 0) return undefined;
    if (columns && step < columns.count) return recordAt(columns, step);
    return this.records[step - (columns?.count ?? 0)];
  }

  get stateful(): boolean {
    return this.manifest?.model.stateful ?? false;
  }

  get live(): boolean {
    return this.status === 'running' || this.status === 'paused';
  }

  /** Batches the timeline spans: the planned total while live, what was recorded once ended. */
  get domain(): number {
    const { epochs, batchesPerEpoch } = this.manifest ?? {};
    const planned = epochs && batchesPerEpoch ? epochs * batchesPerEpoch : 0;
    return this.live ? Math.max(this.length, planned) : this.length;
  }

  /** Replaces everything with a snapshot (its batches as objects, or packed in `columns`). */
  load(snapshot: RunSnapshot, columns?: BatchColumns): void {
    this.runDir = snapshot.runDir;
    this.manifest = snapshot.manifest;
    this.columns = undefined;
    this.records = [];
    this.normMax = 0;
    this.epochStarts = [];
    this.epochNumbers = [];
    this.counts = emptyCauseCounts();
    this.perEpoch = new Map();
    this.warnings = snapshot.warnings;
    this.applyState(snapshot.status, snapshot.answer, snapshot.message, snapshot.resets, snapshot.epochLosses, true);
    if (columns && columns.count) this.appendColumns(columns);
    this.append(snapshot.batches);
  }

  /** Adds a delta; returns false if batches are missing (the caller should ask for a snapshot again). */
  applyDelta(delta: DeltaMessage): boolean {
    this.applyState(delta.status, delta.answer, delta.message, delta.resets, delta.epochLosses, false);
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
    this.norm0 = grow(this.norm0, needed, (n) => new Float32Array(n));
  }

  /** The snapshot's packed batches: copied column by column, no objects made. */
  private appendColumns(columns: BatchColumns): void {
    const n = columns.count;
    this.reserve(n);
    this.columns = columns;
    this.cause.set(columns.cause);
    this.loss.set(columns.loss);
    const stride = columns.layers * 4;
    for (let i = 0; i < n; i++) {
      const norm = stride ? columns.meanNorms[i * stride] : 0;
      this.norm0[i] = norm;
      if (norm > this.normMax) this.normMax = norm;
      this.count(i, columns.epoch[i], CAUSES[columns.cause[i]]);
    }
    this.version++;
  }

  private append(batches: readonly BatchRecord[]): boolean {
    const fresh = batches.filter((b) => b.step >= this.length).sort((a, b) => a.step - b.step);
    this.reserve(this.length + fresh.length);
    for (const record of fresh) {
      // Live deltas may repeat batches already in a snapshot read from disk; only the next step is new.
      const i = this.length;
      if (record.step !== i) {
        if (record.step < i) continue;
        return false;
      }
      this.records.push(record);
      this.cause[i] = CAUSE_CODE[record.cause];
      this.loss[i] = record.loss ?? Number.NaN;
      const norm = record.meanNorms[0]?.h0 ?? 0;
      this.norm0[i] = norm;
      if (norm > this.normMax) this.normMax = norm;
      this.count(i, record.epoch, record.cause);
    }
    this.version++;
    return true;
  }

  private count(step: number, epoch: number, cause: InitialStateCause): void {
    if (this.epochNumbers[this.epochNumbers.length - 1] !== epoch) {
      this.epochStarts.push(step);
      this.epochNumbers.push(epoch);
    }
    this.counts[cause]++;
    let epochCounts = this.perEpoch.get(epoch);
    if (!epochCounts) this.perEpoch.set(epoch, (epochCounts = emptyCauseCounts()));
    epochCounts[cause]++;
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
}

function mergeBy<T>(current: T[], incoming: readonly T[], key: (item: T) => number): T[] {
  if (!incoming.length) return current;
  const seen = new Set(current.map(key));
  return [...current, ...incoming.filter((item) => !seen.has(key(item)))];
}
