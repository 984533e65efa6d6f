/**
 * Seeded sequence generators. The target of a sample is the value of feature 0 right after
 * its window, so every series is generated one value longer than the window it fills.
 */
import type { GeneratorData, GeneratorName } from '../../shared/config';
import { ConfigError } from '../configError';
import { DEFAULTS } from '../configDefaults';
import type { Dataset } from './dataset';
import { createRng, type Rng } from '../../shared/random';

// X beyond this many floats (1 GiB) would not fit a Float32Array comfortably in one process.
const MAX_FLOATS = 2 ** 28;

/** Fills `out` with one series of `out.length` values of the named generator. */
export function fillSeries(kind: GeneratorName, rng: Rng, out: Float64Array): void {
  switch (kind) {
    case 'sine': {
      // Per series: its own amplitude, period (8 to 40 steps) and phase, plus small noise.
      const amplitude = rng.uniform(0.5, 1.5);
      const omega = (2 * Math.PI) / rng.uniform(8, 40);
      const phase = rng.uniform(0, 2 * Math.PI);
      for (let t = 0; t < out.length; t++) out[t] = amplitude * Math.sin(omega * t + phase) + 0.05 * rng.normal();
      return;
    }
    case 'randomWalk': {
      let value = rng.normal();
      for (let t = 0; t < out.length; t++) {
        out[t] = value;
        value += 0.1 * rng.normal();
      }
      return;
    }
    case 'noise':
      for (let t = 0; t < out.length; t++) out[t] = rng.normal();
      return;
  }
}

/** Refuses a generator config whose X would not fit in memory (checked without generating). */
export function checkGeneratedSize(data: GeneratorData): void {
  const { samples, timesteps: T } = data;
  const features = data.features ?? DEFAULTS.features;
  if (samples * T * features > MAX_FLOATS) {
    throw new ConfigError(
      'data.samples',
      `X would hold ${samples} × ${T} × ${features} = ${samples * T * features} values, more than the ${MAX_FLOATS} this trainer keeps in memory. ` +
        'Lower data.samples, data.timesteps or data.features.',
    );
  }
}

/** The largest float32: training runs in float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** Refuses generated values a float32 cannot hold (the generators stay far inside it; this makes it a checked fact). */
export function checkFloat32(dataset: Pick<Dataset, 'x' | 'y' | 'timesteps' | 'features'>): void {
  for (const [name, values] of [
    ['X', dataset.x],
    ['y', dataset.y],
  ] as const) {
    const at = values.findIndex((v) => !(Math.abs(v) <= FLOAT32_MAX));
    if (at >= 0) {
      const per = name === 'X' ? dataset.timesteps * dataset.features : 1;
      throw new ConfigError(
        'data.generator',
        `the generator made a value outside float32 range (${values[at]}) in ${name} of sample ${Math.floor(at / per)}. ` +
          'Use another seed or generator, and report it: generators should stay within range.',
      );
    }
  }
}

/**
 * Generates X [samples, timesteps, features] and y [samples, 1].
 * `independent`: series s is sample s. `continuous`: sample k*B + i is segment k of stream i
 * (B = batchSize), so sample i + B continues sample i exactly — the layout stateful LSTMs need.
 */
export function generateDataset(data: GeneratorData, batchSize: number): Dataset {
  const { generator, samples, timesteps: T } = data;
  const features = data.features ?? DEFAULTS.features;
  const seed = data.seed ?? DEFAULTS.dataSeed;
  const layout = data.layout ?? DEFAULTS.layout;
  checkGeneratedSize(data);
  const x = new Float32Array(samples * T * features);
  const y = new Float32Array(samples);
  // One series per sample (independent) or one stream per batch row (continuous).
  const streams = layout === 'continuous' ? Math.min(batchSize, samples) : samples;
  for (let stream = 0; stream < streams; stream++) {
    const segments = layout === 'continuous' ? Math.ceil((samples - stream) / batchSize) : 1;
    const length = segments * T + 1;
    // Each series has its own rng stream, so sample s does not change when `samples` grows.
    const rng = createRng(seed, stream);
    const values = new Float64Array(length);
    for (let f = 0; f < features; f++) {
      fillSeries(generator, rng, values);
      for (let k = 0; k < segments; k++) {
        const sample = layout === 'continuous' ? k * batchSize + stream : stream;
        const base = sample * T * features;
        for (let t = 0; t < T; t++) x[base + t * features + f] = values[k * T + t];
        if (f === 0) y[sample] = values[(k + 1) * T];
      }
    }
  }
  const how =
    layout === 'continuous'
      ? `${streams} continuous stream${streams === 1 ? '' : 's'} (sample i + ${batchSize} continues sample i)`
      : `${samples} independent series`;
  return { x, y, samples, timesteps: T, features, targets: 1, source: `${generator} generator, seed ${seed}, ${how}` };
}
