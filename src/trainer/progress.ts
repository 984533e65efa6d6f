/**
 * What the training loop reports as it goes, in process: the CLI prints it; the trainer's child
 * process entry forwards only the early notices to the editor (trainerChannel.ts), which reads
 * everything else from the run folder.
 */
import type { CauseCounts, ResetCause } from '../shared/causes';
import type { ResetSchedule } from '../shared/config';
import type { BatchRecord, RunManifest } from '../shared/runFormat';

/** Training has begun; the run folder and manifest exist. */
export interface StartedProgress {
  type: 'started';
  runDir: string;
  manifest: RunManifest;
}
/** One batch finished and is on disk. */
export interface BatchProgress {
  type: 'batch';
  record: BatchRecord;
}
/** An epoch finished (its weights are saved, its validation run). */
export interface EpochEndProgress {
  type: 'epochEnd';
  epoch: number;
  /** Mean of the epoch's finite training losses (NaN when none was finite). */
  meanLoss: number;
  resets: CauseCounts;
  /** The epoch's validation pass, when the run validates. */
  validation?: { meanLoss: number; batches: number };
}
/** States were zeroed at a batch boundary (stateful runs). */
export interface ResetProgress {
  type: 'reset';
  cause: ResetCause;
  beforeStep: number;
  epoch: number;
  batch: number;
}
/** A pitfall found by the lint before the run. */
export interface WarningProgress {
  type: 'warning';
  code: string;
  message: string;
  field: string;
}
/** Paused before, or resumed at, step `atStep`. */
export interface StateProgress {
  type: 'state';
  status: 'running' | 'paused';
  atStep: number;
}
/** The reset schedule changed (acknowledges setResetSchedule). */
export interface ScheduleProgress {
  type: 'schedule';
  schedule: ResetSchedule;
  fromStep: number;
}
/** Something to tell the user that is not part of the run (e.g. a command that could not apply). */
export interface NoticeProgress {
  type: 'notice';
  message: string;
}
/** The run ended normally or by `stop`. */
export interface FinishedProgress {
  type: 'finished';
  status: 'finished' | 'stopped';
  runDir: string;
  /** Initial-state causes of every batch, all phases. */
  resets: CauseCounts;
  batches: number;
  /** Batches per phase. */
  phases: { train: number; validate: number; predict: number };
  /** Among batches carrying a state: how many continue their rows' data, and how many do not. */
  dataContinues: { yes: number; no: number };
  answer: string;
  /** Why a stop happened, when the trainer was told (e.g. input ended while paused). */
  message?: string;
}
/** The run could not start, crashed, or stopped at a non-finite value; `field` names the config field, or `file` and `line` the place, when known. */
export interface FailedProgress {
  type: 'failed';
  message: string;
  /** The batch records written before the failure, when the run had started. */
  batches?: number;
  field?: string;
  file?: string;
  line?: number;
  column?: number;
  runDir?: string;
}

export type TrainerProgress =
  | StartedProgress
  | BatchProgress
  | EpochEndProgress
  | ResetProgress
  | WarningProgress
  | StateProgress
  | ScheduleProgress
  | NoticeProgress
  | FinishedProgress
  | FailedProgress;
