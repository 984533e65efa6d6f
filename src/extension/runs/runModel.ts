/**
 * One run as the extension host holds it: the folded log of its folder (runStore's RunLog), the
 * status, counts per epoch and cause, and a change event that the Runs tree, the status bar, the
 * session and every panel subscribe to. Filled only by the repository, from the run folder.
 */
import * as vscode from 'vscode';
import { emptyCauseCounts, type CauseCounts } from '../../shared/causes';
import type { EpochEndRecord, LogRecord, ResetRecord, RunManifest, RunStatus } from '../../shared/runFormat';
import { emptyRunLog, type RunLog } from '../../runStore/runLog';
import type { RunView } from '../../runStore/snapshot';
import { answerForRun } from '../../runStore/runSummary';

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

/** What one read of the folder added to a run. */
export interface RunChange {
  model: RunModel;
  /** Steps [batchesFrom, batches.length) are new. */
  batchesFrom: number;
  resets: ResetRecord[];
  epochsEnded: EpochEndRecord[];
  statusChanged: boolean;
}

export const isLiveStatus = (status: RunStatus) => status === 'running' || status === 'paused';

export class RunModel {
  readonly log: RunLog = emptyRunLog();
  readonly counts: CauseCounts = emptyCauseCounts();
  /** Indexed by epoch number. */
  readonly epochs: EpochInfo[] = [];
  /** Whether every batch has been read (a run only listed holds its header alone). */
  loaded = false;
  /** Problems of the log already written to the output channel. */
  problemsReported = 0;
  private readonly changeEmitter = new vscode.EventEmitter<RunChange>();
  /** New records were read, or the status changed. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    /** The repository's key of this run (one key per run). */
    readonly key: string,
    readonly runDir: string,
    readonly manifest: RunManifest,
    public status: RunStatus,
  ) {}

  get batches() {
    return this.log.batches;
  }

  get live(): boolean {
    return isLiveStatus(this.status);
  }

  /** The end record's message (why a run failed). */
  get message(): string | undefined {
    return this.log.end?.message;
  }

  /** The run as runStore's readers take it (snapshot, batch details). */
  view(): RunView {
    return { ...this.log, runDir: this.runDir, manifest: this.manifest, status: this.status };
  }

  /** The plain-words answer for what the run recorded so far. */
  answer(): string {
    return answerForRun(this, this.counts);
  }

  /** Mean loss of an epoch: the recorded one once it ended, else the running mean. */
  meanLoss(info: EpochInfo): number {
    return info.meanLoss ?? info.lossSum / Math.max(1, info.count);
  }

  /** Epochs that have at least one batch, in order. */
  epochList(): EpochInfo[] {
    return this.epochs.filter((epoch): epoch is EpochInfo => epoch !== undefined);
  }

  /** Indexes records the repository folded into `log`, and tells the subscribers. */
  indexRecords(records: readonly LogRecord[], batchesFrom: number, status: RunStatus): void {
    const change: RunChange = {
      model: this,
      batchesFrom,
      resets: [],
      epochsEnded: [],
      statusChanged: status !== this.status,
    };
    for (const record of records) {
      if (record.t === 'batch') {
        let info = this.epochs[record.epoch];
        if (!info)
          this.epochs[record.epoch] = info = {
            epoch: record.epoch,
            firstStep: record.step,
            count: 0,
            counts: emptyCauseCounts(),
            lossSum: 0,
            meanLoss: undefined,
          };
        info.count++;
        info.counts[record.cause]++;
        if (record.loss !== null && Number.isFinite(record.loss)) info.lossSum += record.loss;
        this.counts[record.cause]++;
      } else if (record.t === 'reset') change.resets.push(record);
      else if (record.t === 'epochEnd') {
        const info = this.epochs[record.epoch];
        if (info) info.meanLoss = record.meanLoss;
        change.epochsEnded.push(record);
      }
    }
    this.status = status;
    if (records.length > 0 || change.statusChanged) this.changeEmitter.fire(change);
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
