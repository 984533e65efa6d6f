/**
 * A value holding typed arrays as JSON plus one binary blob: each typed array is replaced by a
 * reference `{ $a: kind, o: byteOffset, n: length }` into the blob (8-byte aligned), so a report
 * carries its numbers as bytes (compressible, ~4 bytes a float) instead of decimal text.
 * Pure: no DOM, no Node; used by the report writer and the webview that reads it back.
 */

type Typed = Float32Array | Float64Array | Int32Array | Uint32Array | Int8Array | Uint8Array | Uint16Array;
const KINDS = {
  f32: Float32Array,
  f64: Float64Array,
  i32: Int32Array,
  u32: Uint32Array,
  i8: Int8Array,
  u8: Uint8Array,
  u16: Uint16Array,
} as const;
type Kind = keyof typeof KINDS;

interface ArrayRef {
  $a: Kind;
  o: number;
  n: number;
  /** Bytes stored plane by plane (all first bytes, then all second bytes, …): floats compress better so. */
  s?: 1;
}

function kindOf(value: unknown): Kind | undefined {
  for (const [kind, ctor] of Object.entries(KINDS)) if (value instanceof ctor) return kind as Kind;
  return undefined;
}

/** The value with its typed arrays moved into `bytes`. */
export function packArrays(value: unknown): { json: unknown; bytes: Uint8Array } {
  const parts: Uint8Array[] = [];
  let size = 0;
  const walk = (v: unknown): unknown => {
    const kind = kindOf(v);
    if (kind) {
      const typed = v as Typed;
      const o = size;
      const raw = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
      const shuffle = kind === 'f32' || kind === 'f64';
      const bytes = shuffle ? planes(raw, typed.BYTES_PER_ELEMENT) : raw;
      parts.push(bytes);
      size += bytes.byteLength;
      const pad = (8 - (size % 8)) % 8;
      if (pad) {
        parts.push(new Uint8Array(pad));
        size += pad;
      }
      return { $a: kind, o, n: typed.length, ...(shuffle ? { s: 1 as const } : {}) } satisfies ArrayRef;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const json = walk(value);
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return { json, bytes };
}

/** The value `packArrays` packed, its typed arrays views of `buffer` (which must be 8-byte aligned). */
export function unpackArrays<T>(json: unknown, buffer: ArrayBuffer): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const ref = v as Partial<ArrayRef>;
      if (typeof ref.$a === 'string' && ref.$a in KINDS && typeof ref.o === 'number' && typeof ref.n === 'number') {
        const ctor = KINDS[ref.$a];
        if (ref.s) unplane(new Uint8Array(buffer, ref.o, ref.n * ctor.BYTES_PER_ELEMENT), ctor.BYTES_PER_ELEMENT);
        return new ctor(buffer, ref.o, ref.n);
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(json) as T;
}

/** The bytes of `width`-byte values, plane by plane. */
function planes(bytes: Uint8Array, width: number): Uint8Array {
  const n = bytes.length / width;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < n; i++) for (let k = 0; k < width; k++) out[k * n + i] = bytes[i * width + k];
  return out;
}

/** Undoes `planes` in place. */
function unplane(bytes: Uint8Array, width: number): void {
  const copy = bytes.slice();
  const n = bytes.length / width;
  for (let i = 0; i < n; i++) for (let k = 0; k < width; k++) bytes[i * width + k] = copy[k * n + i];
}
