/**
 * Pre-run checks for the pitfalls of `state-semantics.md` that a config can show. Each
 * warning has a stable code, says what will happen and what to do, and names its field.
 */
import { isCsvData, type LstmConfig, type ResolvedConfig } from '../shared/config';
import { DEFAULTS } from './configDefaults';
import { continuationStep } from '../shared/continuity';
import type { LintCode, LintWarning } from './lintCodes';
import { lintPhases } from './lintPhases';
import type { DatasetShape } from './data/loadDataset';

export { LINT_CODES, type LintCode, type LintWarning } from './lintCodes';

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
