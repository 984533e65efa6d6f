/** Types of a `*.lstm.json` config; `media/lstm-config.schema.json` is the source of truth. */

export type GeneratorName = 'sine' | 'randomWalk' | 'noise';

/** Sequences made by a seeded generator. */
export interface GeneratorData {
  generator: GeneratorName;
  samples: number;
  timesteps: number;
  features?: number;
  seed?: number;
  /** `continuous`: sample i + batchSize continues sample i (the layout stateful LSTMs need). */
  layout?: 'independent' | 'continuous';
}

/** A CSV series cut into windows; the target is the row after each window. */
export interface CsvData {
  csv: string;
  columns: string[];
  target: string;
  window: number;
  stride?: number;
}

export type DataConfig = GeneratorData | CsvData;

export type ResetSchedule = 'never' | 'epoch' | { everyBatches: number };

export interface ModelConfig {
  units: number | number[];
  stateful?: boolean;
  recurrentActivation?: 'sigmoid' | 'hardSigmoid';
  activation?: 'tanh';
  seed?: number;
}

export interface TrainingConfig {
  batchSize: number;
  epochs: number;
  shuffle?: boolean;
  optimizer?: 'adam' | 'sgd' | 'rmsprop';
  learningRate?: number;
  seed?: number;
  /** `stop` (default): a non-finite loss or state ends the run as failed; `continue`: it is recorded and training goes on. */
  onNonFinite?: 'stop' | 'continue';
}

export interface CaptureConfig {
  tensorBudgetBytes?: number;
  hiddenRows?: number[];
  inputs?: boolean;
}

/** Validation data: the last fraction of the samples (Keras's validation_split) or its own data. */
export type ValidationConfig = { split: number } | { data: DataConfig };

/** What validation does to a stateful layer's state (docs/run-format.md). */
export type ValidationState = 'shared' | 'isolated' | 'reset';

/** A model.predict pass after training. */
export interface PredictConfig {
  data?: 'train' | 'validation';
  reset?: boolean;
}

export type BackendChoice = 'auto' | 'native' | 'wasm' | 'cpu';

/** Every backend choice, in the order messages list them. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'native', 'wasm', 'cpu'];

export function isBackendChoice(value: unknown): value is BackendChoice {
  return (BACKEND_CHOICES as readonly unknown[]).includes(value);
}

/** A config exactly as written in the file (after schema validation). */
export interface LstmConfig {
  $schema?: string;
  name?: string;
  data: DataConfig;
  model: ModelConfig;
  training: TrainingConfig;
  resets?: ResetSchedule;
  validation?: ValidationConfig;
  validationState?: ValidationState;
  predict?: PredictConfig;
  capture?: CaptureConfig;
  backend?: BackendChoice;
  runsDir?: string;
}

/**
 * A validated config with every default filled in. The fields marked optional are always filled
 * by the config layer; they are absent from the manifests of runs recorded before they existed.
 */
export interface ResolvedConfig {
  name: string;
  data: DataConfig;
  model: Required<Omit<ModelConfig, 'units'>> & { units: number[] };
  training: Required<Omit<TrainingConfig, 'onNonFinite'>> & Pick<TrainingConfig, 'onNonFinite'>;
  resets: ResetSchedule;
  /** null: no validation. */
  validation?: ValidationConfig | null;
  validationState?: ValidationState;
  /** null: no prediction pass. */
  predict?: Required<PredictConfig> | null;
  capture: Required<CaptureConfig>;
  backend: BackendChoice;
  runsDir: string;
}

export function isCsvData(data: DataConfig): data is CsvData {
  return 'csv' in data;
}

/** Whether a value (e.g. from a message) is a reset schedule. */
export function isResetSchedule(value: unknown): value is ResetSchedule {
  if (value === 'never' || value === 'epoch') return true;
  if (typeof value !== 'object' || value === null) return false;
  const n = (value as { everyBatches?: unknown }).everyBatches;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1;
}

/** Human wording of a reset schedule, e.g. "every 3 batches". */
export function describeSchedule(schedule: ResetSchedule): string {
  if (schedule === 'never') return 'never';
  if (schedule === 'epoch') return 'at every epoch end';
  return `every ${schedule.everyBatches} batch${schedule.everyBatches === 1 ? '' : 'es'}`;
}

/** `python` in a config: the user's own PyTorch script, recorded by python/lstm_state_timeline. */
export interface PythonScript {
  /** The script, relative to the config. */
  script: string;
  args?: string[];
  /** The script's working folder, relative to the config (default: the config's folder). */
  cwd?: string;
  /** Sample j + stride continues sample j: lets the recorder say whether the data continues. */
  stride?: number;
  epochs?: number;
  hiddenRows?: number[];
  budgetBytes?: number;
}

/** A config that records a script instead of training (schema: the `then` form). */
export interface PythonConfig {
  $schema?: string;
  name?: string;
  runsDir?: string;
  python: PythonScript;
}

/** A python config with its paths resolved (absolute) and its defaults filled in. */
export interface ResolvedPythonConfig {
  name: string;
  script: string;
  args: string[];
  cwd: string;
  runsDir: string;
  stride: number | undefined;
  epochs: number | undefined;
  hiddenRows: number[];
  budgetBytes: number;
}

/** Whether a parsed config (or any JSON value) is the python form: an object with a `python` key. */
export function isPythonConfig(value: unknown): value is PythonConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'python' in value;
}
