/**
 * The channel between the extension host and a timeline webview (`postMessage`). The webview
 * starts with `ready`; the host answers with a full `snapshot`, then sends coalesced `delta`s.
 * Batch tensors are fetched on demand (`requestBatch` → `batchDetail` or `error`).
 *
 *   host  --ToWebview-->    webview
 *   host  <--FromWebview--  webview
 *
 * The standalone HTML report serves the same messages from embedded data.
 */
import type { BatchColumns } from '../batchColumns';
import type { ResetCause } from '../causes';
import type { BatchRecord, RunManifest, RunStatus } from '../runFormat';
import { isInteger, isOneOf, isRecord, isString, unionChecker } from './check';

/** Bumped on any incompatible change; sent in every snapshot. */
export const WEBVIEW_PROTOCOL_VERSION = 4;

/** A reset applied at a batch boundary, as the webview lists it. */
export interface ResetMark {
  cause: ResetCause;
  beforeStep: number;
}
/** The mean losses of an ended epoch: training's, and validation's when the run validates. */
export interface EpochLoss {
  epoch: number;
  meanLoss: number;
  validation?: { meanLoss: number; batches: number };
}
/** A lint warning of the run's config. */
export interface RunWarning {
  code: string;
  message: string;
  field: string;
}

/** A run as the webview sees it: its manifest, every batch summary, and what happened. */
export interface RunSnapshot {
  runDir: string;
  manifest: RunManifest;
  status: RunStatus;
  batches: BatchRecord[];
  resets: ResetMark[];
  epochLosses: EpochLoss[];
  warnings: RunWarning[];
  answer: string;
  message?: string;
  /** When the run ended (its end record), if it did. */
  endedAt?: string;
}

/** Numbers of a tensor: an array from the host, float32 views of its data in a report. */
export type Floats = number[] | Float32Array;

/** Per layer, one batch's four states as row-major [rows][units] arrays (c0 and c empty for a GRU or RNN). */
export interface LayerTensors {
  units: number;
  h0: Floats;
  c0: Floats;
  h: Floats;
  c: Floats;
}
/** Per layer, the per-row L2 norm of each state. */
export interface LayerNorms {
  h0: Floats;
  c0: Floats;
  h: Floats;
  c: Floats;
}
/** Per layer, the hidden sequences of the captured rows, [row][timestep][unit] flattened. */
export interface HiddenRows {
  rows: number[];
  timesteps: number;
  values: Floats;
}

/** Full tensors of one batch, per layer. */
export interface BatchDetail {
  step: number;
  /** The batch's record as its log line says, with what a panel's snapshot leaves out (rows, row sources, offsets). */
  record: BatchRecord;
  /** Per layer; null when the batch was past the tensor budget (norms only). */
  layers: Array<LayerTensors | null>;
  /** Per-row norms per layer (always present). */
  norms: LayerNorms[];
  hidden: Array<HiddenRows | null> | null;
  /** What is left out of this detail and why (a report's size budget, a damaged file), shown with it. */
  note?: string;
  /** For continuity: initial state of the next batch of the run (step + 1), when it exists and was captured. */
  next: { step: number; cause: BatchRecord['cause']; layers: Array<{ h0: Floats; c0: Floats } | null> } | null;
}

// ---------------------------------------------------------------- host -> webview

/**
 * Answer to `ready`: everything known about the run. With `columns`, `snapshot.batches` is empty
 * and the columns hold every batch (typed arrays cross the IPC as buffers: fast for 100k batches).
 */
export interface SnapshotMessage {
  type: 'snapshot';
  protocolVersion: number;
  snapshot: RunSnapshot;
  columns?: BatchColumns;
  /** The most times per second the panel repaints for a live run (`lstmState.updateRateHz`); absent: every frame. */
  updateRateHz?: number;
}
/** New batches, resets and epoch losses since the last message, with the current status and answer (coalesced). */
export interface DeltaMessage {
  type: 'delta';
  batches: BatchRecord[];
  resets: ResetMark[];
  epochLosses: EpochLoss[];
  status: RunStatus;
  answer: string;
  message?: string;
  endedAt?: string;
}
/** Answer to `requestBatch`. */
export interface BatchDetailMessage {
  type: 'batchDetail';
  inReplyTo: number;
  detail: BatchDetail;
}
/** A request could not be answered. */
export interface ErrorMessage {
  type: 'error';
  inReplyTo: number;
  message: string;
}
/** Select a batch (from the sidebar tree). */
export interface SelectMessage {
  type: 'select';
  step: number;
}
/** One run of a comparison: its snapshot, its batches packed as columns (then `snapshot.batches` is empty). */
export interface CompareRun {
  snapshot: RunSnapshot;
  columns?: BatchColumns;
}
/** The runs of a comparison page (answer to `ready` in a comparison panel, and again when a live run changes). */
export interface CompareMessage {
  type: 'compare';
  protocolVersion: number;
  runs: CompareRun[];
}

/** Host -> webview. */
export type ToWebview =
  SnapshotMessage | DeltaMessage | BatchDetailMessage | ErrorMessage | SelectMessage | CompareMessage;

const isArray = Array.isArray;

/** The webview checks the envelope of what it is sent (the host builds the contents from a run it has read). */
export const isToWebview = unionChecker<ToWebview>({
  snapshot: (m) => isInteger(m.protocolVersion) && isRecord(m.snapshot) && isArray(m.snapshot.batches),
  delta: (m) =>
    isArray(m.batches) && isArray(m.resets) && isArray(m.epochLosses) && isString(m.status) && isString(m.answer),
  batchDetail: (m) => isInteger(m.inReplyTo) && isRecord(m.detail) && isInteger(m.detail.step),
  error: (m) => isInteger(m.inReplyTo) && isString(m.message),
  select: (m) => isInteger(m.step),
  compare: (m) => isInteger(m.protocolVersion) && isArray(m.runs),
});

// ---------------------------------------------------------------- webview -> host

/** Toolbar actions the webview can ask for. */
export const PANEL_ACTIONS = ['resetNow', 'pause', 'resume', 'stop', 'export'] as const;
export type PanelAction = (typeof PANEL_ACTIONS)[number];

/** The webview has loaded and wants a snapshot. */
export interface ReadyMessage {
  type: 'ready';
}
/** Full tensors of one batch; answered by `batchDetail` or `error` with the same id. */
export interface RequestBatchMessage {
  type: 'requestBatch';
  requestId: number;
  step: number;
}
/** The user selected a batch in the panel (synced to the tree). */
export interface SelectedMessage {
  type: 'selected';
  step: number;
}
/** A toolbar button. */
export interface ActionMessage {
  type: 'action';
  action: PanelAction;
}

/** Write this run (or these compared runs) as a standalone HTML report: the host asks where. */
export interface ExportReportMessage {
  type: 'exportReport';
}

/** Webview -> host. */
export type FromWebview = ReadyMessage | RequestBatchMessage | SelectedMessage | ActionMessage | ExportReportMessage;

/** The host checks everything a webview sends (the webview is a separate, untrusted page). */
export const isFromWebview = unionChecker<FromWebview>({
  ready: () => true,
  requestBatch: (m) => isInteger(m.requestId) && isInteger(m.step),
  selected: (m) => isInteger(m.step),
  action: (m) => isOneOf(PANEL_ACTIONS, m.action),
  exportReport: () => true,
});
