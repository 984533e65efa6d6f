/**
 * Validation and prediction through the same layers, as Keras runs them (state-semantics.md,
 * "Around training"). The expected causes are written out by hand from those semantics; every
 * claim is then checked from the saved run alone: zeros or bitwise carried states, every
 * batch recomputed with the float64 reference LSTM along the claimed chain, and dataContinues
 * read from the data.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/config/data/generators';
import type { GeneratorData, LstmConfig } from '../../src/shared/config';
import { expectCauseClaims, expectDataContinuesFromData, expectRecomputed } from '../helpers/phaseChecks';
import { smallConfig, trainInTemp } from '../helpers/trainInTemp';

/** 40 samples of a continuous layout, batch 10: 30 train (3 batches), 10 validate (1 batch), 2 epochs, predict on train (3). */
function phasesConfig(extra: Partial<LstmConfig> & { stateful?: boolean; units?: number | number[] } = {}): LstmConfig {
  const { stateful = true, units = 5, ...rest } = extra;
  return {
    ...smallConfig({ model: { stateful, units }, data: { layout: 'continuous' } }),
    resets: stateful ? 'never' : undefined,
    validation: { split: 0.25 },
    predict: {},
    ...rest,
  };
}

type Expected = Array<[string, number | null]>;
const c = (from: number): [string, number] => ['carried', from];
const r = (from: number): [string, number] => ['restored', from];
const zero = (cause: string): [string, null] => [cause, null];

// Steps: epoch 0 train 0-2, validate 3; epoch 1 train 4-6, validate 7; predict 8-10.
const PHASES = [
  'train',
  'train',
  'train',
  'validate',
  'train',
  'train',
  'train',
  'validate',
  'predict',
  'predict',
  'predict',
];

const cases: Array<[string, Partial<LstmConfig>, Expected]> = [
  [
    'shared (Keras): validation carries the training state, epoch 2 and the prediction carry validation’s',
    { validationState: 'shared' },
    [zero('first'), c(0), c(1), c(2), c(3), c(4), c(5), c(6), c(7), c(8), c(9)],
  ],
  [
    'isolated: validation starts from the training state, which is restored after it',
    { validationState: 'isolated' },
    [zero('first'), c(0), c(1), c(2), r(2), c(4), c(5), c(6), r(6), c(8), c(9)],
  ],
  [
    'reset: zeros before validation and after it',
    { validationState: 'reset' },
    [zero('first'), c(0), c(1), zero('phase'), zero('phase'), c(4), c(5), zero('phase'), zero('phase'), c(8), c(9)],
  ],
  [
    'shared with epoch resets: the epoch reset comes after validation, and before the prediction',
    { validationState: 'shared', resets: 'epoch' },
    [zero('first'), c(0), c(1), c(2), zero('epoch'), c(4), c(5), c(6), zero('epoch'), c(8), c(9)],
  ],
  [
    'isolated with epoch resets: the reset after validation wins over the restore',
    { validationState: 'isolated', resets: 'epoch' },
    [zero('first'), c(0), c(1), c(2), zero('epoch'), c(4), c(5), c(6), zero('epoch'), c(8), c(9)],
  ],
  [
    'reset with epoch resets: validation from zeros, each epoch from the epoch reset',
    { validationState: 'reset', resets: 'epoch' },
    [zero('first'), c(0), c(1), zero('phase'), zero('epoch'), c(4), c(5), zero('phase'), zero('epoch'), c(8), c(9)],
  ],
  [
    'shared with predict.reset: the prediction starts from zeros',
    { validationState: 'shared', predict: { reset: true } },
    [zero('first'), c(0), c(1), c(2), c(3), c(4), c(5), c(6), zero('phase'), c(8), c(9)],
  ],
  [
    'shared with an everyBatches schedule: it counts training batches only',
    { validationState: 'shared', resets: { everyBatches: 2 } },
    [zero('first'), c(0), zero('schedule'), c(2), c(3), zero('schedule'), c(5), c(6), c(7), c(8), c(9)],
  ],
];

describe('validation and prediction of a stateful LSTM', () => {
  it.each(cases)('%s', async (_name, extra, expected) => {
    const { run } = await trainInTemp(phasesConfig(extra));
    expect(run.batches.map((b) => b.phase)).toEqual(PHASES);
    expect(run.batches.map((b) => [b.cause, b.carriedFrom])).toEqual(expected);
    expectCauseClaims(run);
    expectRecomputed(run);
    expectDataContinuesFromData(run);
  });

  it('keeps every claim with two stacked layers, predicting on the validation data', async () => {
    const { run } = await trainInTemp(
      phasesConfig({ units: [4, 3], validationState: 'isolated', predict: { data: 'validation' } }),
    );
    expect(run.batches.map((b) => [b.cause, b.carriedFrom]).slice(8)).toEqual([r(6)]);
    expect(run.batches[8].rows!).toEqual([30, 31, 32, 33, 34, 35, 36, 37, 38, 39]);
    expectCauseClaims(run);
    expectRecomputed(run);
  });

  it('records where each phase reads its samples, batch indices per (epoch, phase), and validation in epochEnd', async () => {
    const { run } = await trainInTemp(phasesConfig());
    expect(run.manifest.validation).toMatchObject({ first: 30, samples: 10, batchesPerEpoch: 1, state: 'shared' });
    expect(run.manifest.predict).toEqual({ data: 'train', first: 0, samples: 30, batches: 3, reset: false });
    expect(run.manifest.batchesPerEpoch).toBe(3);
    expect(run.batches.map((b) => [b.epoch, b.batch])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [0, 0],
      [1, 0],
      [1, 1],
      [1, 2],
      [1, 0],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
    // The split is Keras's: the last quarter, in order; training never sees it.
    expect(run.batches.filter((b) => b.phase === 'validate').map((b) => b.rows!)).toEqual([
      [30, 31, 32, 33, 34, 35, 36, 37, 38, 39],
      [30, 31, 32, 33, 34, 35, 36, 37, 38, 39],
    ]);
    expect(run.batches.filter((b) => b.phase === 'train').every((b) => b.rows!.every((s) => s < 30))).toBe(true);
    // Read from the log itself: the epochEnd record carries its validation pass.
    const epochEnds = fs
      .readFileSync(path.join(run.runDir, 'log.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"t":"epochEnd"'))
      .map((line) => JSON.parse(line));
    const validation = run.batches.filter((b) => b.phase === 'validate');
    expect(epochEnds.map((e) => e.validation)).toEqual(validation.map((b) => ({ meanLoss: b.loss, batches: 1 })));
    expect(epochEnds.map((e) => e.batches)).toEqual([3, 3]);
    // In shared mode with a continuous series, validation continues training's data; epoch 2 does not continue validation's.
    expect(run.batches.map((b) => b.dataContinues)).toEqual([
      null,
      true,
      true,
      true,
      false,
      true,
      true,
      true,
      false,
      true,
      true,
    ]);
  });
});

describe('validation and prediction of a stateless LSTM', () => {
  it.each(['shared', 'isolated', 'reset'] as const)(
    'every batch of every phase starts from zeros (%s)',
    async (validationState) => {
      const { run } = await trainInTemp(phasesConfig({ stateful: false, validationState }));
      expect(run.batches.map((b) => b.phase)).toEqual(PHASES);
      expect(run.batches.every((b) => b.cause === 'auto' && b.carriedFrom === null)).toBe(true);
      expectCauseClaims(run);
      expectRecomputed(run);
      // Zero starts: true where the continuous series went on and the state was dropped.
      expectDataContinuesFromData(run);
      expect(run.batches.filter((b) => b.dataContinues === true).length).toBeGreaterThan(0);
    },
  );

  it('validates its own generated data, appended after the training samples, with a last partial batch', async () => {
    const { run } = await trainInTemp({
      ...smallConfig({ training: { epochs: 1 } }),
      validation: { data: { generator: 'noise', samples: 15, timesteps: 7, features: 1, seed: 9 } },
    });
    expect(run.manifest.data.samples).toBe(55);
    expect(run.manifest.validation).toMatchObject({ first: 40, samples: 15, batchesPerEpoch: 2 });
    const validation = run.batches.filter((b) => b.phase === 'validate');
    expect(validation.map((b) => b.rows!.length)).toEqual([10, 5]);
    expect(validation[0].rows![0]).toBe(40);
    expectRecomputed(run);
  });
});

describe('commands during validation', () => {
  it('a stop at the boundary before validation ends the run there: no validation, no epochEnd for that epoch, no prediction', async () => {
    const { run } = await trainInTemp(phasesConfig(), (event) =>
      event.type === 'batch' && event.record.step === 6 ? { type: 'stop' } : undefined,
    );
    expect(run.status).toBe('stopped');
    expect(run.batches.map((b) => b.phase)).toEqual(PHASES.slice(0, 7));
    expect(run.epochs.map((e) => e.epoch)).toEqual([0]);
  });

  it('a stop during validation lands at its next batch boundary', async () => {
    const { run } = await trainInTemp(
      { ...phasesConfig({ validationState: 'isolated' }), validation: { split: 0.5 } },
      (event) =>
        event.type === 'batch' && event.record.phase === 'validate' && event.record.batch === 0
          ? { type: 'stop' }
          : undefined,
    );
    expect(run.status).toBe('stopped');
    // 20 training samples (2 batches), then validation's first of 2 batches, and no more.
    expect(run.batches.map((b) => b.phase)).toEqual(['train', 'train', 'validate']);
    expect(run.epochs).toEqual([]);
  });
});

describe('where validation reads its samples', () => {
  const bytes = (file: string) => fs.readFileSync(file);
  const floats = (file: string) => {
    const b = bytes(file);
    return Float32Array.from({ length: b.length / 4 }, (_, i) => b.readFloatLE(i * 4));
  };

  it('validation.split with shuffle: validation is still the last fraction, in order (Keras splits before shuffling)', async () => {
    const config = smallConfig({ training: { shuffle: true, epochs: 3 } });
    const { run } = await trainInTemp({ ...config, validation: { split: 0.25 } });
    const train = run.batches.filter((b) => b.phase === 'train');
    const validation = run.batches.filter((b) => b.phase === 'validate');
    const last = Array.from({ length: 10 }, (_, i) => 30 + i);
    expect(validation.map((b) => b.rows)).toEqual([last, last, last]);
    for (let epoch = 0; epoch < 3; epoch++) {
      const rows = train.filter((b) => b.epoch === epoch).flatMap((b) => b.rows!);
      // Each epoch trains on a permutation of samples 0–29: shuffled, never a held-out one.
      expect([...rows].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(rows).not.toEqual([...rows].sort((a, b) => a - b));
    }
    // The saved samples are in the generator's order (nothing was shuffled before the split).
    const generated = generateDataset(config.data as GeneratorData, 10);
    expect(bytes(path.join(run.runDir, 'data/x.bin')).equals(Buffer.from(generated.x.buffer))).toBe(true);
  });

  it("own validation data from a CSV: the run finishes, validating on the CSV's windows after the training samples", async () => {
    // 30 distinct values; windows of 7 with stride 1 → 23 validation samples (batches of 10, 10, 3).
    const values = Array.from({ length: 30 }, (_, i) => (i + 1) / 10);
    const { run } = await trainInTemp(
      {
        ...smallConfig({ training: { epochs: 2 } }),
        validation: { data: { csv: 'val.csv', columns: ['v'], target: 'v', window: 7 } },
      },
      undefined,
      'csvval.lstm.json',
      (dir) => fs.writeFileSync(path.join(dir, 'val.csv'), `v\n${values.join('\n')}\n`),
    );
    expect(run.status).toBe('finished');
    expect(run.manifest.validation).toMatchObject({ first: 40, samples: 23, batchesPerEpoch: 3 });
    const validation = run.batches.filter((b) => b.phase === 'validate');
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    const pass = [range(40, 50), range(50, 60), range(60, 63)];
    expect(validation.map((b) => b.rows)).toEqual([...pass, ...pass]);
    // Sample 40 + j is the window of CSV rows j … j + 6; its target is row j + 7.
    const x = floats(path.join(run.runDir, 'data/x.bin'));
    const y = floats(path.join(run.runDir, 'data/y.bin'));
    for (let j = 0; j < 23; j++) {
      expect(Array.from(x.subarray((40 + j) * 7, (41 + j) * 7)), `window ${j}`).toEqual(
        values.slice(j, j + 7).map(Math.fround),
      );
      expect(y[40 + j], `target ${j}`).toBe(Math.fround(values[j + 7]));
    }
    // Every validation loss is the model's on those windows (learning rate 0: recomputed exactly).
    expectRecomputed(run);
    expect(run.epochs.map((e) => e.validation?.batches)).toEqual([3, 3]);
  });
});
