/**
 * Which sample continues which: the data layout a stateful LSTM relies on. In a continuous
 * generator layout sample j + batchSize continues sample j; in CSV windows sample j covers rows
 * [j·stride, j·stride + window), so sample j + window/stride continues it (when that is whole).
 * One rule for the lint (LSTM005, LSTM006), every batch's recorded `dataContinues`, and the answer.
 */
import { isCsvData, type DataConfig, type ResolvedConfig } from './config';

/** Samples [start, end) of one data source in the run's index space; sample j + step continues j (step null: none continues another). */
export interface SampleBlock {
  start: number;
  end: number;
  step: number | null;
}

/** How far apart a sample and the sample continuing it are in `data`, or null when no sample continues another. */
export function continuationStep(data: DataConfig, batchSize: number): number | null {
  if (isCsvData(data)) {
    // 1 and "independent" are the schema's defaults.
    const stride = data.stride ?? 1;
    return data.window % stride === 0 ? data.window / stride : null;
  }
  return (data.layout ?? 'independent') === 'continuous' ? batchSize : null;
}

/** Whether sample `next` continues sample `previous`: both in one block, `step` apart. */
export function sampleContinues(blocks: readonly SampleBlock[], next: number, previous: number): boolean {
  const block = blocks.find((b) => previous >= b.start && previous < b.end);
  return (
    block !== undefined &&
    block.step !== null &&
    next - previous === block.step &&
    next >= block.start &&
    next < block.end
  );
}

/** Whether every row's sample continues the sample row i held in `sourceRows` (a missing source row does not). */
export function rowsContinue(
  blocks: readonly SampleBlock[],
  rows: readonly number[],
  sourceRows: readonly number[],
): boolean {
  return rows.every((sample, i) => i < sourceRows.length && sampleContinues(blocks, sample, sourceRows[i]));
}

/**
 * The lint code that explains why a stateful run's row i does not continue row i's data:
 * LSTM001 (shuffled), LSTM005 (independent generated series), LSTM006 (CSV windows that do
 * not line up with the batch size); undefined when the layout lines up or the model is stateless.
 */
export function discontinuityCode(resolved: Pick<ResolvedConfig, 'model' | 'training' | 'data'>): string | undefined {
  if (!resolved.model.stateful) return undefined;
  if (resolved.training.shuffle) return 'LSTM001';
  if (continuationStep(resolved.data, resolved.training.batchSize) === resolved.training.batchSize) return undefined;
  return isCsvData(resolved.data) ? 'LSTM006' : 'LSTM005';
}
