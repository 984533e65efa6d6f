/** The training data as float arrays, from a generator or a CSV file. */
import type { ResolvedConfig } from '../shared/config';
import { isCsvData } from '../shared/config';
import { ConfigError } from './configError';
import { loadCsvDataset } from './csvData';
import { checkGeneratedSize, generateDataset } from './generators';

/** X row-major [samples, timesteps, features] and y [samples, targets]. */
export interface Dataset {
  x: Float32Array;
  y: Float32Array;
  samples: number;
  timesteps: number;
  features: number;
  targets: number;
  /** Human description, e.g. "sine generator, seed 0, ..." (goes into the run manifest). */
  source: string;
}

/** Builds the dataset a resolved config describes; CSV paths resolve relative to the config file. */
export function loadDataset(resolved: ResolvedConfig, configPath: string, workspaceRoot: string): Dataset {
  const dataset = isCsvData(resolved.data)
    ? loadCsvDataset(resolved.data, configPath, workspaceRoot)
    : generateDataset(resolved.data, resolved.training.batchSize);
  checkSampleCount(resolved, dataset.samples);
  return dataset;
}

/** The dataset's size with every check loadDataset makes, but without generating: for diagnostics while the config is edited (CSV data is still read). */
export function datasetSize(resolved: ResolvedConfig, configPath: string, workspaceRoot: string): { samples: number; timesteps: number } {
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
