/** Everything decided before the first batch: the validated config, the data, the lint, the batch plan of every phase. */
import * as path from 'path';
import { loadDataset, type RunDataset } from '../config/data/loadDataset';
import { lintConfig, type LintWarning } from '../config/lint';
import { loadConfig, type RunConfig } from '../config/loadConfig';
import type { LstmConfig } from '../shared/config';
import type { PredictInfo, ValidationInfo } from '../shared/runFormat';
import type { TrainRequest } from '../shared/trainerArgs';

/** The config, read, validated and with the request's overrides applied (no data read yet). */
export interface PreparedConfig {
  configPath: string;
  config: LstmConfig;
  resolved: RunConfig;
  workspaceRoot: string;
}

/** Samples [first, first + used) of X, run in order in `batches` batches (a stateful layer drops a partial last batch). */
export interface SampleRange {
  first: number;
  /** Samples run (a stateful layer runs whole batches only). */
  used: number;
  batches: number;
}

export interface PreparedRun extends PreparedConfig {
  dataset: RunDataset;
  warnings: LintWarning[];
  batchSize: number;
  batchesPerEpoch: number;
  /** Training samples used per epoch: a stateful run drops the remainder so every row has a partner. */
  samplesPerEpoch: number;
  /** Validation after each epoch, in order, as written to the manifest; null without. */
  validation: (SampleRange & { info: ValidationInfo }) | null;
  /** Prediction after training, in order; null without. */
  predict: (SampleRange & { info: PredictInfo }) | null;
}

/** Throws ConfigError (naming the field) for a config that cannot run; reads no data. */
export function prepareConfig(request: TrainRequest): PreparedConfig {
  const configPath = path.resolve(request.configPath);
  const { config, resolved, workspaceRoot } = loadConfig(configPath, request.workspaceRoot);
  if (request.runsDir) resolved.runsDir = path.resolve(request.runsDir);
  if (request.backend) resolved.backend = request.backend;
  if (request.tensorBudgetBytes !== undefined) resolved.capture.tensorBudgetBytes = request.tensorBudgetBytes;
  return { configPath, config, resolved, workspaceRoot };
}

/** Reads or generates the data and plans every phase's batches (loadDataset refuses a stateful run without one full batch). */
export function prepareData(prepared: PreparedConfig): PreparedRun {
  const { resolved, configPath, workspaceRoot, config } = prepared;
  const dataset = loadDataset(resolved, configPath, workspaceRoot);
  const batchSize = resolved.training.batchSize;
  const stateful = resolved.model.stateful;
  const train = rangeOf(0, dataset.trainSamples, batchSize, stateful);
  const held = dataset.validation;
  const validation = held
    ? (() => {
        const range = rangeOf(held.first, held.samples, batchSize, stateful);
        const info: ValidationInfo = {
          first: held.first,
          samples: range.used,
          batchesPerEpoch: range.batches,
          state: resolved.validationState,
          source: held.source,
        };
        return { ...range, info };
      })()
    : null;
  const predictConfig = resolved.predict;
  const predict = predictConfig
    ? (() => {
        const range =
          predictConfig.data === 'validation' && held
            ? rangeOf(held.first, held.samples, batchSize, stateful)
            : rangeOf(0, dataset.trainSamples, batchSize, stateful);
        const info: PredictInfo = {
          data: predictConfig.data,
          first: range.first,
          samples: range.used,
          batches: range.batches,
          reset: predictConfig.reset,
        };
        return { ...range, info };
      })()
    : null;
  return {
    ...prepared,
    dataset,
    warnings: lintConfig(
      resolved,
      { samples: dataset.trainSamples, timesteps: dataset.timesteps, validationSamples: held?.samples ?? null },
      config,
    ),
    batchSize,
    batchesPerEpoch: train.batches,
    samplesPerEpoch: train.used,
    validation,
    predict,
  };
}

function rangeOf(first: number, samples: number, batchSize: number, stateful: boolean): SampleRange {
  const batches = stateful ? Math.floor(samples / batchSize) : Math.ceil(samples / batchSize);
  return { first, used: stateful ? batches * batchSize : samples, batches };
}

/** The samples of batch `b` of a range, in order. */
export function rowsOf(range: SampleRange, batchSize: number, b: number): number[] {
  const start = b * batchSize;
  const end = Math.min(start + batchSize, range.used);
  return Array.from({ length: end - start }, (_, i) => range.first + start + i);
}

/** Config and data at once: what the trainer checks before a run, as one call (the editor's check is compared with it). */
export function prepareRun(request: TrainRequest): PreparedRun {
  return prepareData(prepareConfig(request));
}
