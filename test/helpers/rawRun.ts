/**
 * A run folder read straight from its files as docs/run-format.md lays them out, without
 * src/runStore: the independent reading tests check the product's reader and views against.
 */
import * as fs from 'fs';
import * as path from 'path';

/** One line of log.jsonl, as written. */
export type RawRecord = Record<string, unknown> & { t: string };

/** A `batch` record's fields the tests read. */
export interface RawBatch {
  t: 'batch';
  step: number;
  epoch: number;
  batch: number;
  phase: string;
  rowCount: number;
  rows: number[] | null;
  loss: number | string | null;
  cause: string;
  carriedFrom: number | null;
  /** permuted/partial: for row i, the row of carriedFrom it continues (or null). */
  rowSources: Array<number | null> | null;
  flags: string[];
  dataContinues: boolean | null;
  normsOffset: number;
  statesOffset: number | null;
}

/** The complete lines of log.jsonl (a line counts once it ends in a newline), parsed; none before the log exists. */
export function rawRecords(runDir: string): RawRecord[] {
  const file = path.join(runDir, 'log.jsonl');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  return text
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as RawRecord);
}

/** The records of log.jsonl of type `t` ("batch", "epochEnd", "end", …). */
export function logRecords(runDir: string, t: string): RawRecord[] {
  return rawRecords(runDir).filter((record) => record.t === t);
}

/** A number of the log as the run format writes it: a number, "NaN", "Infinity", "-Infinity", or null (not known). */
export function logNumber(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value === 'number') return value;
  const named: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };
  if (typeof value === 'string' && value in named) return named[value];
  throw new Error(`not a number of the run format: ${JSON.stringify(value)}`);
}

/** The batch records of the log, in order. */
export function rawBatches(runDir: string): RawBatch[] {
  return rawRecords(runDir).filter((r) => r.t === 'batch') as unknown as RawBatch[];
}

/** The manifest as written (the fields the tests read typed, the rest as JSON). */
export interface RawManifest extends Record<string, unknown> {
  model: { layers: Array<{ units: number; cellUnits: number }> };
}

/** The manifest as written. */
export function rawManifest(runDir: string): RawManifest {
  return JSON.parse(fs.readFileSync(path.join(runDir, 'manifest.json'), 'utf8'));
}

function floatsAt(runDir: string, file: string, offset: number, count: number): Float32Array {
  const bytes = Buffer.alloc(count * 4);
  const fd = fs.openSync(path.join(runDir, file), 'r');
  try {
    const read = fs.readSync(fd, bytes, 0, bytes.length, offset);
    if (read !== bytes.length) throw new Error(`${file}: ${read} of ${bytes.length} bytes at offset ${offset}`);
  } finally {
    fs.closeSync(fd);
  }
  return new Float32Array(bytes.buffer, bytes.byteOffset, count);
}

/**
 * One captured batch's states, every layer: at its statesOffset, per layer h0, c0, h, c, each
 * [rowCount × units] (an LSTM's layers, `units` per layer).
 */
export function statesOfBatch(
  runDir: string,
  batch: RawBatch | Record<string, unknown>,
  units: number[],
): Array<{ h0: Float32Array; c0: Float32Array; h: Float32Array; c: Float32Array }> {
  const offset = batch.statesOffset;
  if (typeof offset !== 'number') throw new Error(`step ${batch.step} has no states`);
  const rows = batch.rowCount as number;
  const all = floatsAt(
    runDir,
    'states.bin',
    offset,
    units.reduce((sum, u) => sum + 4 * rows * u, 0),
  );
  let at = 0;
  const block = (length: number) => all.subarray(at, (at += length));
  return units.map((u) => ({ h0: block(rows * u), c0: block(rows * u), h: block(rows * u), c: block(rows * u) }));
}

/** Layer 0 of an LSTM's states block of a batch: h0, c0, h, c, each [rowCount × units] row-major. */
export function rawStates(runDir: string, batch: RawBatch): Record<'h0' | 'c0' | 'h' | 'c', Float32Array> {
  const layer = rawManifest(runDir).model.layers[0];
  if (batch.statesOffset === null) throw new Error(`step ${batch.step} has no states saved`);
  const [h, c] = [batch.rowCount * layer.units, batch.rowCount * layer.cellUnits];
  const all = floatsAt(runDir, 'states.bin', batch.statesOffset, 2 * h + 2 * c);
  return {
    h0: all.subarray(0, h),
    c0: all.subarray(h, h + c),
    h: all.subarray(h + c, 2 * h + c),
    c: all.subarray(2 * h + c),
  };
}

/** Layer 0 of an LSTM's norms block of a batch: the L2 norm of every row of h0, c0, h, c. */
export function rawNorms(runDir: string, batch: RawBatch): Record<'h0' | 'c0' | 'h' | 'c', Float32Array> {
  const r = batch.rowCount;
  const all = floatsAt(runDir, 'norms.bin', batch.normsOffset, 4 * r);
  return { h0: all.subarray(0, r), c0: all.subarray(r, 2 * r), h: all.subarray(2 * r, 3 * r), c: all.subarray(3 * r) };
}

/** Row `row` of a [rows × units] block. */
export function rowOf(block: Float32Array, rows: number, row: number): Float32Array {
  const units = block.length / rows;
  return block.subarray(row * units, (row + 1) * units);
}
