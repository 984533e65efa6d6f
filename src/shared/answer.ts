/** The plain-words answer to "when is my LSTM's state reset?" — one wording for CLI, panel and tree. */
import { resetCount, type CauseCounts } from './causes';

export interface AnswerInput {
  stateful: boolean;
  samples: number;
  timesteps: number;
  batchSize: number;
  batchesPerEpoch: number;
  /** Batches recorded so far, and their initial-state causes. */
  batches: number;
  counts: CauseCounts;
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** e.g. "stateless: every batch starts from zeros — 5 resets per epoch; the 1000 sequences are independent". */
export function answerFor(input: AnswerInput): string {
  return input.stateful ? statefulAnswer(input) : statelessAnswer(input);
}

function statelessAnswer({ samples, timesteps, batchesPerEpoch, counts }: AnswerInput): string {
  return (
    `stateless: every batch starts from zeros — ${plural(batchesPerEpoch, 'reset')} per epoch` +
    ` (${plural(counts.auto, 'automatic reset')} recorded); the ${samples} sequences of length ${timesteps} are independent`
  );
}

function statefulAnswer({ batchSize, timesteps, batches, counts }: AnswerInput): string {
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

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
