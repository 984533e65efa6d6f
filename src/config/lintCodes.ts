/** The lint's stable codes and the shape of one warning. */

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
