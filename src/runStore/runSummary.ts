/** Counts and the plain-words answer of a run, from its batch records. */
import { answerFor, type FlagCounts } from '../shared/answer';
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

/** The plain-words answer for what this run recorded; pass `counts` when they are already kept (live runs). */
export function answerForRun(
  run: { manifest: RunManifest; batches: readonly BatchRecord[] },
  counts: CauseCounts = countCauses(run.batches),
  flags: FlagCounts = countFlags(run.batches),
): string {
  const { manifest } = run;
  return answerFor({
    stateful: manifest.model.stateful,
    samples: manifest.data.samples,
    timesteps: manifest.data.timesteps,
    batchSize: manifest.batchSize,
    batchesPerEpoch: manifest.batchesPerEpoch,
    batches: run.batches.length,
    counts,
    flags,
  });
}
