import { describe, expect, it } from 'vitest';
import { createRng, shuffledIndices } from '../../src/shared/random';

describe('random', () => {
  it('repeats for a seed, differs across seeds and streams', () => {
    const take = (rng: ReturnType<typeof createRng>) => Array.from({ length: 5 }, () => rng.next());
    expect(take(createRng(7))).toEqual(take(createRng(7)));
    expect(take(createRng(7))).not.toEqual(take(createRng(8)));
    expect(take(createRng(7, 1))).not.toEqual(take(createRng(7, 2)));
    expect(take(createRng(1))).not.toEqual(take(createRng(2 ** 32 + 1)));
  });

  it('gives uniforms in [0, 1) and roughly standard normals', () => {
    const rng = createRng(0);
    const n = 20000;
    const normals = Array.from({ length: n }, () => rng.normal());
    const mean = normals.reduce((a, b) => a + b, 0) / n;
    const variance = normals.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    for (let i = 0; i < 1000; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
    }
  });

  it('shuffledIndices is a deterministic permutation', () => {
    const a = shuffledIndices(1000, createRng(3));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(a).toEqual(shuffledIndices(1000, createRng(3)));
    expect(a).not.toEqual(shuffledIndices(1000, createRng(4)));
    expect(a).not.toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(shuffledIndices(0, createRng(0))).toEqual([]);
  });
});
