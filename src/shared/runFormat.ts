/**
 * The run folder format (docs/run-format.md), as TypeScript types: what every writer writes and
 * what the reader (src/runStore/) hands to every view. Imports nothing of the project but shared
 * types. On disk a non-finite number is the string "NaN", "Infinity" or "-Infinity"; in memory it
 * is the number itself, and `null` means "not known".
 */
import type { InitialStateCause, ResetCause } from './causes';
import type { LstmConfig, ResetSchedule, ResolvedConfig } from './config';

/** The version this code writes. */
export const RUN_FORMAT_VERSION = 2;
/** The versions this code reads (version 1 is normalised to version 2 on reading). */
export const READABLE_FORMAT_VERSIONS: readonly number[] = [1, 2];

export const RUN_FILES = {
  manifest: 'manifest.json',
  log: 'log.jsonl',
  norms: 'norms.bin',
  states: 'states.bin',
  hidden: 'hidden.bin',
  x: 'data/x.bin',
  y: 'data/y.bin',
  weightsDir: 'weights',
  control: 'control.jsonl',
  heartbeat: 'heartbeat',
} as const;

export type BackendName = 'tensorflow' | 'wasm' | 'cpu' | 'pytorch';

/** A number as JSON can hold it: non-finite values as strings. */
export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/** Writes a number so that NaN and ±Infinity survive JSON (JSON.stringify would make them null). */
export function encodeNumber(value: number): JsonNumber {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

/** Reads a number written by `encodeNumber`; undefined when `value` is not one. */
export function decodeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return undefined;
}

/** Who wrote a run. */
export type WriterName = 'trainer' | 'pytorch-recorder';

/** What makes a run's writer recognisable as alive (docs/run-format.md, "Status of a run"). */
export interface WriterProcess {
  pid: number;
  hostname: string;
  /** Field 22 of /proc/<pid>/stat when the writer started (Linux), else null. */
  startTicks: number | null;
}

/** The script a PyTorch run recorded, and which of its modules. */
export interface RecordedScript {
  path: string;
  argv: string[];
  cwd: string;
  module: string;
}

/** One recurrent layer (one direction of one layer for a bidirectional PyTorch module). */
export interface LayerInfo {
  name: string;
  /** Width of h. */
  units: number;
  /** Width of c (differs from units only with PyTorch's proj_size). */
  cellUnits: number;
  params: number;
}

/** Written once when a run starts. */
export interface RunManifest {
  formatVersion: number;
  runId: string;
  name: string;
  createdAt: string;
  writer: { name: WriterName; version: string };
  backend: BackendName;
  versions: Record<string, string>;
  process: WriterProcess;
  /** Absolute path of the config file this run was started from; null for a script recorded without one. */
  configPath: string | null;
  /** The config as written in the file (null without one). */
  config: LstmConfig | null;
  /** The trainer's config with every default filled in: what actually ran (null for a recorded script). */
  resolved: ResolvedConfig | null;
  /** A recorded script: its path, arguments, working folder, and the module this run records. */
  script: RecordedScript | null;
  /** What was trained on; a recorder may not know a size in advance (null). */
  data: {
    samples: number | null;
    /** Sequence length; null when it varies (each batch record then has its own). */
    timesteps: number | null;
    features: number | null;
    targets: number | null;
    /** Human description, e.g. "sine generator, seed 0" or "data/air.csv (window 20, stride 1)". */
    source: string;
    /** Whether data/x.bin and data/y.bin were written. */
    saved: boolean;
  };
  model: {
    kind: 'lstm' | 'gru' | 'rnn';
    /** The state tensors of each layer: ['h', 'c'] for an LSTM. */
    states: Array<'h' | 'c'>;
    /** null when the script decides batch by batch (a recorded PyTorch module). */
    stateful: boolean | null;
    layers: LayerInfo[];
    head: { units: number; params: number } | null;
    totalParams: number;
    recurrentActivation: 'sigmoid' | 'hardSigmoid' | null;
  };
  /** null when not fixed in advance. */
  batchSize: number | null;
  /** null when not known in advance. */
  batchesPerEpoch: number | null;
  /** null when not known in advance. */
  epochs: number | null;
  /** Rows whose hidden sequence is kept. */
  hiddenRows: number[];
  /** Layers whose hidden sequence is kept (indices into model.layers). */
  hiddenLayers: number[];
  /** Commands the writer reads from control.jsonl. */
  control: string[];
}

/** What a batch was run for. */
export type Phase = 'train' | 'validate' | 'predict' | 'eval';
export const PHASES: readonly Phase[] = ['train', 'validate', 'predict', 'eval'];

/** Flags a writer may set on a batch (docs/run-format.md). */
export type BatchFlag = 'withGraph' | 'fromEval' | 'shuffledData';
export const BATCH_FLAGS: readonly BatchFlag[] = ['withGraph', 'fromEval', 'shuffledData'];

/** Per layer, the mean over rows of each state's per-row L2 norm. */
export interface MeanNorms {
  h0: number;
  c0: number;
  h: number;
  c: number;
}

/** One forward pass, as the reader returns it (offsets are byte offsets, multiples of 4). */
export interface BatchRecord {
  t: 'batch';
  /** Index within the run (0-based, across epochs and phases). */
  step: number;
  epoch: number;
  /** Index within (epoch, phase). */
  batch: number;
  phase: Phase;
  rowCount: number;
  /** Sample index (into X) of every row; null when not known. */
  rows: number[] | null;
  /** Sequence length of this batch; null when the run does not say (then it is manifest.data.timesteps). */
  timesteps: number | null;
  /** NaN or ±Infinity when the loss was not finite; null when not known (e.g. an eval call without backward). */
  loss: number | null;
  cause: InitialStateCause;
  /** The step whose final state this batch starts from (carried, restored, permuted, partial). */
  carriedFrom: number | null;
  /** Permuted or partial: for row i, the row of carriedFrom it continues, or null. */
  rowSources: Array<number | null> | null;
  flags: BatchFlag[];
  /** Whether row i's data continues row i's data of carriedFrom; null when unknown. */
  dataContinues: boolean | null;
  /** Mean over rows of the per-row L2 norms, per layer. */
  meanNorms: MeanNorms[];
  normsOffset: number;
  /** null once the tensor budget is spent. */
  statesOffset: number | null;
  hiddenOffset: number | null;
  /** Milliseconds spent on this batch (forward + backward + capture). */
  ms: number;
  /** Set (by the reader, never written) when the batch's log line could not be read: why. Cause `unreadable`. */
  unreadable?: string;
}

/** A reset applied at a batch boundary (stateful runs only). */
export interface ResetRecord {
  t: 'reset';
  cause: ResetCause;
  /** The step that starts from the zeroed state. */
  beforeStep: number;
  epoch: number;
  batch: number;
}

export interface EpochEndRecord {
  t: 'epochEnd';
  epoch: number;
  /** Mean of the epoch's finite training losses (NaN when there was none). */
  meanLoss: number;
  batches: number;
  /** The epoch's validation, when the run validates. */
  validation?: { meanLoss: number; batches: number };
}

/** A weights snapshot: `initial` or `epoch-<n>` (after epoch n). */
export interface WeightsRecord {
  t: 'weights';
  point: string;
  file: string;
  /** Keras layout: per LSTM layer kernel [in, 4u], recurrent_kernel [u, 4u], bias [4u] (gates i, f, c, o); then head kernel, bias. */
  tensors: Array<{ name: string; shape: number[] }>;
}

export interface ScheduleRecord {
  t: 'schedule';
  schedule: ResetSchedule;
  fromStep: number;
}

export interface WarningRecord {
  t: 'warning';
  code: string;
  message: string;
  field: string;
}

/** The writer paused before, or resumed at, step `atStep`. */
export interface StateRecord {
  t: 'state';
  status: 'paused' | 'running';
  atStep: number;
}

export type RunStatus = 'running' | 'paused' | 'finished' | 'stopped' | 'failed' | 'interrupted';

export interface EndRecord {
  t: 'end';
  status: 'finished' | 'stopped' | 'failed';
  at: string;
  message?: string;
  /** Where a failure happened (a script's file and line). */
  location?: { file: string; line: number };
}

export type LogRecord =
  BatchRecord | ResetRecord | EpochEndRecord | WeightsRecord | ScheduleRecord | WarningRecord | StateRecord | EndRecord;

/** Float32 count of one batch's norms block. */
export function normsFloats(layers: number, rows: number, states = 2): number {
  return layers * 2 * states * rows;
}

/** The captured hidden rows that exist in a batch of `batchRowCount` rows (a smaller last batch may lack some). */
export function hiddenRowsIn(hiddenRows: readonly number[], batchRowCount: number): number[] {
  return hiddenRows.filter((row) => row < batchRowCount);
}

/** Float32 count of one batch's states block. */
export function statesFloats(units: number[], rows: number): number {
  return units.reduce((sum, u) => sum + 4 * rows * u, 0);
}
