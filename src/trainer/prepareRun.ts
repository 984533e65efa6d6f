/** Everything decided before the first batch: the validated config, the data, the lint, the batch plan. */
import * as path from 'path';
import type { Dataset } from '../config/data/dataset';
import { loadDataset } from '../config/data/loadDataset';
import { lintConfig, type LintWarning } from '../config/lint';
import { loadConfig } from '../config/loadConfig';
import type { LstmConfig, ResolvedConfig } from '../shared/config';
import type { TrainRequest } from '../shared/trainerArgs';

export interface PreparedRun {
  configPath: string;
  config: LstmConfig;
  resolved: ResolvedConfig;
  dataset: Dataset;
  warnings: LintWarning[];
  batchSize: number;
  batchesPerEpoch: number;
  /** Samples used per epoch: a stateful run drops the remainder so every row has a partner. */
  samplesPerEpoch: number;
}

/** Throws ConfigError (naming the field) for anything that would make the run meaningless (loadDataset refuses a stateful run without one full batch). */
export function prepareRun(request: TrainRequest): PreparedRun {
  const configPath = path.resolve(request.configPath);
  const { config, resolved, workspaceRoot } = loadConfig(configPath, request.workspaceRoot);
  if (request.runsDir) resolved.runsDir = path.resolve(request.runsDir);
  if (request.backend) resolved.backend = request.backend;
  if (request.tensorBudgetBytes !== undefined) resolved.capture.tensorBudgetBytes = request.tensorBudgetBytes;
  const dataset = loadDataset(resolved, configPath, workspaceRoot);
  const batchSize = resolved.training.batchSize;
  const stateful = resolved.model.stateful;
  const batchesPerEpoch = stateful ? Math.floor(dataset.samples / batchSize) : Math.ceil(dataset.samples / batchSize);
  return {
    configPath,
    config,
    resolved,
    dataset,
    warnings: lintConfig(resolved, dataset, config),
    batchSize,
    batchesPerEpoch,
    samplesPerEpoch: stateful ? batchesPerEpoch * batchSize : dataset.samples,
  };
}
