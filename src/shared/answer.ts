/** The plain-words answer to "when is my LSTM's state reset?" — one wording for CLI, panel and tree. */
import { resetCount, type CauseCounts } from './causes';
import type { BatchFlag } from './runFormat';

/** Batches per flag (docs/run-format.md). */
export type FlagCounts = Record<BatchFlag, number>;

export interface AnswerInput {
  /** null: a recorded script decides batch by batch (the answer then comes from the causes alone). */
  stateful: boolean | null;
  samples: number | null;
  timesteps: number | null;
  batchSize: number | null;
  batchesPerEpoch: number | null;
  /** Batches recorded so far, and their initial-state causes. */
  batches: number;
  counts: CauseCounts;
  flags?: FlagCounts;
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** e.g. "stateless: every batch starts from zeros — 5 resets per epoch; the 1000 sequences are independent". */
export function answerFor(input: AnswerInput): string {
  const { stateful, samples, timesteps, batchSize, batchesPerEpoch } = input;
  if (stateful === null || samples === null || timesteps === null || batchSize === null || batchesPerEpoch === null) {
    return recordedAnswer(input);
  }
  const known = { ...input, samples, timesteps, batchSize, batchesPerEpoch };
  return stateful ? statefulAnswer(known) : statelessAnswer(known);
}

/** The input of a trainer run, whose plan is known in advance. */
type PlannedInput = AnswerInput & { samples: number; timesteps: number; batchSize: number; batchesPerEpoch: number };

function statelessAnswer({ samples, timesteps, batchesPerEpoch, counts }: PlannedInput): string {
  return (
    `stateless: every batch starts from zeros — ${plural(batchesPerEpoch, 'reset')} per epoch` +
    ` (${plural(counts.auto, 'automatic reset')} recorded); the ${samples} sequences of length ${timesteps} are independent`
  );
}

function statefulAnswer({ batchSize, timesteps, batches, counts }: PlannedInput): string {
  const parts: string[] = [];
  if (counts.first) parts.push(`${counts.first} at the start`);
  if (counts.epoch) parts.push(`${counts.epoch} at epoch end`);
  if (counts.schedule) parts.push(`${counts.schedule} scheduled`);
  if (counts.manual) parts.push(`${counts.manual} manual`);
  const resets = parts.length ? parts.join(', ') : 'none';
  // A stateful run records no `auto` batches, so this is first + epoch + schedule + manual.
  const zeroStarts = resetCount(counts);
  const chain = zeroStarts > 0 && batches > 0 ? batches / zeroStarts : 0;
  const length =
    zeroStarts <= 1 && batches > 0
      ? `never reset after the start: the ${batchSize} rows are ${batchSize} sequences of length ${timesteps * batches}`
      : `${plural(counts.carried, 'batch', 'batches')} carried state; on average each row's sequence runs ${formatNumber(chain)} batches (${formatNumber(chain * timesteps)} timesteps) between resets`;
  return `stateful: row i continues row i of the previous batch; resets: ${resets}; ${length}`;
}

/**
 * A recorded script's answer, read from the causes of its batches and the flags that the numbers
 * alone cannot show: e.g. "recorded: carried row for row in 74 of 75 batches; 1 started from zeros
 * (no state given) — but every carried state still holds its graph: …".
 */
function recordedAnswer({ batches, counts, flags }: AnswerInput): string {
  const of = (n: number) => (n === batches ? `all ${batches}` : `${n} of ${batches}`);
  const parts: string[] = [];
  const carried = counts.carried + counts.restored;
  if (carried) parts.push(`carried row for row in ${of(carried)} batches`);
  if (counts.permuted) parts.push(`carried with its rows in another order in ${of(counts.permuted)}`);
  if (counts.partial) parts.push(`partly carried in ${of(counts.partial)} (the batch size changed)`);
  if (counts.auto) parts.push(`${plural(counts.auto, 'batch', 'batches')} started from zeros (no state given)`);
  if (counts.zeros) parts.push(`${plural(counts.zeros, 'batch', 'batches')} started from an explicit zero state`);
  const resets = counts.first + counts.epoch + counts.schedule + counts.manual;
  if (resets) parts.push(`${plural(resets, 'batch', 'batches')} started from zeros after a reset`);
  if (counts.other)
    parts.push(
      `${plural(counts.other, 'batch', 'batches')} started from a state equal to no earlier one (learned or random)`,
    );
  const carriedAll = carried + counts.permuted + counts.partial;
  const every = (n: number) => (n === carriedAll ? 'every carried state' : `${n} carried states`);
  const warnings: string[] = [];
  if (flags?.withGraph)
    warnings.push(
      `${every(flags.withGraph)} still held its graph: gradients flow back into earlier batches — detach() it (PT001)`,
    );
  if (flags?.shuffledData)
    warnings.push(
      `${every(flags.shuffledData)} came while the DataLoader shuffles: row i's data is an unrelated sample (PT003)`,
    );
  if (flags?.fromEval)
    warnings.push(
      `${plural(flags.fromEval, 'batch', 'batches')} carried a state across phases: evaluation overwrote the training state, or training went on from it (PT002)`,
    );
  const what = parts.length ? parts.join('; ') : 'no batches yet';
  return `recorded: ${what}${warnings.length ? ` — but ${warnings.join('; ')}` : ''}`;
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
