/**
 * One run as the extension host holds it: the folded log of its folder (runStore's RunLog, its
 * batches as compact columns in a BatchTable), the status, its batches grouped by epoch and phase
 * with counts per cause, and a change event that the Runs tree, the status bar, the session and
 * every panel subscribe to. Filled only by the repository, from the run folder; every batch costs
 * O(1) time and ~100 bytes, so a run of a million batches stays light.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { emptyCauseCounts, type CauseCounts } from '../../shared/causes';
import { answerForCounts, emptyTally, tallyBatch, type FlagCounts } from '../../shared/answer';
import {
  RUN_FILES,
  type BatchRecord,
  type EpochEndRecord,
  type LogRecord,
  type Phase,
  type ResetRecord,
  type RunManifest,
  type RunStatus,
} from '../../shared/runFormat';
import { parseLogLine } from '../../runStore/logRecords';
import { readLineAt } from '../../runStore/logReader';
import { RunFolderError } from '../../runStore/runFolderError';
import { emptyRunLog, type BatchSink, type LogFold } from '../../runStore/runLog';
import { BatchTable } from './batchTable';
import { StepRuns } from './stepRuns';

/** The batches of one phase of one epoch (training, validation, prediction, evaluation), in step order. */
export interface BatchGroup {
  epoch: number;
  phase: Phase;
  /** The steps of its batches, ascending. */
  steps: StepRuns;
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

export class RunModel implements BatchSink {
  /** What the log says besides its batches. */
  readonly log: LogFold = withoutBatches();
  /** Every batch as columns, step k at k. */
  readonly batches: BatchTable;
  readonly counts: CauseCounts = emptyCauseCounts();
  /** Batches per flag, and what the answer tells beyond counts (phases, data continuity), kept as batches arrive. */
  readonly flags: FlagCounts = { withGraph: 0, fromEval: 0, shuffledData: 0 };
  readonly tally = emptyTally();
  /** The training batches of each epoch, indexed by epoch number. */
  readonly epochs: BatchGroup[] = [];
  /** The other phases' batches of each epoch, in the order they first occurred. */
  private readonly otherPhases = new Map<number, BatchGroup[]>();
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
  ) {
    this.batches = new BatchTable(manifest.model.layers.length);
  }

  /** BatchSink: the repository's fold appends batch `batches.length`, indexed at once (O(1)). */
  get length(): number {
    return this.batches.length;
  }

  add(record: BatchRecord, lineAt: number): void {
    const step = this.batches.length;
    const group = this.group(record.epoch, record.phase) ?? this.addGroup(record.epoch, record.phase);
    const source =
      record.carriedFrom !== null && record.carriedFrom < step ? this.batches.phaseOf(record.carriedFrom) : null;
    this.batches.push(record, lineAt);
    group.steps.push(step);
    group.counts[record.cause]++;
    if (record.loss !== null && Number.isFinite(record.loss)) {
      group.lossSum += record.loss;
      group.lossCount++;
    }
    this.counts[record.cause]++;
    for (const flag of record.flags) this.flags[flag]++;
    tallyBatch(this.tally, record, source);
  }

  /** The last batch read, as a summary. */
  get lastBatch(): BatchRecord | undefined {
    return this.batches.at(this.batches.length - 1);
  }

  /** The position of a step in its group (its index among the group's batches), or -1. */
  positionOf(step: number): number {
    if (!(step >= 0 && step < this.batches.length)) return -1;
    return this.group(this.batches.epochOf(step), this.batches.phaseOf(step))?.steps.positionOf(step) ?? -1;
  }

  /**
   * The batch's full record as its log line says (with sample indices, row sources and tensor
   * offsets, which the columns leave out), read back from the log; a placeholder of an unreadable
   * line is its summary.
   */
  async record(step: number): Promise<BatchRecord> {
    const summary = step >= 0 ? this.batches.at(step) : undefined;
    if (!summary) throw new Error(`batch ${step} is not in this run (it has ${this.batches.length} batches)`);
    const lineAt = this.batches.lineAt(step);
    if (lineAt < 0) return summary;
    const logPath = path.join(this.runDir, RUN_FILES.log);
    const parsed = parseLogLine(await readLineAt(logPath, lineAt), {
      layers: this.manifest.model.layers.length,
      formatVersion: this.manifest.formatVersion,
    });
    if (!('record' in parsed) || parsed.record.t !== 'batch' || parsed.record.step !== step)
      throw new RunFolderError(logPath, `no longer holds batch ${step} at byte ${lineAt}: was the log rewritten?`);
    return parsed.record;
  }

  get live(): boolean {
    return isLiveStatus(this.status);
  }

  /** The end record's message (why a run failed). */
  get message(): string | undefined {
    return this.log.end?.message;
  }

  /** The plain-words answer for what the run recorded so far. */
  answer(): string {
    return answerForCounts(this.manifest, this.batches.length, {
      counts: this.counts,
      flags: this.flags,
      tally: this.tally,
    });
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

  /** Takes the other records of a read (its batches were added as folded), and tells the subscribers. */
  indexRecords(records: readonly LogRecord[], batchesFrom: number, status: RunStatus): void {
    const change: RunChange = {
      model: this,
      batchesFrom,
      resets: [],
      epochsEnded: [],
      statusChanged: status !== this.status,
    };
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
    if (records.length > 0 || batchesFrom < this.batches.length || change.statusChanged)
      this.changeEmitter.fire(change);
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  private addGroup(epoch: number, phase: Phase): BatchGroup {
    const group: BatchGroup = {
      epoch,
      phase,
      steps: new StepRuns(),
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

function withoutBatches(): LogFold {
  const { batches: _batches, ...rest } = emptyRunLog();
  return rest;
}
