import { describe, expect, it } from 'vitest';
import type { GeneratorData, GeneratorName } from '../../src/shared/config';
import { generateDataset } from '../../src/config/data/generators';

/** Bitwise equality of two float arrays (fast, unlike a deep equal of 20k elements). */
function same(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

const seed: GeneratorData = { generator: 'sine', samples: 1000, timesteps: 20, features: 1, seed: 0 };

describe('generators', () => {
  it('produce the seed X of shape (1000, 20, 1) and y of shape (1000, 1)', () => {
    const d = generateDataset(seed, 200);
    expect([d.samples, d.timesteps, d.features, d.targets]).toEqual([1000, 20, 1, 1]);
    expect(d.x.length).toBe(1000 * 20);
    expect(d.y.length).toBe(1000);
    expect(d.x.every(Number.isFinite) && d.y.every(Number.isFinite)).toBe(true);
    expect(d.source).toMatch(/sine generator, seed 0/);
  });

  it.each<GeneratorName>(['sine', 'randomWalk', 'noise'])(
    '%s is deterministic for a seed and differs between seeds',
    (generator) => {
      const a = generateDataset({ ...seed, generator, features: 2 }, 10);
      const b = generateDataset({ ...seed, generator, features: 2 }, 10);
      const c = generateDataset({ ...seed, generator, features: 2, seed: 1 }, 10);
      expect(same(a.x, b.x) && same(a.y, b.y)).toBe(true);
      expect(same(a.x, c.x)).toBe(false);
      expect(same(a.y, c.y)).toBe(false);
      // Samples are not copies of each other, and features differ within a sample.
      expect(same(a.x.subarray(0, 40), a.x.subarray(40, 80))).toBe(false);
      expect(a.x[0]).not.toBe(a.x[1]);
    },
  );

  it('independent layout: sample s does not depend on the sample count', () => {
    const small = generateDataset({ ...seed, samples: 10 }, 200);
    const large = generateDataset(seed, 200);
    expect(same(large.x.subarray(0, 200), small.x)).toBe(true);
  });

  it.each([
    { samples: 1000, batch: 200, features: 1 },
    { samples: 23, batch: 5, features: 3 },
  ])(
    'continuous layout: sample i + B continues sample i ($samples samples, batch $batch, $features features)',
    ({ samples, batch, features }) => {
      const T = 7;
      const d = generateDataset(
        { generator: 'randomWalk', samples, timesteps: T, features, seed: 3, layout: 'continuous' },
        batch,
      );
      for (let i = 0; i + batch < samples; i++) {
        const next = i + batch;
        // The target of sample i is the first feature-0 value of sample i + B...
        expect(d.y[i]).toBe(d.x[next * T * features]);
      }
      // ...and sample i's own values do continue a walk: consecutive steps are small.
      const first = Array.from({ length: T }, (_, t) => d.x[t * features]);
      expect(Math.max(...first.slice(1).map((v, t) => Math.abs(v - first[t])))).toBeLessThan(1);
    },
  );

  it('continuous layout: the last partial segment still continues its stream', () => {
    const T = 4;
    const d = generateDataset({ generator: 'sine', samples: 7, timesteps: T, seed: 0, layout: 'continuous' }, 3);
    // Streams 0..2; sample 6 is segment 2 of stream 0.
    expect(d.y[3]).toBe(d.x[6 * T]);
    expect(d.source).toMatch(/3 continuous streams \(sample i \+ 3 continues sample i\)/);
  });
});
