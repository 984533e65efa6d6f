/**
 * The one typed protocol between the three processes. Imports neither `vscode` nor the DOM.
 *
 *   trainer  --TrainerEvent-->  extension host  --ToWebview-->   webview
 *   trainer  <--TrainerCommand-- extension host <--FromWebview--  webview
 *
 * Trainer messages travel over the Node IPC channel of `child_process.fork` (or as JSON
 * lines on stdout/stdin for the CLI); webview messages over `postMessage`.
 */
import type { BatchColumns } from './batchColumns';
import type { CauseCounts } from './causes';
import type { ResetSchedule } from './config';
import type { BatchRecord, RunManifest, RunStatus } from './runFormat';

/** Bumped on any incompatible change; sent in `started` and in the webview snapshot. */
export const PROTOCOL_VERSION = 1;

// ---------------------------------------------------------------- trainer -> host

/** Training has begun; the run folder and manifest exist. */
export interface StartedEvent { type: 'started'; protocolVersion: number; runDir: string; manifest: RunManifest }
/** One batch finished and is on disk. */
export interface BatchEvent { type: 'batch'; record: BatchRecord }
/** An epoch finished (its weights are saved). */
export interface EpochEndEvent { type: 'epochEnd'; epoch: number; meanLoss: number; resets: CauseCounts }
/** States were zeroed at a batch boundary (stateful runs). */
export interface ResetEvent { type: 'reset'; cause: 'epoch' | 'schedule' | 'manual'; beforeStep: number; epoch: number; batch: number }
/** A pitfall found by the lint before the run, or a note during it. */
export interface WarningEvent { type: 'warning'; code: string; message: string; field: string }
/** Paused or resumed (acknowledges the command). */
export interface StateEvent { type: 'state'; status: Extract<RunStatus, 'running' | 'paused'> }
/** The reset schedule changed (acknowledges setResetSchedule). */
export interface ScheduleEvent { type: 'schedule'; schedule: ResetSchedule; fromStep: number }
/** A command could not be applied (e.g. resetNow on a stateless run). */
export interface NoticeEvent { type: 'notice'; message: string }
/** The run ended normally or by `stop`. */
export interface FinishedEvent { type: 'finished'; status: 'finished' | 'stopped'; runDir: string; resets: CauseCounts; batches: number; answer: string }
/** The run could not start or crashed; `field` names the config field when known. */
export interface FailedEvent { type: 'failed'; message: string; field?: string; runDir?: string }

export type TrainerEvent =
  | StartedEvent | BatchEvent | EpochEndEvent | ResetEvent | WarningEvent
  | StateEvent | ScheduleEvent | NoticeEvent | FinishedEvent | FailedEvent;

// ---------------------------------------------------------------- host -> trainer

/** Zero every row's state before the next batch (recorded as `manual`). */
export interface ResetNowCommand { type: 'resetNow' }
/** Replace the reset schedule from the next batch on. */
export interface SetResetScheduleCommand { type: 'setResetSchedule'; schedule: ResetSchedule }
/** Hold before the next batch. */
export interface PauseCommand { type: 'pause' }
/** Continue after a pause. */
export interface ResumeCommand { type: 'resume' }
/** Finish the current batch, flush, and end the run as `stopped`. */
export interface StopCommand { type: 'stop' }

export type TrainerCommand = ResetNowCommand | SetResetScheduleCommand | PauseCommand | ResumeCommand | StopCommand;

/** Parses one CLI stdin line ("reset", "pause", "resume", "stop", "schedule epoch|never|<N>") or a JSON command. */
export function parseCommandLine(line: string): TrainerCommand | undefined {
  const text = line.trim();
  if (text.startsWith('{')) {
    try {
      const value = JSON.parse(text) as { type?: unknown };
      return isTrainerCommand(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }
  const [word, arg] = text.split(/\s+/);
  switch (word) {
    case 'reset': return { type: 'resetNow' };
    case 'pause': return { type: 'pause' };
    case 'resume': return { type: 'resume' };
    case 'stop': return { type: 'stop' };
    case 'schedule': {
      if (arg === 'never' || arg === 'epoch') return { type: 'setResetSchedule', schedule: arg };
      const n = Number(arg);
      return Number.isInteger(n) && n >= 1 ? { type: 'setResetSchedule', schedule: { everyBatches: n } } : undefined;
    }
    default: return undefined;
  }
}

export function isTrainerCommand(value: unknown): value is TrainerCommand {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  if (type === 'setResetSchedule') return isResetSchedule((value as { schedule?: unknown }).schedule);
  return type === 'resetNow' || type === 'pause' || type === 'resume' || type === 'stop';
}

export function isResetSchedule(value: unknown): value is ResetSchedule {
  if (value === 'never' || value === 'epoch') return true;
  if (typeof value !== 'object' || value === null) return false;
  const n = (value as { everyBatches?: unknown }).everyBatches;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1;
}

// ---------------------------------------------------------------- host <-> webview

/** A run as the webview sees it: its manifest, every batch summary, and what happened. */
export interface RunSnapshot {
  runDir: string;
  manifest: RunManifest;
  status: RunStatus;
  batches: BatchRecord[];
  resets: Array<{ cause: 'epoch' | 'schedule' | 'manual'; beforeStep: number }>;
  epochLosses: Array<{ epoch: number; meanLoss: number }>;
  warnings: Array<{ code: string; message: string; field: string }>;
  answer: string;
  message?: string;
}

/** Full tensors of one batch, per layer, as row-major float arrays [rows][units]. */
export interface BatchDetail {
  step: number;
  /** Per layer; null when the batch was past the tensor budget (norms only). */
  layers: Array<{ units: number; h0: number[]; c0: number[]; h: number[]; c: number[] } | null>;
  /** Per-row norms per layer (always present). */
  norms: Array<{ h0: number[]; c0: number[]; h: number[]; c: number[] }>;
  /** Per layer: hidden sequences of the captured rows, [row][timestep][unit] flattened, or null. */
  hidden: Array<{ rows: number[]; timesteps: number; values: number[] } | null> | null;
  /** For continuity: initial state of the next batch of the run (step + 1), when it exists and was captured. */
  next: { step: number; cause: string; layers: Array<{ h0: number[]; c0: number[] } | null> } | null;
}

/** Host -> webview. */
export type ToWebview =
  /**
   * Answer to `ready`: everything known about the run. With `columns`, `snapshot.batches` is empty
   * and the columns hold every batch (typed arrays cross the IPC as buffers: fast for 100k batches).
   */
  | { type: 'snapshot'; protocolVersion: number; snapshot: RunSnapshot; columns?: BatchColumns }
  /** New batches and status since the last message (coalesced). */
  | { type: 'delta'; batches: BatchRecord[]; resets: RunSnapshot['resets']; epochLosses: RunSnapshot['epochLosses']; status: RunStatus; answer: string; message?: string }
  /** Answer to `requestBatch`. */
  | { type: 'batchDetail'; inReplyTo: number; detail: BatchDetail }
  /** A request failed. */
  | { type: 'error'; inReplyTo: number; message: string }
  /** Select a batch (from the sidebar tree). */
  | { type: 'select'; step: number };

/** Toolbar actions the webview can ask for. */
export type PanelAction = 'resetNow' | 'pause' | 'resume' | 'stop' | 'export';

/** Webview -> host. */
export type FromWebview =
  /** The webview has loaded and wants a snapshot. */
  | { type: 'ready' }
  /** Full tensors of one batch; answered by `batchDetail` or `error` with the same id. */
  | { type: 'requestBatch'; requestId: number; step: number }
  /** The user selected a batch in the panel (synced to the tree). */
  | { type: 'selected'; step: number }
  /** A toolbar button. */
  | { type: 'action'; action: PanelAction };
