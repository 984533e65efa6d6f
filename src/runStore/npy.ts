/** Writes NumPy `.npy` files (format version 1.0, little-endian) that `numpy.load` reads. */
import * as fs from 'fs';

export type NpyArray = Float32Array | Int32Array;

/** The bytes of a .npy file holding `values` with `shape` (C order). */
export function encodeNpy(values: NpyArray, shape: number[]): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length) throw new Error(`npy: shape [${shape}] holds ${count} values, got ${values.length}`);
  const descr = values instanceof Float32Array ? '<f4' : '<i4';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Magic (6) + version (2) + header length (2) + header must be a multiple of 64, ending in '\n'.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0]).copy(prefix);
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([
    prefix,
    Buffer.from(header, 'latin1'),
    Buffer.from(values.buffer, values.byteOffset, values.byteLength),
  ]);
}

export function writeNpy(file: string, values: NpyArray, shape: number[]): void {
  fs.writeFileSync(file, encodeNpy(values, shape));
}

/** Reads a .npy file written by `encodeNpy` (used by tests and tools). */
export function decodeNpy(bytes: Buffer): { values: NpyArray; shape: number[] } {
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  const shape = (/'shape': \(([^)]*)\)/.exec(header)?.[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const data = bytes.subarray(10 + headerLength);
  const copy = new Uint8Array(data).buffer;
  return { values: header.includes('<i4') ? new Int32Array(copy) : new Float32Array(copy), shape };
}
