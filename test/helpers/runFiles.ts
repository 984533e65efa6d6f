/**
 * A run folder's and an export's files read the way an outside tool would, without the project's
 * readers: .npy files by their documented header, log.jsonl line by line, states.bin at the
 * offsets the log gives. Tests compare the project's output against these.
 */
import * as fs from 'fs';
import * as path from 'path';

/** A .npy file (format 1.0 or 2.0, little-endian float32 or int32, C order) read from its bytes. */
export function readNpyFile(file: string): { shape: number[]; values: Float32Array | Int32Array } {
  const bytes = fs.readFileSync(file);
  if (bytes[0] !== 0x93 || bytes.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${file}: not a .npy file`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', start, start + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  if (!/'fortran_order':\s*False/.test(header)) throw new Error(`${file}: not in C order`);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (shapeText === undefined) throw new Error(`${file}: no shape in ${header}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const data = bytes.subarray(start + headerLength);
  if (data.length !== count * 4) throw new Error(`${file}: ${data.length} data bytes for shape [${shape}]`);
  const values = descr === '<f4' ? new Float32Array(count) : descr === '<i4' ? new Int32Array(count) : null;
  if (!values) throw new Error(`${file}: dtype ${descr}`);
  for (let i = 0; i < count; i++)
    values[i] = values instanceof Float32Array ? data.readFloatLE(i * 4) : data.readInt32LE(i * 4);
  return { shape, values };
}

/** The records of log.jsonl of type `t` ("batch", "epochEnd", "end", …), parsed line by line. */
export function logRecords(runDir: string, t: string): Array<Record<string, unknown>> {
  return fs
    .readFileSync(path.join(runDir, 'log.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => record.t === t);
}

/** A number of the log as the run format writes it: a number, "NaN", "Infinity", "-Infinity", or null (not known). */
export function logNumber(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value === 'number') return value;
  const named: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };
  if (typeof value === 'string' && value in named) return named[value];
  throw new Error(`not a number of the run format: ${JSON.stringify(value)}`);
}

/**
 * One captured batch's states straight from states.bin: at its statesOffset, per layer h0 [R·U],
 * c0 [R·U], h [R·U], c [R·U] (an LSTM's layers, `units` per layer, R = the batch's rowCount).
 */
export function statesOfBatch(
  runDir: string,
  batch: Record<string, unknown>,
  units: number[],
): Array<{ h0: Float32Array; c0: Float32Array; h: Float32Array; c: Float32Array }> {
  const offset = batch.statesOffset;
  if (typeof offset !== 'number') throw new Error(`step ${batch.step} has no states`);
  const rows = batch.rowCount as number;
  const bytes = fs.readFileSync(path.join(runDir, 'states.bin'));
  let at = offset;
  const block = (length: number) => {
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++, at += 4) out[i] = bytes.readFloatLE(at);
    return out;
  };
  return units.map((u) => ({ h0: block(rows * u), c0: block(rows * u), h: block(rows * u), c: block(rows * u) }));
}

/** The rows of a small CSV file as objects keyed by its header (no quoting: the tests write plain numbers). */
export function readCsvTable(file: string): Array<Record<string, string>> {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i], cell])));
}
