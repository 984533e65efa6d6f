/** Counts and the plain-words answer of a run, from its batch records. */
import { answerFor } from '../shared/answer';
import { emptyCauseCounts, type CauseCounts } from '../shared/causes';
import type { BatchRecord, RunManifest } from '../shared/runFormat';

export function countCauses(batches: readonly BatchRecord[]): CauseCounts {
  const counts = emptyCauseCounts();
  for (const batch of batches) counts[batch.cause]++;
  return counts;
}

/** The plain-words answer for what this run recorded; pass `counts` when they are already kept (live runs). */
export function answerForRun(
  run: { manifest: RunManifest; batches: readonly BatchRecord[] },
  counts: CauseCounts = countCauses(run.batches),
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
  });
}
