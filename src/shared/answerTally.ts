/** What the answer tells beyond cause counts — phases, data continuity, carries across phases — tallied batch by batch. */
import { emptyCauseCounts, type CauseCounts, type InitialStateCause } from './causes';
import type { BatchRecord, Phase } from './runFormat';

/** What the answer says beyond the cause counts, tallied batch by batch (tallyBatch) or from a saved run (tallyRecords). */
export interface AnswerTally {
  phases: Record<Phase, number>;
  /** Causes of the training batches only. */
  trainCauses: CauseCounts;
  /** Among batches that carry a state (a carriedFrom), how many continue their rows' data. */
  dataContinues: { yes: number; no: number };
  /** The same among training batches only. */
  trainData: { yes: number; no: number };
  /** Training batches starting from zeros where the data went on (a state dropped mid-series). */
  trainDropped: number;
  /** Training batches carrying the state a validation batch left, and the first and last epoch of them. */
  trainFromValidation: { count: number; firstEpoch: number; lastEpoch: number };
  /** Validation passes whose first batch carries the state training left. */
  validationFromTrain: number;
  /** Causes of the first batch of each validation pass. */
  validationStarts: CauseCounts;
  /** The first prediction batch's cause, and the phase whose state it carries (null: none). */
  predictStart: { cause: InitialStateCause; from: Phase | null } | null;
}

export function emptyTally(): AnswerTally {
  return {
    phases: { train: 0, validate: 0, predict: 0, eval: 0 },
    trainCauses: emptyCauseCounts(),
    dataContinues: { yes: 0, no: 0 },
    trainData: { yes: 0, no: 0 },
    trainDropped: 0,
    trainFromValidation: { count: 0, firstEpoch: 0, lastEpoch: 0 },
    validationFromTrain: 0,
    validationStarts: emptyCauseCounts(),
    predictStart: null,
  };
}

/** Adds one batch; `sourcePhase` is the phase of its carriedFrom batch (null without one). */
export function tallyBatch(tally: AnswerTally, record: BatchRecord, sourcePhase: Phase | null): void {
  const { phase, cause, dataContinues } = record;
  const carries = record.carriedFrom !== null;
  tally.phases[phase]++;
  if (carries && dataContinues !== null) tally.dataContinues[dataContinues ? 'yes' : 'no']++;
  if (phase === 'train') {
    tally.trainCauses[cause]++;
    if (carries && dataContinues !== null) tally.trainData[dataContinues ? 'yes' : 'no']++;
    if (!carries && dataContinues === true) tally.trainDropped++;
    if (sourcePhase === 'validate') {
      const from = tally.trainFromValidation;
      if (from.count === 0) from.firstEpoch = record.epoch;
      from.lastEpoch = record.epoch;
      from.count++;
    }
  }
  if (phase === 'validate' && record.batch === 0) {
    tally.validationStarts[cause]++;
    if (sourcePhase === 'train') tally.validationFromTrain++;
  }
  if (phase === 'predict' && record.batch === 0) tally.predictStart = { cause, from: sourcePhase };
}

/** The tally of a saved run's batch records (step k is batches[k]). */
export function tallyRecords(batches: readonly BatchRecord[]): AnswerTally {
  const tally = emptyTally();
  for (const record of batches) {
    const source = record.carriedFrom !== null ? batches[record.carriedFrom] : undefined;
    tallyBatch(tally, record, source?.phase ?? null);
  }
  return tally;
}
