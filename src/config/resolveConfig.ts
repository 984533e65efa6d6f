/** A validated config with every schema default filled in: what the trainer runs. */
import * as path from 'path';
import {
  isCsvData,
  type DataConfig,
  type LstmConfig,
  type PredictConfig,
  type ResolvedConfig,
  type TrainingConfig,
  type ValidationConfig,
  type ValidationState,
} from '../shared/config';
import { DEFAULTS } from './configDefaults';

/** ResolvedConfig as this config layer makes it: the fields old manifests may lack are always there. */
export type RunConfig = ResolvedConfig & {
  training: Required<TrainingConfig>;
  validation: ValidationConfig | null;
  validationState: ValidationState;
  predict: Required<PredictConfig> | null;
};

/** The config with every schema default filled in; `runsDir` becomes absolute. */
export function resolveConfig(config: LstmConfig, configPath: string): RunConfig {
  const configDir = path.dirname(path.resolve(configPath));
  const { model, training, capture = {} } = config;
  const resets = config.resets ?? DEFAULTS.resets;
  const validation = config.validation;
  return {
    name: config.name ?? defaultName(configPath),
    data: resolveData(config.data),
    model: {
      units: Array.isArray(model.units) ? [...model.units] : [model.units],
      stateful: model.stateful ?? DEFAULTS.stateful,
      recurrentActivation: model.recurrentActivation ?? DEFAULTS.recurrentActivation,
      activation: model.activation ?? DEFAULTS.activation,
      seed: model.seed ?? DEFAULTS.modelSeed,
    },
    training: {
      batchSize: training.batchSize,
      epochs: training.epochs,
      shuffle: training.shuffle ?? DEFAULTS.shuffle,
      optimizer: training.optimizer ?? DEFAULTS.optimizer,
      learningRate: training.learningRate ?? DEFAULTS.learningRate,
      seed: training.seed ?? DEFAULTS.trainingSeed,
      onNonFinite: training.onNonFinite ?? DEFAULTS.onNonFinite,
    },
    resets: typeof resets === 'string' ? resets : { ...resets },
    validation:
      validation === undefined
        ? null
        : 'split' in validation
          ? { split: validation.split }
          : { data: resolveData(validation.data) },
    validationState: config.validationState ?? DEFAULTS.validationState,
    predict:
      config.predict === undefined
        ? null
        : {
            data: config.predict.data ?? DEFAULTS.predictData,
            reset: config.predict.reset ?? DEFAULTS.predictReset,
          },
    capture: {
      tensorBudgetBytes: capture.tensorBudgetBytes ?? DEFAULTS.tensorBudgetBytes,
      hiddenRows: [...(capture.hiddenRows ?? DEFAULTS.hiddenRows)],
      inputs: capture.inputs ?? DEFAULTS.inputs,
    },
    backend: config.backend ?? DEFAULTS.backend,
    runsDir: path.resolve(configDir, config.runsDir ?? DEFAULTS.runsDir),
  };
}

function resolveData(data: DataConfig): DataConfig {
  return isCsvData(data)
    ? { ...data, columns: [...data.columns], stride: data.stride ?? DEFAULTS.stride }
    : {
        ...data,
        features: data.features ?? DEFAULTS.features,
        seed: data.seed ?? DEFAULTS.dataSeed,
        layout: data.layout ?? DEFAULTS.layout,
      };
}

/** `air.lstm.json` → `air` (or the file name without `.json`). */
function defaultName(configPath: string): string {
  const base = path.basename(configPath);
  if (base.endsWith('.lstm.json') && base.length > '.lstm.json'.length) return base.slice(0, -'.lstm.json'.length);
  return base.replace(/\.json$/, '') || base;
}
