/** What the "Go to batch" box understands: a step ("12"), or an epoch and a batch counted from 1 ("3/2", "e3 b2", "epoch 3 batch 2"). */

/** A place the user typed. */
export type BatchQuery = { step: number } | { epoch: number; batch: number } | { error: string };

/** Reads the box's text. */
export function parseBatchQuery(text: string): BatchQuery {
  const t = text.trim().toLowerCase();
  if (/^(step\s*)?\d+$/.test(t)) return { step: Number(t.replace(/\D/g, '')) };
  const m = /^(?:e(?:poch)?\s*)?(\d+)\s*(?:[/:,.]\s*|\s+|(?=b))(?:b(?:atch)?\s*)?(\d+)$/.exec(t);
  if (m) {
    const epoch = Number(m[1]);
    const batch = Number(m[2]);
    if (epoch < 1 || batch < 1) return { error: 'epochs and batches are counted from 1' };
    return { epoch, batch };
  }
  return { error: 'type a step (e.g. 12) or an epoch and a batch from 1 (e.g. 3/2)' };
}

/** Columns of a run the query is resolved against. */
export interface BatchIndex {
  length: number;
  epoch: ArrayLike<number>;
  batch: ArrayLike<number>;
  /** Index into PHASES: 0 is training. */
  phase: ArrayLike<number>;
}

/** The step a query names in `run`, or why there is none. Epoch/batch counts training batches. */
export function resolveBatchQuery(query: BatchQuery, run: BatchIndex): { step: number } | { error: string } {
  if ('error' in query) return query;
  if ('step' in query)
    return query.step < run.length
      ? query
      : { error: `there is no step ${query.step}: the run has steps 0–${run.length - 1}` };
  for (let i = 0; i < run.length; i++)
    if (run.epoch[i] === query.epoch - 1 && run.batch[i] === query.batch - 1 && run.phase[i] === 0) return { step: i };
  return { error: `there is no training batch ${query.batch} in epoch ${query.epoch}` };
}
