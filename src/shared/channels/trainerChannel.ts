/**
 * The channel between the extension host and a trainer it forked (Node IPC of
 * `child_process.fork`; the CLI types the same commands on stdin). It carries commands and
 * early notices only: everything a run records — batches, resets, epochs, pauses, its end —
 * the host reads from the run folder, which is the single source of truth.
 *
 *   host  --TrainerCommand-->  trainer
 *   host  <--TrainerMessage--  trainer
 */
import { isResetSchedule, type ResetSchedule } from '../config';
import { isInteger, isOptional, isString, unionChecker } from './check';

/** Bumped on any incompatible change; sent in `started`. */
export const TRAINER_PROTOCOL_VERSION = 2;

// ---------------------------------------------------------------- trainer -> host

/** The run folder exists (manifest written): the host follows it from now on. */
export interface StartedMessage {
  type: 'started';
  protocolVersion: number;
  runDir: string;
}
/** A pitfall found by the lint before the run (also written to the run's log once it exists). */
export interface WarningMessage {
  type: 'warning';
  code: string;
  message: string;
  field: string;
}
/** Something the user should know that is not part of the run, e.g. a backend that did not load. */
export interface NoticeMessage {
  type: 'notice';
  message: string;
}
/** The run could not start or crashed; names the config field, or the file and line, when known. */
export interface FailedMessage {
  type: 'failed';
  message: string;
  field?: string;
  file?: string;
  line?: number;
  runDir?: string;
}

/** Trainer -> host. */
export type TrainerMessage = StartedMessage | WarningMessage | NoticeMessage | FailedMessage;

export const isTrainerMessage = unionChecker<TrainerMessage>({
  started: (m) => isInteger(m.protocolVersion) && isString(m.runDir),
  warning: (m) => isString(m.code) && isString(m.message) && isString(m.field),
  notice: (m) => isString(m.message),
  failed: (m) =>
    isString(m.message) &&
    isOptional(isString)(m.field) &&
    isOptional(isString)(m.file) &&
    isOptional(isInteger)(m.line) &&
    isOptional(isString)(m.runDir),
});

// ---------------------------------------------------------------- host -> trainer

/** Zero every row's state before the next batch (recorded as `manual`). */
export interface ResetNowCommand {
  type: 'resetNow';
}
/** Replace the reset schedule from the next batch on. */
export interface SetResetScheduleCommand {
  type: 'setResetSchedule';
  schedule: ResetSchedule;
}
/** Hold before the next batch. */
export interface PauseCommand {
  type: 'pause';
}
/** Continue after a pause. */
export interface ResumeCommand {
  type: 'resume';
}
/** Finish the current batch, flush, and end the run as `stopped`. */
export interface StopCommand {
  type: 'stop';
}

/** Host -> trainer (and CLI stdin, and a run folder's control.jsonl). */
export type TrainerCommand = ResetNowCommand | SetResetScheduleCommand | PauseCommand | ResumeCommand | StopCommand;

export const isTrainerCommand = unionChecker<TrainerCommand>({
  resetNow: () => true,
  setResetSchedule: (m) => isResetSchedule(m.schedule),
  pause: () => true,
  resume: () => true,
  stop: () => true,
});

/** Words the CLI accepts on stdin, for its usage line. */
export const COMMAND_WORDS = 'reset, pause, resume, stop or schedule never|epoch|<N>';

/** Parses one CLI stdin line ("reset", "pause", "resume", "stop", "schedule epoch|never|<N>") or a JSON command. */
export function parseCommandLine(line: string): TrainerCommand | undefined {
  const text = line.trim();
  if (text.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(text);
      return isTrainerCommand(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }
  const [word, arg] = text.split(/\s+/);
  switch (word) {
    case 'reset':
      return { type: 'resetNow' };
    case 'pause':
      return { type: 'pause' };
    case 'resume':
      return { type: 'resume' };
    case 'stop':
      return { type: 'stop' };
    case 'schedule': {
      if (arg === 'never' || arg === 'epoch') return { type: 'setResetSchedule', schedule: arg };
      const n = Number(arg);
      return Number.isInteger(n) && n >= 1 ? { type: 'setResetSchedule', schedule: { everyBatches: n } } : undefined;
    }
    default:
      return undefined;
  }
}
