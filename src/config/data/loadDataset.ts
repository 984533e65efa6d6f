/** Builds or sizes the dataset a resolved config describes, with the checks the trainer makes. */
import { isCsvData, type ResolvedConfig } from '../../shared/config';
import { ConfigError } from '../configError';
import { loadCsvDataset } from './csvData';
import type { Dataset } from './dataset';
import { checkGeneratedSize, generateDataset } from './generators';

/** Builds the dataset a resolved config describes; CSV paths resolve relative to the config file. */
export function loadDataset(resolved: ResolvedConfig, configPath: string, workspaceRoot: string): Dataset {
  const dataset = isCsvData(resolved.data)
    ? loadCsvDataset(resolved.data, configPath, workspaceRoot)
    : generateDataset(resolved.data, resolved.training.batchSize);
  checkSampleCount(resolved, dataset.samples);
  return dataset;
}

/**
 * The dataset's size with every check loadDataset makes. Generated data is sized without
 * generating it; CSV data is read and parsed whole (so call it off the editor's thread).
 */
export function datasetSize(
  resolved: ResolvedConfig,
  configPath: string,
  workspaceRoot: string,
): { samples: number; timesteps: number } {
  if (isCsvData(resolved.data)) return loadDataset(resolved, configPath, workspaceRoot);
  checkGeneratedSize(resolved.data);
  checkSampleCount(resolved, resolved.data.samples);
  return { samples: resolved.data.samples, timesteps: resolved.data.timesteps };
}

/** A stateful run trains whole batches only, so it needs at least one full batch of samples. */
function checkSampleCount(resolved: ResolvedConfig, samples: number): void {
  const { batchSize } = resolved.training;
  if (resolved.model.stateful && samples < batchSize) {
    throw new ConfigError(
      'training.batchSize',
      `a stateful LSTM needs whole batches, but the data has only ${samples} sample${samples === 1 ? '' : 's'} for a batch size of ${batchSize}. ` +
        `Lower training.batchSize to at most ${samples} or provide more data.`,
    );
  }
}
