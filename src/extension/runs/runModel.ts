/**
 * One run as the extension host holds it: the folded log of its folder (runStore's RunLog), the
 * status, its batches grouped by epoch and phase with counts per cause, and a change event that
 * the Runs tree, the status bar, the session and every panel subscribe to. Filled only by the
 * repository, from the run folder.
 */
import * as vscode from 'vscode';
import { emptyTally, tallyBatch, type FlagCounts } from '../../shared/answer';
import { emptyCauseCounts, type CauseCounts } from '../../shared/causes';
import type { EpochEndRecord, LogRecord, Phase, ResetRecord, RunManifest, RunStatus } from '../../shared/runFormat';
import { emptyRunLog, type RunLog } from '../../runStore/runLog';
import type { RunView } from '../../runStore/snapshot';
import { answerForRun } from '../../runStore/runSummary';

/** The batches of one phase of one epoch (training, validation, prediction, evaluation), in step order. */
export interface BatchGroup {
  epoch: number;
  phase: Phase;
  /** The steps of its batches, ascending. */
  steps: number[];
  counts: CauseCounts;
  /** Sum and number of the finite losses so far. */
  lossSum: number;
  lossCount: number;
  /** The mean loss the writer recorded when the epoch ended (training, and validation), else undefined. */
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
  /** Batches per flag, and what the answer tells beyond counts (phases, data continuity), kept as batches arrive. */
  readonly flags: FlagCounts = { withGraph: 0, fromEval: 0, shuffledData: 0 };
  readonly tally = emptyTally();
  /** The training batches of each epoch, indexed by epoch number. */
  readonly epochs: BatchGroup[] = [];
  /** The other phases' batches of each epoch, in the order they first occurred. */
  private readonly otherPhases = new Map<number, BatchGroup[]>();
  /** For each step, its position in its group. */
  readonly positions: number[] = [];
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
    return answerForRun(this, { counts: this.counts, flags: this.flags, tally: this.tally });
  }

  /** Mean loss of a group: the recorded one once its epoch ended, else the running mean of its finite losses. */
  meanLoss(group: BatchGroup): number {
    return group.meanLoss ?? (group.lossCount ? group.lossSum / group.lossCount : Number.NaN);
  }

  /** The epochs that have batches of any phase, in order. */
  epochNumbers(): number[] {
    const numbers = new Set<number>(this.otherPhases.keys());
    this.epochs.forEach((group) => group && numbers.add(group.epoch));
    return [...numbers].sort((a, b) => a - b);
  }

  /** The training group of every epoch that has one, in order. */
  epochList(): BatchGroup[] {
    return this.epochs.filter((group): group is BatchGroup => group !== undefined);
  }

  /** The groups of the other phases (validation, prediction, evaluation) of an epoch. */
  phasesOf(epoch: number): BatchGroup[] {
    return this.otherPhases.get(epoch) ?? [];
  }

  /** The group of a phase of an epoch, if it has batches. */
  group(epoch: number, phase: Phase): BatchGroup | undefined {
    return phase === 'train' ? this.epochs[epoch] : this.phasesOf(epoch).find((group) => group.phase === phase);
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
    // Every new batch in step order, placeholders of unreadable lines included.
    for (let step = batchesFrom; step < this.batches.length; step++) {
      const record = this.batches[step];
      const group = this.group(record.epoch, record.phase) ?? this.addGroup(record.epoch, record.phase);
      this.positions[step] = group.steps.length;
      group.steps.push(step);
      group.counts[record.cause]++;
      if (record.loss !== null && Number.isFinite(record.loss)) {
        group.lossSum += record.loss;
        group.lossCount++;
      }
      this.counts[record.cause]++;
      for (const flag of record.flags) this.flags[flag]++;
      tallyBatch(
        this.tally,
        record,
        record.carriedFrom === null ? null : (this.batches[record.carriedFrom]?.phase ?? null),
      );
    }
    for (const record of records) {
      if (record.t === 'reset') change.resets.push(record);
      else if (record.t === 'epochEnd') {
        const train = this.epochs[record.epoch];
        if (train) train.meanLoss = record.meanLoss;
        const validation = this.group(record.epoch, 'validate');
        if (validation && record.validation) validation.meanLoss = record.validation.meanLoss;
        change.epochsEnded.push(record);
      }
    }
    this.status = status;
    if (records.length > 0 || change.statusChanged) this.changeEmitter.fire(change);
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  private addGroup(epoch: number, phase: Phase): BatchGroup {
    const group: BatchGroup = {
      epoch,
      phase,
      steps: [],
      counts: emptyCauseCounts(),
      lossSum: 0,
      lossCount: 0,
      meanLoss: undefined,
    };
    if (phase === 'train') this.epochs[epoch] = group;
    else this.otherPhases.set(epoch, [...this.phasesOf(epoch), group]);
    return group;
  }
}
