/** The run as the webview holds it: the records plus columnar typed arrays for fast drawing. */
import { emptyCauseCounts, type CauseCounts } from '../../src/shared/causes';
import type { RunSnapshot, ToWebview } from '../../src/shared/protocol';
import type { BatchRecord, RunManifest, RunStatus } from '../../src/shared/runFormat';
import { CAUSE_CODE } from './causeCodes';

type Delta = Extract<ToWebview, { type: 'delta' }>;

/** Doubles a typed array's capacity when needed. */
function grow<T extends Float64Array | Float32Array | Uint8Array | Int32Array>(array: T, needed: number, make: (n: number) => T): T {
  if (needed <= array.length) return array;
  const next = make(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

export class RunModel {
  runDir = '';
  manifest: RunManifest | undefined;
  status: RunStatus = 'running';
  answer = '';
  message: string | undefined;
  warnings: RunSnapshot['warnings'] = [];
  resets: RunSnapshot['resets'] = [];
  epochLosses: RunSnapshot['epochLosses'] = [];
  /** Index = step. */
  records: BatchRecord[] = [];
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
  /** Epochs whose counts changed since the last `takeDirtyEpochs`. */
  private dirtyEpochs = new Set<number>();
  /** Bumped whenever anything changes (consumers compare versions). */
  version = 0;

  get length(): number {
    return this.records.length;
  }

  get stateful(): boolean {
    return this.manifest?.model.stateful ?? false;
  }

  get live(): boolean {
    return this.status === 'running' || this.status === 'paused';
  }

  /** Batches the timeline spans: the planned total while live, what was recorded once ended. */
  get domain(): number {
    const planned = this.manifest ? this.manifest.epochs * this.manifest.batchesPerEpoch : 0;
    return this.live ? Math.max(this.length, planned) : this.length;
  }

  /** Replaces everything with a snapshot. */
  load(snapshot: RunSnapshot): void {
    this.runDir = snapshot.runDir;
    this.manifest = snapshot.manifest;
    this.records = [];
    this.normMax = 0;
    this.epochStarts = [];
    this.epochNumbers = [];
    this.counts = emptyCauseCounts();
    this.perEpoch = new Map();
    this.dirtyEpochs = new Set();
    this.warnings = snapshot.warnings;
    this.applyState(snapshot.status, snapshot.answer, snapshot.message, snapshot.resets, snapshot.epochLosses, true);
    this.append(snapshot.batches);
  }

  /** Adds a delta; returns false if batches are missing (the caller should ask for a snapshot again). */
  applyDelta(delta: Delta): boolean {
    this.applyState(delta.status, delta.answer, delta.message, delta.resets, delta.epochLosses, false);
    return this.append(delta.batches);
  }

  /** Epochs whose counts changed since the last call. */
  takeDirtyEpochs(): number[] {
    const epochs = [...this.dirtyEpochs];
    this.dirtyEpochs.clear();
    return epochs;
  }

  private applyState(status: RunStatus, answer: string, message: string | undefined, resets: RunSnapshot['resets'], losses: RunSnapshot['epochLosses'], replace: boolean): void {
    this.status = status;
    this.answer = answer;
    this.message = message;
    this.resets = replace ? [...resets] : mergeBy(this.resets, resets, (r) => r.beforeStep);
    this.epochLosses = replace ? [...losses] : mergeBy(this.epochLosses, losses, (e) => e.epoch);
    this.version++;
  }

  private append(batches: readonly BatchRecord[]): boolean {
    const fresh = batches.filter((b) => b.step >= this.records.length).sort((a, b) => a.step - b.step);
    const needed = this.records.length + fresh.length;
    this.cause = grow(this.cause, needed, (n) => new Uint8Array(n));
    this.loss = grow(this.loss, needed, (n) => new Float64Array(n));
    this.norm0 = grow(this.norm0, needed, (n) => new Float32Array(n));
    for (const record of fresh) {
      // Live deltas may repeat batches already in a snapshot read from disk; only the next step is new.
      if (record.step !== this.records.length) {
        if (record.step < this.records.length) continue;
        return false;
      }
      const i = this.records.length;
      this.records.push(record);
      this.cause[i] = CAUSE_CODE[record.cause];
      this.loss[i] = record.loss;
      const norm = record.meanNorms[0]?.h0 ?? 0;
      this.norm0[i] = norm;
      if (norm > this.normMax) this.normMax = norm;
      if (this.epochNumbers[this.epochNumbers.length - 1] !== record.epoch) {
        this.epochStarts.push(i);
        this.epochNumbers.push(record.epoch);
      }
      this.counts[record.cause]++;
      let epochCounts = this.perEpoch.get(record.epoch);
      if (!epochCounts) this.perEpoch.set(record.epoch, (epochCounts = emptyCauseCounts()));
      epochCounts[record.cause]++;
      this.dirtyEpochs.add(record.epoch);
    }
    this.version++;
    return true;
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
