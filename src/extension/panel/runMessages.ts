/**
 * What a panel is sent about a run, from the host's compact model: the snapshot as typed-array
 * columns without detail (protocol 4), the deltas as batch summaries, and a batch's detail from
 * its full record, read back from the log.
 */
import type { BatchColumns } from '../../shared/batchColumns';
import type { BatchDetail, DeltaMessage, RunSnapshot } from '../../shared/channels/webviewChannel';
import { batchDetailFrom, snapshotOf } from '../../runStore/snapshot';
import type { RunChange, RunModel } from '../runs/runModel';

/**
 * Everything the model holds now: the run's snapshot (its batches empty) and every batch as columns,
 * copied a column at a time between turns of the event loop. Batches read meanwhile are left for
 * the deltas: the snapshot holds exactly the batches before `count` of the columns.
 */
export async function snapshotOfModel(model: RunModel): Promise<{ snapshot: RunSnapshot; columns: BatchColumns }> {
  const count = model.batches.length;
  const view = { ...model.log, batches: [], runDir: model.runDir, manifest: model.manifest, status: model.status };
  const snapshot = { ...snapshotOf(view), answer: model.answer() };
  return { snapshot, columns: await model.batches.columnsInSteps(0, count) };
}

/** What a change of the run adds for the webview. */
export function deltaOf({ model, batchesFrom, resets, epochsEnded }: RunChange): DeltaMessage {
  return {
    type: 'delta',
    batches: model.batches.slice(batchesFrom),
    resets: resets.map(({ cause, beforeStep }) => ({ cause, beforeStep })),
    epochLosses: epochsEnded.map(({ epoch, meanLoss, validation }) => ({
      epoch,
      meanLoss,
      ...(validation ? { validation } : {}),
    })),
    status: model.status,
    answer: model.answer(),
    message: model.message,
    ...(model.log.end ? { endedAt: model.log.end.at } : {}),
  };
}

/** Everything the inspector shows for batch `step`, with the next batch's initial state for continuity. */
export async function batchDetailOfModel(model: RunModel, step: number): Promise<BatchDetail> {
  const hasNext = step + 1 < model.batches.length;
  const [record, next] = await Promise.all([model.record(step), hasNext ? model.record(step + 1) : undefined]);
  return batchDetailFrom(model, record, next);
}
