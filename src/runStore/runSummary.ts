/** Counts and the plain-words answer of a run, from its batch records. */
import { answerForRecords, type AnswerTally, type FlagCounts } from '../shared/answer';
import { emptyCauseCounts, type CauseCounts } from '../shared/causes';
import type { BatchRecord, RunManifest } from '../shared/runFormat';

export function countFlags(batches: readonly BatchRecord[]): FlagCounts {
  const counts: FlagCounts = { withGraph: 0, fromEval: 0, shuffledData: 0 };
  for (const batch of batches) for (const flag of batch.flags) counts[flag]++;
  return counts;
}

export function countCauses(batches: readonly BatchRecord[]): CauseCounts {
  const counts = emptyCauseCounts();
  for (const batch of batches) counts[batch.cause]++;
  return counts;
}

/** The plain-words answer for what this run recorded; pass what a live view already keeps (counts, flags, tally). */
export function answerForRun(
  run: { manifest: RunManifest; batches: readonly BatchRecord[] },
  kept: { counts?: CauseCounts; flags?: FlagCounts; tally?: AnswerTally } = {},
): string {
  return answerForRecords(run.manifest, run.batches, { ...kept, flags: kept.flags ?? countFlags(run.batches) });
}
