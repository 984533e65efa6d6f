/**
 * Builds or sizes the samples a resolved config describes, with the checks the trainer makes:
 * the training samples first, then the validation samples — the last fraction of the same data
 * (Keras's validation_split, taken before any shuffling) or validation's own data appended —
 * so that every phase's `rows` index one X.
 */
import { isCsvData, type DataConfig } from '../../shared/config';
import { ConfigError } from '../configError';
import type { DataSize } from '../memoryEstimate';
import { withFieldPrefix } from '../fieldPrefix';
import type { RunConfig } from '../resolveConfig';
import { continuationStep, type SampleBlock } from '../../shared/continuity';
import { loadCsvDataset } from './csvData';
import type { Dataset } from './dataset';
import { checkFloat32, checkGeneratedSize, generateDataset } from './generators';

/** The run's samples: X holds the training samples [0, trainSamples), then validation's. */
export interface RunDataset extends Dataset {
  trainSamples: number;
  /** Where validation's samples are in X, and what they are; null without validation. */
  validation: { first: number; samples: number; source: string } | null;
  /** Which sample continues which (continuity.ts). */
  blocks: SampleBlock[];
}

/** The sample counts the lint needs: training samples (after a split), timesteps, validation samples. */
export interface DatasetShape {
  samples: number;
  timesteps: number;
  validationSamples: number | null;
  /** What the memory estimate sizes: every sample X holds (validation's own included), and their shape. */
  memory: DataSize;
}

/** Builds the run's samples; CSV paths resolve relative to the config file. */
export function loadDataset(resolved: RunConfig, configPath: string, workspaceRoot: string): RunDataset {
  const batchSize = resolved.training.batchSize;
  const main = loadData(resolved.data, batchSize, configPath, workspaceRoot);
  const step = continuationStep(resolved.data, batchSize);
  const validation = resolved.validation;
  if (!validation) {
    checkSampleCount(resolved, main.samples);
    return { ...main, trainSamples: main.samples, validation: null, blocks: [{ start: 0, end: main.samples, step }] };
  }
  if ('split' in validation) {
    const { train, held } = splitCounts(main.samples, validation.split);
    checkSampleCount(resolved, train, held);
    const source = `the last ${held} of ${main.samples} samples (validation.split ${validation.split}, taken before shuffling)`;
    return {
      ...main,
      trainSamples: train,
      validation: { first: train, samples: held, source },
      blocks: [{ start: 0, end: main.samples, step }],
    };
  }
  checkSampleCount(resolved, main.samples);
  const own = withFieldPrefix('validation.', () => {
    const data = loadData(validation.data, batchSize, configPath, workspaceRoot);
    checkSameShape(validation.data, data, main);
    return data;
  });
  checkValidationCount(
    resolved,
    own.samples,
    isCsvData(validation.data) ? 'validation.data.csv' : 'validation.data.samples',
  );
  const total = main.samples + own.samples;
  const x = new Float32Array(main.x.length + own.x.length);
  x.set(main.x);
  x.set(own.x, main.x.length);
  const y = new Float32Array(main.y.length + own.y.length);
  y.set(main.y);
  y.set(own.y, main.y.length);
  return {
    ...main,
    x,
    y,
    samples: total,
    source: `${main.source}; validation: ${own.source}`,
    trainSamples: main.samples,
    validation: { first: main.samples, samples: own.samples, source: own.source },
    blocks: [
      { start: 0, end: main.samples, step },
      { start: main.samples, end: total, step: continuationStep(validation.data, batchSize) },
    ],
  };
}

/**
 * The dataset's shape with every check loadDataset makes. Generated data is sized without
 * generating it; CSV data is read and parsed whole (so call it off the editor's thread).
 */
export function datasetSize(resolved: RunConfig, configPath: string, workspaceRoot: string): DatasetShape {
  const validation = resolved.validation;
  const ownCsv = validation !== null && 'data' in validation && isCsvData(validation.data);
  if (isCsvData(resolved.data) || ownCsv) {
    const loaded = loadDataset(resolved, configPath, workspaceRoot);
    const { samples, timesteps, features, targets } = loaded;
    return {
      samples: loaded.trainSamples,
      timesteps: loaded.timesteps,
      validationSamples: loaded.validation?.samples ?? null,
      memory: { samples, timesteps, features, targets },
    };
  }
  const data = resolved.data as Exclude<DataConfig, { csv: string }>;
  checkGeneratedSize(data);
  const memory = (extra = 0): DataSize => ({
    samples: data.samples + extra,
    timesteps: data.timesteps,
    features: data.features ?? 1,
    targets: 1,
  });
  if (!validation) {
    checkSampleCount(resolved, data.samples);
    return { samples: data.samples, timesteps: data.timesteps, validationSamples: null, memory: memory() };
  }
  if ('split' in validation) {
    const { train, held } = splitCounts(data.samples, validation.split);
    checkSampleCount(resolved, train, held);
    return { samples: train, timesteps: data.timesteps, validationSamples: held, memory: memory() };
  }
  checkSampleCount(resolved, data.samples);
  const own = validation.data as Exclude<DataConfig, { csv: string }>;
  withFieldPrefix('validation.', () => {
    checkGeneratedSize(own);
    checkSameShape(
      own,
      { timesteps: own.timesteps, features: own.features ?? 1 },
      {
        timesteps: data.timesteps,
        features: data.features ?? 1,
      },
    );
  });
  checkValidationCount(resolved, own.samples, 'validation.data.samples');
  return {
    samples: data.samples,
    timesteps: data.timesteps,
    validationSamples: own.samples,
    memory: memory(own.samples),
  };
}

/** Keras's validation_split: the first int(n · (1 − split)) samples train, the rest validate. */
export function splitCounts(samples: number, split: number): { train: number; held: number } {
  const train = Math.floor(samples * (1 - split));
  if (train === samples) {
    throw new ConfigError(
      'validation.split',
      `a split of ${split} holds out no sample of ${samples} (Keras keeps int(${samples} × (1 − ${split})) = ${train} for training). Use a larger fraction.`,
    );
  }
  if (train === 0) {
    throw new ConfigError(
      'validation.split',
      `a split of ${split} leaves no training sample of ${samples} (int(${samples} × (1 − ${split})) = 0). Use a smaller fraction.`,
    );
  }
  return { train, held: samples - train };
}

function loadData(data: DataConfig, batchSize: number, configPath: string, workspaceRoot: string): Dataset {
  const dataset = isCsvData(data) ? loadCsvDataset(data, configPath, workspaceRoot) : generateDataset(data, batchSize);
  if (!isCsvData(data)) checkFloat32(dataset);
  return dataset;
}

/** Validation's own data must have training's timesteps and features: the same model runs both. */
function checkSameShape(
  data: DataConfig,
  own: Pick<Dataset, 'timesteps' | 'features'>,
  main: Pick<Dataset, 'timesteps' | 'features'>,
): void {
  const csv = isCsvData(data);
  if (own.timesteps !== main.timesteps) {
    throw new ConfigError(
      csv ? 'data.window' : 'data.timesteps',
      `validation sequences have ${own.timesteps} timesteps but training's have ${main.timesteps}; the recorded states compare only when both match. Make them equal.`,
    );
  }
  if (own.features !== main.features) {
    throw new ConfigError(
      csv ? 'data.columns' : 'data.features',
      `validation data has ${own.features} feature${own.features === 1 ? '' : 's'} per timestep but training's has ${main.features}; the same model reads both. Make them equal.`,
    );
  }
}

/** A stateful run trains whole batches only, so it needs at least one full batch of training samples. */
function checkSampleCount(resolved: RunConfig, samples: number, held?: number): void {
  const { batchSize } = resolved.training;
  if (resolved.model.stateful && samples < batchSize) {
    const split = held !== undefined ? ` after validation.split holds out ${held}` : '';
    throw new ConfigError(
      'training.batchSize',
      `a stateful LSTM needs whole batches, but the data has only ${samples} ${held !== undefined ? 'training ' : ''}sample${samples === 1 ? '' : 's'}${split} for a batch size of ${batchSize}. ` +
        `Lower training.batchSize to at most ${samples} or provide more data.`,
    );
  }
  if (held !== undefined) checkValidationCount(resolved, held, 'validation.split');
}

/** A stateful layer validates in whole batches of the training batch size. */
function checkValidationCount(resolved: RunConfig, samples: number, field: string): void {
  const { batchSize } = resolved.training;
  if (resolved.model.stateful && samples < batchSize) {
    throw new ConfigError(
      field,
      `a stateful LSTM validates in whole batches of training.batchSize ${batchSize}, but validation has only ${samples} sample${samples === 1 ? '' : 's'}. ` +
        `Hold out at least ${batchSize} samples for validation, or lower training.batchSize.`,
    );
  }
}
