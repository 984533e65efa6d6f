/**
 * The plain-words answer to "when is my LSTM's state reset?" — one wording for CLI, panel and
 * tree. It states what the numbers show: where the state is carried, whether the carried rows'
 * data continues, and what validation and prediction do to the state.
 */
import { tallyRecords, type AnswerTally } from './answerTally';
import { emptyCauseCounts, resetCount, type CauseCounts, type InitialStateCause } from './causes';
import { isCsvData } from './config';
import { discontinuityCode } from './continuity';
import type { BatchFlag, BatchRecord, Phase, RunManifest } from './runFormat';

export { emptyTally, tallyBatch, tallyRecords, type AnswerTally } from './answerTally';

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
  /** Phases and data continuity; without it the answer speaks of the causes alone. */
  tally?: AnswerTally;
  /** The lint code explaining why carried rows' data does not continue (discontinuityCode). */
  code?: string;
  /** CSV windows (the carried state then comes from "an unrelated window"). */
  csv?: boolean;
  /** predict.reset: tells a prediction zeroed by it from one zeroed after validation ("reset"). */
  predictReset?: boolean;
  /** Batches per flag (a recorded script's: the missing detach(), a shuffled loader, a carry across phases). */
  flags?: FlagCounts;
}

type AnswerManifest = Pick<RunManifest, 'model' | 'data' | 'batchSize' | 'batchesPerEpoch' | 'resolved'>;

/** The answer for a run's manifest and batch records: what the CLI prints, and what the panel and tree show. Pass what a live view already keeps. */
export function answerForRecords(
  manifest: AnswerManifest,
  batches: readonly BatchRecord[],
  kept: { counts?: CauseCounts; flags?: FlagCounts; tally?: AnswerTally } = {},
): string {
  return answerForCounts(manifest, batches.length, {
    counts: kept.counts ?? countAll(batches),
    tally: kept.tally ?? tallyRecords(batches),
    flags: kept.flags,
  });
}

/** The same answer from counts kept as the batches arrived (a live run's model), without the records. */
export function answerForCounts(
  manifest: AnswerManifest,
  batches: number,
  kept: { counts: CauseCounts; tally: AnswerTally; flags?: FlagCounts },
): string {
  const resolved = manifest.resolved as RunManifest['resolved'] | null | undefined;
  return answerFor({
    stateful: manifest.model.stateful,
    samples: manifest.data.samples,
    timesteps: manifest.data.timesteps,
    batchSize: manifest.batchSize,
    batchesPerEpoch: manifest.batchesPerEpoch,
    batches,
    counts: kept.counts,
    tally: kept.tally,
    code: resolved?.model && resolved.training && resolved.data ? discontinuityCode(resolved) : undefined,
    csv: resolved?.data ? isCsvData(resolved.data) : false,
    predictReset: resolved?.predict?.reset ?? false,
    flags: kept.flags,
  });
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** e.g. "stateless: every batch starts from zeros — 5 resets per epoch; the 1000 sequences are independent". */
export function answerFor(input: AnswerInput): string {
  const { stateful, samples, timesteps, batchSize, batchesPerEpoch } = input;
  if (stateful === null || samples === null || timesteps === null || batchSize === null || batchesPerEpoch === null) {
    return recordedAnswer(input) + unreadableClause(input.counts);
  }
  const planned: PlannedInput = { ...input, stateful, samples, timesteps, batchSize, batchesPerEpoch };
  const main = stateful ? statefulAnswer(planned) : statelessAnswer(planned);
  return (
    (input.tally ? main + phasesAnswer(input.tally, stateful, input.predictReset ?? false) : main) +
    unreadableClause(input.counts)
  );
}

/** A damaged run's answer says what it cannot tell: the batches whose records could not be read. */
function unreadableClause(counts: CauseCounts): string {
  const n = counts.unreadable;
  if (!n) return '';
  return `; ${plural(n, 'batch record')} could not be read, so ${n === 1 ? 'its start is' : 'their starts are'} not known`;
}

/** The input of a trainer run, whose plan is known in advance. */
type PlannedInput = AnswerInput & {
  stateful: boolean;
  samples: number;
  timesteps: number;
  batchSize: number;
  batchesPerEpoch: number;
};

function statelessAnswer({ samples, timesteps, batchesPerEpoch, counts, tally }: PlannedInput): string {
  const dropped = tally?.trainDropped
    ? `; in ${plural(tally.trainDropped, 'batch', 'batches')} row i's data continues the previous batch's row i, so a state is dropped where the series goes on`
    : '';
  const automatic = tally ? tally.trainCauses.auto : counts.auto;
  return (
    `stateless: every batch starts from zeros — ${plural(batchesPerEpoch, 'reset')} per epoch` +
    ` (${plural(automatic, 'automatic reset')} recorded); the ${samples} sequences of length ${timesteps} are independent${dropped}`
  );
}

function statefulAnswer({ batchSize, timesteps, batches, counts, tally, code, csv }: PlannedInput): string {
  const causes = tally ? tally.trainCauses : counts;
  const trainBatches = tally ? tally.phases.train : batches;
  const parts: string[] = [];
  if (causes.first) parts.push(`${causes.first} at the start`);
  if (causes.epoch) parts.push(`${causes.epoch} at epoch end`);
  if (causes.schedule) parts.push(`${causes.schedule} scheduled`);
  if (causes.manual) parts.push(`${causes.manual} manual`);
  if (causes.phase) parts.push(`${causes.phase} after validation`);
  const resets = parts.length ? parts.join(', ') : 'none';
  // A stateful run records no `auto` batches, so these are the zero starts of the stateful chain.
  const zeroStarts = resetCount(causes);
  const carried = causes.carried + (tally ? causes.restored : 0);
  const chain = zeroStarts > 0 && trainBatches > 0 ? trainBatches / zeroStarts : 0;
  const length =
    zeroStarts <= 1 && trainBatches > 0
      ? `never reset after the start: the ${batchSize} rows are ${batchSize} sequences of length ${timesteps * trainBatches}`
      : `${plural(carried, 'batch', 'batches')} carried state; on average each row's sequence runs ${formatNumber(chain)} batches (${formatNumber(chain * timesteps)} timesteps) between resets`;
  return `stateful: ${carryClause(tally, code, csv)}; resets: ${resets}; ${length}`;
}

/** Row i's state is carried; says whether row i's data goes on with it. */
function carryClause(tally: AnswerTally | undefined, code: string | undefined, csv: boolean | undefined): string {
  const { yes, no } = tally?.trainData ?? { yes: 0, no: 0 };
  if (no === 0) return 'row i continues row i of the previous batch';
  const why = code ? ` (${code})` : '';
  if (yes === 0) {
    return (
      `row i carries row i's state in ${plural(no, 'batch', 'batches')}, but in ${no === 1 ? 'it' : 'all of them'} row i's data does not continue${why}: ` +
      `the carried state comes from an unrelated ${csv ? 'window' : 'sequence'}`
    );
  }
  return `row i carries row i's state in ${yes + no} batches; row i's data continues in ${yes} of them but not in ${no}${why}`;
}

/** What validation and prediction do to the state, from their batches' causes. */
function phasesAnswer(tally: AnswerTally, stateful: boolean, predictReset: boolean): string {
  let text = '';
  const validate = tally.phases.validate;
  if (validate > 0) {
    text += `; validation (${plural(validate, 'batch', 'batches')})`;
    text += stateful ? ` ${validationStory(tally)}` : ': every batch from zeros too';
  }
  const predict = tally.phases.predict;
  if (predict > 0) {
    text += `; prediction (${plural(predict, 'batch', 'batches')})`;
    text +=
      stateful && tally.predictStart
        ? ` ${predictStory(tally.predictStart, predictReset)}`
        : ': every batch from zeros too';
  }
  return text;
}

/** One clause of the answer (its parts are joined by "; ", which `npm run demo` splits on): no "; " inside. */
function validationStory(tally: AnswerTally): string {
  const starts = tally.validationFromTrain > 0 ? 'starts from the state training left' : 'starts from zeros';
  const from = tally.trainFromValidation;
  if (from.count > 0) {
    const epochs =
      from.count === 1
        ? `epoch ${from.firstEpoch + 1} starts`
        : from.count === from.lastEpoch - from.firstEpoch + 1
          ? `epochs ${from.firstEpoch + 1}–${from.lastEpoch + 1} start`
          : `${from.count} epochs start`;
    return `${starts}, and ${epochs} from the state validation left (Keras's behaviour)`;
  }
  if (tally.trainCauses.restored > 0) return `${starts}, and the training state is restored after each validation`;
  if (tally.trainCauses.phase > 0) return `${starts}, and training after it starts from zeros`;
  if (tally.trainCauses.epoch > 0) return `${starts}, and the epoch-end reset zeroes the state after it`;
  return starts;
}

function predictStory(
  { cause, from }: { cause: InitialStateCause; from: Phase | null },
  predictReset: boolean,
): string {
  if (from) return `starts from the state ${from === 'validate' ? 'validation' : 'training'} left`;
  const why: Partial<Record<InitialStateCause, string>> = {
    phase: predictReset ? 'predict.reset' : 'zeroed after validation',
    epoch: 'the epoch-end reset',
    manual: 'a manual reset',
    first: 'nothing ran before it',
  };
  return `starts from zeros${why[cause] ? ` (${why[cause]})` : ''}`;
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

function countAll(batches: readonly BatchRecord[]): CauseCounts {
  const counts = emptyCauseCounts();
  for (const batch of batches) counts[batch.cause]++;
  return counts;
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
