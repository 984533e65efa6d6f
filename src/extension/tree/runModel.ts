/** What the Runs tree knows of one run: its manifest, status, and batches indexed by epoch. */
import { emptyCauseCounts, type CauseCounts } from '../../shared/causes';
import type { BatchRecord, RunManifest, RunStatus } from '../../shared/runFormat';

/** One epoch's batches are the steps [firstStep, firstStep + count) of the run. */
export interface EpochInfo {
  epoch: number;
  firstStep: number;
  count: number;
  counts: CauseCounts;
  lossSum: number;
  /** Set when the epoch ended (from its epochEnd record). */
  meanLoss: number | undefined;
}

/** A run as the tree holds it; live runs grow batch by batch. */
export class RunModel {
  readonly batches: BatchRecord[] = [];
  readonly epochs: EpochInfo[] = [];
  readonly counts: CauseCounts = emptyCauseCounts();
  message: string | undefined;

  constructor(readonly runDir: string, readonly manifest: RunManifest, public status: RunStatus) {}

  /** Adds a batch; returns its epoch and its index within the epoch (where the tree changed). */
  appendBatch(record: BatchRecord): { epoch: EpochInfo; index: number } {
    let epoch = this.epochs[record.epoch];
    if (!epoch) {
      epoch = { epoch: record.epoch, firstStep: record.step, count: 0, counts: emptyCauseCounts(), lossSum: 0, meanLoss: undefined };
      this.epochs[record.epoch] = epoch;
    }
    this.batches[record.step] = record;
    epoch.count++;
    epoch.counts[record.cause]++;
    epoch.lossSum += record.loss;
    this.counts[record.cause]++;
    return { epoch, index: epoch.count - 1 };
  }

  endEpoch(epoch: number, meanLoss: number): void {
    const info = this.epochs[epoch];
    if (info) info.meanLoss = meanLoss;
  }

  /** Epochs that have at least one batch, in order. */
  epochList(): EpochInfo[] {
    return this.epochs.filter((epoch): epoch is EpochInfo => epoch !== undefined);
  }

  /** The batch at `index` within `epoch`. */
  batchAt(epoch: number, index: number): BatchRecord | undefined {
    const info = this.epochs[epoch];
    return info && index < info.count ? this.batches[info.firstStep + index] : undefined;
  }

  /** Mean loss of the epoch: the recorded one once it ended, else the running mean. */
  meanLoss(info: EpochInfo): number {
    return info.meanLoss ?? info.lossSum / Math.max(1, info.count);
  }
}
