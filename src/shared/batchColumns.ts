/**
 * Batch summaries as columns. Typed arrays cross `postMessage` (and VS Code's webview IPC) as raw
 * buffers, so the 100k batches of a long run arrive in milliseconds instead of the second that
 * as many objects take to serialize, copy and rebuild. Imports neither `vscode` nor the DOM.
 */
import { CAUSES } from './causes';
import { BATCH_FLAGS, PHASES, type BatchRecord } from './runFormat';

/** Every field of BatchRecord, one array per field; -1 stands for null. */
export interface BatchColumns {
  count: number;
  /** LSTM layers (the stride of meanNorms is layers * 4). */
  layers: number;
  epoch: Int32Array;
  batch: Int32Array;
  step: Int32Array;
  /** Index into PHASES. */
  phase: Uint8Array;
  /** NaN for a non-finite NaN loss as for an unknown one: `lossKnown` tells them apart. */
  loss: Float64Array;
  /** 1 when the loss is known (finite or not), 0 when the run does not know it. */
  lossKnown: Uint8Array;
  rowCount: Int32Array;
  /** -1: the manifest's. */
  timesteps: Int32Array;
  /** Index into CAUSES. */
  cause: Uint8Array;
  carriedFrom: Int32Array;
  /** Bit i set when the batch has flag BATCH_FLAGS[i]. */
  flags: Uint8Array;
  /** 1 true, 0 false, -1 unknown. */
  dataContinues: Int8Array;
  /** [count][layers][h0, c0, h, c]. */
  meanNorms: Float64Array;
  normsOffset: Float64Array;
  statesOffset: Float64Array;
  hiddenOffset: Float64Array;
  ms: Float64Array;
  /** Batch i's sample indices are rows[rowStart[i] .. rowStart[i + 1]); an empty range: not known. */
  rowStart: Int32Array;
  rows: Int32Array;
  /** rowSources of the few batches that have them (permuted or partial), by step. */
  rowSources: Record<number, Array<number | null>>;
  /** Why a batch's log line could not be read (cause `unreadable`), by step. */
  unreadable?: Record<number, string>;
}

/** Packs records (in step order) into columns. */
export function toColumns(records: readonly BatchRecord[]): BatchColumns {
  const count = records.length;
  const layers = records[0]?.meanNorms.length ?? 0;
  const c: BatchColumns = {
    count,
    layers,
    epoch: new Int32Array(count),
    batch: new Int32Array(count),
    step: new Int32Array(count),
    phase: new Uint8Array(count),
    lossKnown: new Uint8Array(count),
    rowCount: new Int32Array(count),
    timesteps: new Int32Array(count),
    loss: new Float64Array(count),
    cause: new Uint8Array(count),
    carriedFrom: new Int32Array(count),
    flags: new Uint8Array(count),
    dataContinues: new Int8Array(count),
    meanNorms: new Float64Array(count * layers * 4),
    normsOffset: new Float64Array(count),
    statesOffset: new Float64Array(count),
    hiddenOffset: new Float64Array(count),
    ms: new Float64Array(count),
    rowStart: new Int32Array(count + 1),
    rows: new Int32Array(records.reduce((n, r) => n + (r.rows?.length ?? 0), 0)),
    rowSources: {},
    unreadable: {},
  };
  let at = 0;
  records.forEach((r, i) => {
    c.epoch[i] = r.epoch;
    c.batch[i] = r.batch;
    c.step[i] = r.step;
    c.phase[i] = PHASES.indexOf(r.phase);
    c.loss[i] = r.loss ?? Number.NaN;
    c.lossKnown[i] = r.loss === null ? 0 : 1;
    c.rowCount[i] = r.rowCount;
    c.timesteps[i] = r.timesteps ?? -1;
    c.cause[i] = CAUSES.indexOf(r.cause);
    c.carriedFrom[i] = r.carriedFrom ?? -1;
    c.flags[i] = r.flags.reduce((bits, flag) => bits | (1 << BATCH_FLAGS.indexOf(flag)), 0);
    c.dataContinues[i] = r.dataContinues === null ? -1 : Number(r.dataContinues);
    r.meanNorms.forEach((n, l) => c.meanNorms.set([n.h0, n.c0, n.h, n.c], (i * layers + l) * 4));
    c.normsOffset[i] = r.normsOffset;
    c.statesOffset[i] = r.statesOffset ?? -1;
    c.hiddenOffset[i] = r.hiddenOffset ?? -1;
    c.ms[i] = r.ms;
    c.rowStart[i] = at;
    if (r.rows) c.rows.set(r.rows, at);
    at += r.rows?.length ?? 0;
    if (r.rowSources) c.rowSources[r.step] = r.rowSources;
    if (r.unreadable) c.unreadable![r.step] = r.unreadable;
  });
  c.rowStart[count] = at;
  return c;
}

/** Unpacks record `i` (0 ≤ i < count). */
export function recordAt(c: BatchColumns, i: number): BatchRecord {
  const orNull = (v: number) => (v < 0 ? null : v);
  const norms = Array.from({ length: c.layers }, (_, l) => {
    const k = (i * c.layers + l) * 4;
    return { h0: c.meanNorms[k], c0: c.meanNorms[k + 1], h: c.meanNorms[k + 2], c: c.meanNorms[k + 3] };
  });
  // No indices stored for a batch that has rows: its sample indices were not known.
  const known = c.rowStart[i + 1] > c.rowStart[i] || c.rowCount[i] === 0;
  return {
    t: 'batch',
    epoch: c.epoch[i],
    batch: c.batch[i],
    step: c.step[i],
    phase: PHASES[c.phase[i]],
    rowCount: c.rowCount[i],
    rows: known ? Array.from(c.rows.subarray(c.rowStart[i], c.rowStart[i + 1])) : null,
    timesteps: orNull(c.timesteps[i]),
    loss: c.lossKnown[i] ? c.loss[i] : null,
    cause: CAUSES[c.cause[i]],
    carriedFrom: orNull(c.carriedFrom[i]),
    rowSources: c.rowSources[c.step[i]] ?? null,
    flags: BATCH_FLAGS.filter((_, bit) => c.flags[i] & (1 << bit)),
    dataContinues: c.dataContinues[i] < 0 ? null : c.dataContinues[i] === 1,
    meanNorms: norms,
    normsOffset: c.normsOffset[i],
    statesOffset: orNull(c.statesOffset[i]),
    hiddenOffset: orNull(c.hiddenOffset[i]),
    ms: c.ms[i],
    ...(c.unreadable?.[c.step[i]] ? { unreadable: c.unreadable[c.step[i]] } : {}),
  };
}
