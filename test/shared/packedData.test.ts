/** Typed arrays out of JSON and back: every kind, non-finite floats bit for bit, views aligned. */
import { describe, expect, test } from 'vitest';
import { packArrays, unpackArrays } from '../../src/shared/packedData';

describe('packedData', () => {
  test('a tree with typed arrays round-trips through JSON text and one buffer', () => {
    const value = {
      name: 'run',
      list: [1, 'two', null],
      floats: Float32Array.from([0.1, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3.5e38]),
      doubles: Float64Array.from([Math.PI, Number.NaN]),
      nested: {
        ints: Int32Array.from([-1, 2 ** 31 - 1]),
        bytes: Uint8Array.from([1, 2, 3]),
        small: Int8Array.from([-1]),
      },
      view: new Float32Array([9, 8, 7, 6]).subarray(1, 3),
    };
    const { json, bytes } = packArrays(value);
    // The JSON holds references, not numbers.
    expect(JSON.stringify(json)).not.toContain('3.14159');
    const buffer = bytes.slice().buffer;
    const back = unpackArrays<typeof value>(JSON.parse(JSON.stringify(json)), buffer);
    expect(back.name).toBe('run');
    expect(back.list).toEqual([1, 'two', null]);
    expect(back.floats).toBeInstanceOf(Float32Array);
    expect(new Uint32Array(back.floats.buffer, back.floats.byteOffset, 6)).toEqual(
      new Uint32Array(value.floats.buffer),
    );
    expect([...back.doubles]).toEqual([Math.PI, Number.NaN]);
    expect([...back.nested.ints]).toEqual([-1, 2 ** 31 - 1]);
    expect([...back.nested.bytes]).toEqual([1, 2, 3]);
    expect([...back.nested.small]).toEqual([-1]);
    expect([...back.view]).toEqual([8, 7]);
    for (const array of [back.floats, back.doubles, back.nested.ints]) expect(array.byteOffset % 8).toBe(0);
  });
});
