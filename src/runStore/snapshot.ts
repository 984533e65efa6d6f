/** Builds the webview's view of a run (protocol `RunSnapshot`, `BatchDetail`) from a run folder. */
import type { BatchDetail, RunSnapshot } from '../shared/protocol';
import { hiddenRowsIn } from '../shared/runFormat';
import { answerForRun, readBatchHidden, readBatchNorms, readBatchStates, type RunData } from './readRun';

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

/**
 * Everything the inspector shows for one batch, including the next batch's initial state for continuity
 * (`{ next: false }` leaves it out, as null, without reading the next batch).
 */
export function batchDetailOf(run: RunData, step: number, options: { next?: boolean } = {}): BatchDetail {
  const batch = run.batches[step];
  if (!batch || batch.step !== step) throw new Error(`batch ${step} is not in this run (it has ${run.batches.length} batches)`);
  const states = readBatchStates(run, batch);
  const hidden = readBatchHidden(run, batch);
  const hiddenRows = hiddenRowsIn(run.manifest.hiddenRows, batch.rows.length);
  const nextBatch = options.next === false ? undefined : run.batches[step + 1];
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
