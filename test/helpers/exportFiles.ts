/**
 * An export's files read the way an outside tool would, without the project's writers: .npy files
 * by their documented header, batches.csv by its header. Tests compare the export against the run.
 */
import * as fs from 'fs';

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

/** The rows of a small CSV file as objects keyed by its header (no quoting: the tests write plain numbers). */
export function readCsvTable(file: string): Array<Record<string, string>> {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i], cell])));
}
