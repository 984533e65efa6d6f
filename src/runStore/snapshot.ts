/** Builds the webview's view of a run (a snapshot and batch details) from what its folder holds. */
import type { BatchDetail, RunSnapshot } from '../shared/channels/webviewChannel';
import { hiddenRowsIn, type BatchRecord, type RunManifest, type RunStatus } from '../shared/runFormat';
import { readBatchHidden, readBatchNorms, readBatchStates, timestepsOf } from './batchData';
import type { RunLog } from './runLog';
import { answerForRun } from './runSummary';

/** A run as read, by the whole-folder reader or the host's repository. */
export type RunView = RunLog & { runDir: string; manifest: RunManifest; status: RunStatus };

/** Everything the webview needs to draw a run; pass `counts` when they are already kept. */
export function snapshotOf(run: RunView, kept?: Parameters<typeof answerForRun>[1]): RunSnapshot {
  return {
    runDir: run.runDir,
    manifest: run.manifest,
    status: run.status,
    batches: run.batches,
    resets: run.resets.map(({ cause, beforeStep }) => ({ cause, beforeStep })),
    epochLosses: run.epochs.map(({ epoch, meanLoss, validation }) => ({
      epoch,
      meanLoss,
      ...(validation ? { validation } : {}),
    })),
    warnings: run.warnings.map(({ code, message, field }) => ({ code, message, field })),
    answer: answerForRun(run, kept),
    message: run.end?.message,
    ...(run.end ? { endedAt: run.end.at } : {}),
  };
}

/**
 * Everything the inspector shows for one batch, including the next batch's initial state for continuity
 * (`{ next: false }` leaves it out, as null, without reading the next batch).
 */
export function batchDetailOf(
  run: Pick<RunView, 'runDir' | 'manifest' | 'batches'>,
  step: number,
  options: { next?: boolean } = {},
): BatchDetail {
  const batch = run.batches[step];
  if (!batch || batch.step !== step)
    throw new Error(`batch ${step} is not in this run (it has ${run.batches.length} batches)`);
  return batchDetailFrom(run, batch, options.next === false ? undefined : run.batches[step + 1]);
}

/** The detail of one batch from its full record and, for continuity, the full record of the next batch (if any). */
export function batchDetailFrom(
  run: Pick<RunView, 'runDir' | 'manifest'>,
  batch: BatchRecord,
  nextBatch: BatchRecord | undefined,
): BatchDetail {
  const step = batch.step;
  const states = readBatchStates(run, batch);
  const hidden = readBatchHidden(run, batch);
  const hiddenRows = hiddenRowsIn(run.manifest.hiddenRows, batch.rowCount);
  const nextStates = nextBatch ? readBatchStates(run, nextBatch) : null;
  return {
    step,
    record: batch,
    layers: run.manifest.model.layers.map((layer, i) =>
      states
        ? { units: layer.units, h0: [...states[i].h0], c0: [...states[i].c0], h: [...states[i].h], c: [...states[i].c] }
        : null,
    ),
    norms: readBatchNorms(run, batch).map((n) => ({ h0: [...n.h0], c0: [...n.c0], h: [...n.h], c: [...n.c] })),
    // Per layer of the model; the layers whose hidden sequence is not kept have null.
    hidden:
      hidden &&
      run.manifest.model.layers.map((_, layer) => {
        const kept = run.manifest.hiddenLayers.indexOf(layer);
        return kept < 0 ? null : { rows: hiddenRows, timesteps: timestepsOf(run, batch), values: [...hidden[kept]] };
      }),
    next: nextBatch
      ? {
          step: nextBatch.step,
          cause: nextBatch.cause,
          layers: run.manifest.model.layers.map((_, i) =>
            nextStates ? { h0: [...nextStates[i].h0], c0: [...nextStates[i].c0] } : null,
          ),
        }
      : null,
  };
}
