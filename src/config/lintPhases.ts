/** The pitfalls around training that a config can show: validation and prediction through the same stateful layers. */
import { isCsvData, type LstmConfig, type ResolvedConfig } from '../shared/config';
import { DEFAULTS } from './configDefaults';
import type { LintCode, LintWarning } from './lintCodes';

/** The pitfalls around training: validation and prediction through the same stateful layers. */
export function lintPhases(
  resolved: ResolvedConfig,
  validationSamples: number | null,
  config?: LstmConfig,
): LintWarning[] {
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
