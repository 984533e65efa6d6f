/** Builds the webview's view of a run (protocol `RunSnapshot`, `BatchDetail`) from a run folder. */
import type { BatchDetail, RunSnapshot } from '../shared/protocol';
import { answerForRun, readBatchHidden, readBatchNorms, readBatchStates, readRun, type RunData } from './readRun';

export function snapshotOf(run: RunData): RunSnapshot {
  return {
    runDir: run.runDir,
    manifest: run.manifest,
    status: run.status,
    batches: run.batches,
    resets: run.resets.map(({ cause, beforeStep }) => ({ cause, beforeStep })),
    epochLosses: run.epochs.map(({ epoch, meanLoss }) => ({ epoch, meanLoss })),
    warnings: run.warnings.map(({ code, message, field }) => ({ code, message, field })),
    answer: answerForRun(run),
    message: run.end?.message,
  };
}

export function readSnapshot(runDir: string): RunSnapshot {
  return snapshotOf(readRun(runDir));
}

/** Everything the inspector shows for one batch, including the next batch's initial state for continuity. */
export function batchDetailOf(run: RunData, step: number): BatchDetail {
  const batch = run.batches[step];
  if (!batch || batch.step !== step) throw new Error(`batch ${step} is not in this run (it has ${run.batches.length} batches)`);
  const states = readBatchStates(run, batch);
  const hidden = readBatchHidden(run, batch);
  const hiddenRows = run.manifest.hiddenRows.filter((row) => row < batch.rows.length);
  const nextBatch = run.batches[step + 1];
  const nextStates = nextBatch ? readBatchStates(run, nextBatch) : null;
  return {
    step,
    layers: run.manifest.model.layers.map((layer, i) =>
      states ? { units: layer.units, h0: [...states[i].h0], c0: [...states[i].c0], h: [...states[i].h], c: [...states[i].c] } : null,
    ),
    norms: readBatchNorms(run, batch).map((n) => ({ h0: [...n.h0], c0: [...n.c0], h: [...n.h], c: [...n.c] })),
    hidden: hidden && hidden.map((values) => ({ rows: hiddenRows, timesteps: run.manifest.data.timesteps, values: [...values] })),
    next: nextBatch
      ? {
          step: nextBatch.step,
          cause: nextBatch.cause,
          layers: run.manifest.model.layers.map((_, i) => (nextStates ? { h0: [...nextStates[i].h0], c0: [...nextStates[i].c0] } : null)),
        }
      : null,
  };
}
