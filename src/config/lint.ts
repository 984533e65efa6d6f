/**
 * Pre-run checks for the pitfalls of `state-semantics.md` that a config can show. Each
 * warning has a stable code, says what will happen and what to do, and names its field.
 */
import { isCsvData, type LstmConfig, type ResolvedConfig } from '../shared/config';
import { DEFAULTS } from './configDefaults';
import { continuationStep } from '../shared/continuity';
import type { DatasetShape } from './data/loadDataset';

/** One pitfall found in a config. */
export interface LintWarning {
  code: string;
  message: string;
  field: string;
}

/** The stable lint codes and what each one means. */
export const LINT_CODES = {
  LSTM001: 'stateful with shuffle: the row-i chain between batches is broken',
  LSTM002: 'sample count not divisible by the batch size: the last batch is smaller',
  LSTM003: 'stateful with resets "never": state leaks across epochs',
  LSTM004: 'stateful with sequences of length 1',
  LSTM005: 'stateful with independent generated series: carried state joins unrelated series',
  LSTM006: 'stateful CSV windows where sample i + batchSize does not continue sample i',
  LSTM007: 'resets given on a stateless model: they have no effect',
  LSTM008: 'stateful with validation "shared": validation overwrites the training state',
  LSTM009: 'predict on a stateful model without reset: prediction starts from the state training left',
  LSTM010: 'stateful with a validation sample count not divisible by the batch size',
  LSTM011: 'validationState or predict.reset where they have no effect',
} as const;

/** The lint code type. */
export type LintCode = keyof typeof LINT_CODES;

/**
 * Lints a resolved config against its dataset's shape (`samples`: the training samples, after any
 * validation split). Pass `config` (as written) when known: it tells whether `resets` was written
 * or defaulted, which decides LSTM003's field and LSTM007 (and likewise for validation's options).
 */
export function lintConfig(
  resolved: ResolvedConfig,
  dataset: Pick<DatasetShape, 'samples' | 'timesteps'> & Partial<Pick<DatasetShape, 'validationSamples'>>,
  config?: LstmConfig,
): LintWarning[] {
  const warnings: LintWarning[] = [];
  const warn = (code: LintCode, field: string, message: string): void => {
    warnings.push({ code, field, message });
  };
  const { stateful } = resolved.model;
  const { batchSize, shuffle } = resolved.training;
  const { samples, timesteps } = dataset;
  const data = resolved.data;
  // Without the written config, a non-default schedule is the only sign resets were given.
  const resetsWritten = config ? config.resets !== undefined : resolved.resets !== DEFAULTS.resets;

  if (stateful && shuffle) {
    warn(
      'LSTM001',
      'training.shuffle',
      'stateful with shuffle: each epoch puts different samples in row i, so a row starts from the final state of an unrelated sample. ' +
        'Set "shuffle": false (Keras requires shuffle=False for stateful LSTMs).',
    );
  }

  const remainder = samples % batchSize;
  if (remainder !== 0) {
    const full = Math.floor(samples / batchSize);
    warn(
      'LSTM002',
      'training.batchSize',
      stateful
        ? `${samples} samples are not a multiple of the batch size ${batchSize}: the last batch would have only ${remainder} rows, so some rows would have no partner. ` +
            `This stateful run drops the last ${remainder} sample${remainder === 1 ? '' : 's'} each epoch (${full} full batch${full === 1 ? '' : 'es'}) so row i always continues row i. ` +
            'Use a batch size that divides the sample count.'
        : `${samples} samples are not a multiple of the batch size ${batchSize}: the last batch of each epoch has ${remainder} rows instead of ${batchSize}. ` +
            'Harmless when stateless, but choose a batch size that divides the sample count if the batches should be alike.',
    );
  }

  if (stateful && resolved.resets === 'never') {
    warn(
      'LSTM003',
      config && config.resets === undefined ? 'model.stateful' : 'resets',
      'stateful with resets "never": nothing ever zeroes the states, so state leaks from the last batch of each epoch into the first batch of the next ' +
        '(and from training into any later prediction). This is Keras\'s own behaviour; add "resets": "epoch" (what a reset_states() callback at epoch end does) ' +
        'unless the whole run is meant as one continuous stream.',
    );
  }

  if (stateful && timesteps === 1) {
    warn(
      'LSTM004',
      isCsvData(data) ? 'data.window' : 'data.timesteps',
      'stateful with sequences of length 1: every step is its own batch boundary, so the LSTM only sees one timestep per batch and gradients never span two steps. ' +
        'Use longer sequences unless you really feed one step at a time.',
    );
  }

  const step = continuationStep(data, batchSize);
  if (stateful && !isCsvData(data) && step !== batchSize) {
    warn(
      'LSTM005',
      'data.layout',
      `stateful with layout "independent": every sample is its own series, so sample i + ${batchSize} does not continue sample i and carrying row i's state joins unrelated sequences. ` +
        'Set "layout": "continuous" so that row i of each batch continues row i of the previous one.',
    );
  }

  if (stateful && isCsvData(data)) {
    const stride = data.stride ?? DEFAULTS.stride;
    if (step !== batchSize) {
      warn(
        'LSTM006',
        'data.stride',
        `stateful CSV windows: sample i + ${batchSize} starts ${stride * batchSize} rows after sample i, but sample i covers ${data.window} rows, ` +
          `so row i of the next batch does not continue row i (${stride * batchSize < data.window ? 'the windows overlap' : 'rows are skipped'}). ` +
          `Make stride × batchSize equal the window (e.g. window ${stride * batchSize}${data.window % batchSize === 0 ? ` or stride ${data.window / batchSize}` : ''}).`,
      );
    }
  }

  if (!stateful && resetsWritten) {
    warn(
      'LSTM007',
      'resets',
      '"resets" has no effect on a stateless model: every batch starts from zero states anyway. Remove "resets", or set "model.stateful": true to carry state between batches.',
    );
  }

  warnings.push(...lintPhases(resolved, dataset.validationSamples ?? null, config));
  return warnings;
}

/** The pitfalls around training: validation and prediction through the same stateful layers. */
function lintPhases(resolved: ResolvedConfig, validationSamples: number | null, config?: LstmConfig): LintWarning[] {
  const warnings: LintWarning[] = [];
  const warn = (code: LintCode, field: string, message: string): void => {
    warnings.push({ code, field, message });
  };
  const { stateful } = resolved.model;
  const { batchSize } = resolved.training;
  const validation = resolved.validation ?? null;
  const state = resolved.validationState ?? DEFAULTS.validationState;
  const predict = resolved.predict ?? null;
  // An epoch-end reset runs after validation (as an on_epoch_end callback does), so nothing it left carries on.
  const epochReset = resolved.resets === 'epoch';

  if (stateful && validation && state === 'shared' && !epochReset) {
    warn(
      'LSTM008',
      config && config.validationState === undefined ? 'validation' : 'validationState',
      'stateful with "validationState": "shared" (Keras\'s behaviour): validation runs through the same stateful layers, starting from the state training left and overwriting it, ' +
        "so each next epoch's training starts from the state validation left. " +
        'Set "validationState": "isolated" to save the training state before validation and restore it after, or "reset" to zero it before and after validation.',
    );
  }

  if (stateful && predict && !predict.reset && !epochReset) {
    warn(
      'LSTM009',
      config?.predict?.reset === undefined ? 'predict' : 'predict.reset',
      `note: prediction starts from the state ${validation && state === 'shared' ? 'validation' : 'training'} left, as model.predict does after fit: its first batch continues row i of that state. ` +
        'Set "predict": { "reset": true } to predict from zeros.',
    );
  }

  if (stateful && validation && validationSamples !== null && validationSamples % batchSize !== 0) {
    const remainder = validationSamples % batchSize;
    const full = Math.floor(validationSamples / batchSize);
    warn(
      'LSTM010',
      'split' in validation
        ? 'validation.split'
        : isCsvData(validation.data)
          ? 'validation.data'
          : 'validation.data.samples',
      `${validationSamples} validation samples are not a multiple of the batch size ${batchSize}: a stateful layer validates in whole batches, ` +
        `so validation drops the last ${remainder} sample${remainder === 1 ? '' : 's'} (${full} full batch${full === 1 ? '' : 'es'}). ` +
        'Hold out a multiple of the batch size.',
    );
  }

  if (config?.validationState !== undefined && (!stateful || !validation)) {
    warn(
      'LSTM011',
      'validationState',
      !validation
        ? '"validationState" has no effect without "validation". Add "validation": { "split": 0.2 }, or remove "validationState".'
        : '"validationState" has no effect on a stateless model: every batch starts from zero states anyway. Remove it, or set "model.stateful": true.',
    );
  }
  if (config?.predict?.reset !== undefined && !stateful) {
    warn(
      'LSTM011',
      'predict.reset',
      '"predict.reset" has no effect on a stateless model: every prediction batch starts from zero states anyway. Remove it.',
    );
  }
  return warnings;
}
