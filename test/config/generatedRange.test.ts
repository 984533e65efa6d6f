/**
 * Generated data is checked for float32 range like CSV data. The generators stay far inside it,
 * so the check is exercised directly and, through loadDataset, with a generator whose output is
 * replaced by one holding an out-of-range value (as a broken generator would make).
 */
import * as path from 'path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as generators from '../../src/config/data/generators';
import { loadDataset } from '../../src/config/data/loadDataset';
import { loadConfig } from '../../src/config/loadConfig';
import type { LstmConfig } from '../../src/shared/config';
import { configError, tempWorkspace, writeConfig } from './helpers';

/** A dataset of 4 samples × 3 timesteps × 2 features, all finite except what `spoil` sets. */
function dataset(spoil: (x: Float32Array, y: Float32Array) => void) {
  const x = Float32Array.from({ length: 4 * 3 * 2 }, (_, i) => i / 10);
  const y = Float32Array.from({ length: 4 }, (_, i) => i);
  spoil(x, y);
  return { x, y, timesteps: 3, features: 2 };
}

describe('checkFloat32', () => {
  it('accepts the largest float32 and refuses Infinity, 1e39 (Infinity in float32) and NaN, naming the generator and the sample', () => {
    expect(() => generators.checkFloat32(dataset((x) => (x[5] = -3.4028234663852886e38)))).not.toThrow();
    for (const [value, shown] of [
      [Infinity, 'Infinity'],
      [1e39, 'Infinity'],
      [-1e39, '-Infinity'],
      [Number.NaN, 'NaN'],
    ] as const) {
      // Value 14 of X: sample 2 (6 values a sample).
      const error = configError(() => generators.checkFloat32(dataset((x) => (x[14] = value))));
      expect(error.field).toBe('data.generator');
      expect(error.message).toContain(`the generator made a value outside float32 range (${shown}) in X of sample 2`);
    }
    const error = configError(() => generators.checkFloat32(dataset((_x, y) => (y[3] = Infinity))));
    expect(error.field).toBe('data.generator');
    expect(error.message).toContain('(Infinity) in y of sample 3');
  });
});

describe('loadDataset checks what a generator made', () => {
  afterEach(() => vi.restoreAllMocks());

  /** The real generator's output with value `at` of X replaced by `value`, for the generator of `seed`. */
  function spoilGenerator(seed: number, at: number, value: number): void {
    const real = generators.generateDataset;
    vi.spyOn(generators, 'generateDataset').mockImplementation((data, batchSize) => {
      const made = real(data, batchSize);
      if (data.seed === seed) made.x[at] = value;
      return made;
    });
  }

  function load(config: LstmConfig) {
    const dir = tempWorkspace();
    const configPath = writeConfig(dir, 'a.lstm.json', config);
    const { resolved, workspaceRoot } = loadConfig(configPath);
    return () => loadDataset(resolved, path.join(dir, 'a.lstm.json'), workspaceRoot);
  }

  const config: LstmConfig = {
    data: { generator: 'sine', samples: 20, timesteps: 5, seed: 1 },
    model: { units: 3 },
    training: { batchSize: 5, epochs: 1 },
  };

  it('training data: the error names data.generator', () => {
    spoilGenerator(1, 5 * 7, 1e39);
    const error = configError(load(config));
    expect(error.field).toBe('data.generator');
    expect(error.message).toContain('(Infinity) in X of sample 7');
  });

  it("validation's own generated data: the error names validation.data.generator", () => {
    spoilGenerator(2, 0, Number.NEGATIVE_INFINITY);
    const error = configError(
      load({ ...config, validation: { data: { generator: 'noise', samples: 10, timesteps: 5, seed: 2 } } }),
    );
    expect(error.field).toBe('validation.data.generator');
    expect(error.message).toContain('(-Infinity) in X of sample 0');
  });

  it('in-range generated data loads', () => {
    expect(load(config)().samples).toBe(20);
  });
});
