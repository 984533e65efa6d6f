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
  ms: Float64Array;
  /**
   * The detail columns: where a batch's tensors are, its sample indices and row sources. A report
   * embeds them; a panel's snapshot leaves them out (16 M sample indices at a million batches) and
   * takes them from the batch's `BatchDetail.record` when it shows the batch.
   */
  detail?: DetailColumns;
  /** Why a batch's log line could not be read (cause `unreadable`), by step. */
  unreadable?: Record<number, string>;
}

/** Per batch: offsets into states.bin and sample indices. */
export interface DetailColumns {
  normsOffset: Float64Array;
  /** -1: norms only (past the tensor budget). */
  statesOffset: Float64Array;
  hiddenOffset: Float64Array;
  /** Batch i's sample indices are rows[rowStart[i] .. rowStart[i + 1]); an empty range: not known. */
  rowStart: Int32Array;
  rows: Int32Array;
  /** rowSources of the few batches that have them (permuted or partial), by step. */
  rowSources: Record<number, Array<number | null>>;
}

/** Packs records (in step order) into columns; `detail: false` leaves the detail columns out. */
export function toColumns(records: readonly BatchRecord[], options: { detail?: boolean } = {}): BatchColumns {
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
    ms: new Float64Array(count),
    unreadable: {},
  };
  records.forEach((r, i) => {
    c.step[i] = r.step;
    writeSummary(c, i, r, layers);
    if (r.unreadable) c.unreadable![r.step] = r.unreadable;
  });
  if (options.detail !== false) c.detail = detailColumns(records);
  return c;
}

function detailColumns(records: readonly BatchRecord[]): DetailColumns {
  const count = records.length;
  const d: DetailColumns = {
    normsOffset: new Float64Array(count),
    statesOffset: new Float64Array(count),
    hiddenOffset: new Float64Array(count),
    rowStart: new Int32Array(count + 1),
    rows: new Int32Array(records.reduce((n, r) => n + (r.rows?.length ?? 0), 0)),
    rowSources: {},
  };
  let at = 0;
  records.forEach((r, i) => {
    d.normsOffset[i] = r.normsOffset;
    d.statesOffset[i] = r.statesOffset ?? -1;
    d.hiddenOffset[i] = r.hiddenOffset ?? -1;
    d.rowStart[i] = at;
    if (r.rows) d.rows.set(r.rows, at);
    at += r.rows?.length ?? 0;
    if (r.rowSources) d.rowSources[r.step] = r.rowSources;
  });
  d.rowStart[count] = at;
  return d;
}

/** The per-batch summary columns: every field of BatchColumns but count, layers, step, the detail and unreadable. */
export type SummaryColumns = Pick<
  BatchColumns,
  | 'epoch'
  | 'batch'
  | 'phase'
  | 'loss'
  | 'lossKnown'
  | 'rowCount'
  | 'timesteps'
  | 'cause'
  | 'carriedFrom'
  | 'flags'
  | 'dataContinues'
  | 'meanNorms'
  | 'ms'
>;

/**
 * Packs record `r`'s summary at index `i`: the one packing of a snapshot's columns and of the host's
 * batch table. A layer the record lacks is NaN.
 */
export function writeSummary(c: SummaryColumns, i: number, r: BatchRecord, layers: number): void {
  c.epoch[i] = r.epoch;
  c.batch[i] = r.batch;
  c.phase[i] = PHASES.indexOf(r.phase);
  c.loss[i] = r.loss ?? Number.NaN;
  c.lossKnown[i] = r.loss === null ? 0 : 1;
  c.rowCount[i] = r.rowCount;
  c.timesteps[i] = r.timesteps ?? -1;
  c.cause[i] = CAUSES.indexOf(r.cause);
  c.carriedFrom[i] = r.carriedFrom ?? -1;
  let flags = 0;
  for (const flag of r.flags) flags |= 1 << BATCH_FLAGS.indexOf(flag);
  c.flags[i] = flags;
  c.dataContinues[i] = r.dataContinues === null ? -1 : Number(r.dataContinues);
  const base = i * layers * 4;
  for (let l = 0; l < layers; l++) {
    const n = r.meanNorms[l];
    c.meanNorms[base + l * 4] = n?.h0 ?? Number.NaN;
    c.meanNorms[base + l * 4 + 1] = n?.c0 ?? Number.NaN;
    c.meanNorms[base + l * 4 + 2] = n?.h ?? Number.NaN;
    c.meanNorms[base + l * 4 + 3] = n?.c ?? Number.NaN;
  }
  c.ms[i] = r.ms;
}

/**
 * Unpacks the summary at index `i` as the record of `step`, without its detail: rows and rowSources
 * null, normsOffset 0, statesOffset and hiddenOffset null.
 */
export function readSummary(c: SummaryColumns, i: number, layers: number, step: number): BatchRecord {
  const orNull = (v: number) => (v < 0 ? null : v);
  const base = i * layers * 4;
  return {
    t: 'batch',
    epoch: c.epoch[i],
    batch: c.batch[i],
    step,
    phase: PHASES[c.phase[i]],
    rowCount: c.rowCount[i],
    rows: null,
    timesteps: orNull(c.timesteps[i]),
    loss: c.lossKnown[i] ? c.loss[i] : null,
    cause: CAUSES[c.cause[i]],
    carriedFrom: orNull(c.carriedFrom[i]),
    rowSources: null,
    flags: BATCH_FLAGS.filter((_, bit) => c.flags[i] & (1 << bit)),
    dataContinues: c.dataContinues[i] < 0 ? null : c.dataContinues[i] === 1,
    meanNorms: Array.from({ length: layers }, (_, l) => ({
      h0: c.meanNorms[base + l * 4],
      c0: c.meanNorms[base + l * 4 + 1],
      h: c.meanNorms[base + l * 4 + 2],
      c: c.meanNorms[base + l * 4 + 3],
    })),
    normsOffset: 0,
    statesOffset: null,
    hiddenOffset: null,
    ms: c.ms[i],
  };
}

/**
 * Unpacks record `i` (0 ≤ i < count). Without detail columns its rows, row sources and tensor
 * offsets are not in the columns: rows and rowSources come back null, the offsets 0 and null.
 */
export function recordAt(c: BatchColumns, i: number): BatchRecord {
  const orNull = (v: number) => (v < 0 ? null : v);
  const d = c.detail;
  // No indices stored for a batch that has rows: its sample indices were not known.
  const known = d !== undefined && (d.rowStart[i + 1] > d.rowStart[i] || c.rowCount[i] === 0);
  return {
    ...readSummary(c, i, c.layers, c.step[i]),
    ...(d
      ? {
          rows: known ? Array.from(d.rows.subarray(d.rowStart[i], d.rowStart[i + 1])) : null,
          rowSources: d.rowSources[c.step[i]] ?? null,
          normsOffset: d.normsOffset[i],
          statesOffset: orNull(d.statesOffset[i]),
          hiddenOffset: orNull(d.hiddenOffset[i]),
        }
      : {}),
    ...(c.unreadable?.[c.step[i]] ? { unreadable: c.unreadable[c.step[i]] } : {}),
  };
}
