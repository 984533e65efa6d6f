/**
 * The on-disk format of one run folder (documented in README.md, "Run folder format").
 * Every number the product shows is read back from these files.
 *
 *   manifest.json   written once at start (atomically); never rewritten
 *   log.jsonl       append-only, one LogRecord per line; a torn last line is ignored
 *   norms.bin       float32, per batch: for each layer [h0, c0, h, c] x rows  (L2 norm per row)
 *   states.bin      float32, per captured batch: for each layer [h0, c0, h, c] x rows x units
 *   hidden.bin      float32, per batch with hidden rows: for each layer hiddenRows x timesteps x units
 *   data/x.bin      float32 [samples, timesteps, features] (if capture.inputs)
 *   data/y.bin      float32 [samples, targets]             (if capture.inputs)
 *   weights/<point>.bin  float32, tensors in the order of WeightsRecord.tensors
 *
 * Binary payloads are written before the log line that points at them, so a complete
 * log line always has its bytes on disk, whatever moment the trainer was killed.
 */
import type { InitialStateCause } from './causes';
import type { LstmConfig, ResolvedConfig } from './config';

export const RUN_FORMAT_VERSION = 1;

export const RUN_FILES = {
  manifest: 'manifest.json',
  log: 'log.jsonl',
  norms: 'norms.bin',
  states: 'states.bin',
  hidden: 'hidden.bin',
  x: 'data/x.bin',
  y: 'data/y.bin',
  weightsDir: 'weights',
} as const;

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Written once when a run starts. */
export interface RunManifest {
  format: typeof RUN_FORMAT_VERSION;
  runId: string;
  name: string;
  /** Absolute path of the config file this run was started from. */
  configPath: string;
  /** The config as written in the file. */
  config: LstmConfig;
  /** The config with every default filled in: what actually ran. */
  resolved: ResolvedConfig;
  createdAt: string;
  backend: BackendName;
  versions: { tfjs: string; node: string; product: string };
  pid: number;
  hostname: string;
  data: {
    samples: number;
    timesteps: number;
    features: number;
    targets: number;
    /** Human description, e.g. "sine generator, seed 0" or "data/air.csv (window 20, stride 1)". */
    source: string;
    /** Whether data/x.bin and data/y.bin were written. */
    saved: boolean;
  };
  model: {
    stateful: boolean;
    layers: Array<{ units: number; params: number }>;
    head: { units: number; params: number };
    totalParams: number;
    recurrentActivation: 'sigmoid' | 'hardSigmoid';
  };
  batchSize: number;
  batchesPerEpoch: number;
  epochs: number;
  hiddenRows: number[];
}

/** Byte offsets into the binary files (always a multiple of 4). */
export interface BatchRecord {
  t: 'batch';
  epoch: number;
  /** Index within the epoch. */
  batch: number;
  /** Index within the run (0-based, across epochs). */
  step: number;
  /** Sample index (into X) of every row. */
  rows: number[];
  loss: number;
  cause: InitialStateCause;
  /** For `carried`: the step whose final state this batch starts from. */
  carriedFrom: number | null;
  /** Mean over rows of the per-row L2 norms, per layer. */
  meanNorms: Array<{ h0: number; c0: number; h: number; c: number }>;
  normsOffset: number;
  /** null once the tensor budget is spent. */
  statesOffset: number | null;
  hiddenOffset: number | null;
  /** Milliseconds spent on this batch (forward + backward + capture). */
  ms: number;
}

/** A reset applied at a batch boundary (stateful runs only). */
export interface ResetRecord {
  t: 'reset';
  cause: Exclude<InitialStateCause, 'auto' | 'carried' | 'first'>;
  /** The step that starts from the zeroed state. */
  beforeStep: number;
  epoch: number;
  batch: number;
}

export interface EpochEndRecord {
  t: 'epochEnd';
  epoch: number;
  meanLoss: number;
  batches: number;
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
  schedule: import('./config').ResetSchedule;
  fromStep: number;
}

export interface WarningRecord {
  t: 'warning';
  code: string;
  message: string;
  field: string;
}

export type RunStatus = 'running' | 'paused' | 'finished' | 'stopped' | 'failed' | 'interrupted';

export interface EndRecord {
  t: 'end';
  status: 'finished' | 'stopped' | 'failed';
  at: string;
  message?: string;
}

export type LogRecord =
  | BatchRecord
  | ResetRecord
  | EpochEndRecord
  | WeightsRecord
  | ScheduleRecord
  | WarningRecord
  | EndRecord;

/** Float32 count of one batch's norms block. */
export function normsFloats(layers: number, rows: number): number {
  return layers * 4 * rows;
}

/** The captured hidden rows that exist in a batch of `batchRowCount` rows (a smaller last batch may lack some). */
export function hiddenRowsIn(hiddenRows: readonly number[], batchRowCount: number): number[] {
  return hiddenRows.filter((row) => row < batchRowCount);
}

/** Float32 count of one batch's states block. */
export function statesFloats(units: number[], rows: number): number {
  return units.reduce((sum, u) => sum + 4 * rows * u, 0);
}
