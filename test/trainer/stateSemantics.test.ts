/**
 * The claims of state-semantics.md, checked from the saved run alone with an LSTM written
 * from the equations (test/helpers/referenceLstm.ts), not with the trainer's own code.
 */
import { describe, expect, it } from 'vitest';
import { readBatchStates, readDataset, readWeights } from '../../src/runStore/batchData';
import { dense, hardSigmoid, maxAbsDiff, runSequence } from '../helpers/referenceLstm';
import { layerWeights, sequenceOf } from '../helpers/savedRun';
import { smallConfig, trainInTemp } from '../helpers/trainInTemp';

const rowOf = (values: Float32Array, row: number, units: number) =>
  Array.from(values.subarray(row * units, (row + 1) * units));

describe('stateless LSTM', () => {
  it('starts every batch from exact zeros with cause auto, and its saved final states follow from the saved weights', async () => {
    const { run } = await trainInTemp(smallConfig());
    const data = readDataset(run)!;
    const weights = layerWeights(run, 'initial');
    expect(run.batches).toHaveLength(8);
    for (const batch of run.batches) {
      expect(batch.cause).toBe('auto');
      expect(batch.carriedFrom).toBeNull();
      const [states] = readBatchStates(run, batch)!;
      expect(states.h0.every((v) => v === 0) && states.c0.every((v) => v === 0)).toBe(true);
      batch.rows!.forEach((sample, row) => {
        const expected = runSequence(weights, sequenceOf(run, data.x, sample), Array(5).fill(0), Array(5).fill(0));
        expect(maxAbsDiff(rowOf(states.h, row, 5), expected.h)).toBeLessThanOrEqual(1e-5);
        expect(maxAbsDiff(rowOf(states.c, row, 5), expected.c)).toBeLessThanOrEqual(1e-5);
      });
    }
  });

  it('records the loss of the forward pass (mean squared error of the head on the final h)', async () => {
    const { run } = await trainInTemp(smallConfig());
    const data = readDataset(run)!;
    const w = readWeights(run, 'initial');
    for (const batch of run.batches) {
      const [states] = readBatchStates(run, batch)!;
      const errors = batch.rows!.map((sample, row) => {
        const [prediction] = dense(rowOf(states.h, row, 5), w.get('head.kernel')!.values, w.get('head.bias')!.values);
        return (prediction - data.y[sample]) ** 2;
      });
      const mse = errors.reduce((a, b) => a + b, 0) / errors.length;
      expect(Math.abs(batch.loss! - mse)).toBeLessThanOrEqual(1e-5 * Math.max(1, mse));
    }
  });

  it('checks the first batch of every epoch against the weights saved at the end of the previous one (learning rate > 0)', async () => {
    const { run } = await trainInTemp(smallConfig({ training: { learningRate: 0.05, epochs: 3, shuffle: true } }));
    const data = readDataset(run)!;
    for (const batch of run.batches.filter((b) => b.batch === 0)) {
      const weights = layerWeights(run, batch.epoch === 0 ? 'initial' : `epoch-${batch.epoch}`);
      const [states] = readBatchStates(run, batch)!;
      batch.rows!.forEach((sample, row) => {
        const expected = runSequence(weights, sequenceOf(run, data.x, sample), Array(5).fill(0), Array(5).fill(0));
        expect(maxAbsDiff(rowOf(states.h, row, 5), expected.h)).toBeLessThanOrEqual(1e-5);
      });
    }
    // Weights did change, so this is not the learning-rate-0 case in disguise.
    expect(maxAbsDiff(layerWeights(run, 'initial').kernel, layerWeights(run, 'epoch-3').kernel)).toBeGreaterThan(1e-4);
  });

  it('uses hardSigmoid gates, clip(0.2·z + 0.5, 0, 1), when the config asks for them', async () => {
    const { run } = await trainInTemp(smallConfig({ model: { recurrentActivation: 'hardSigmoid' } }));
    expect(run.manifest.model.recurrentActivation).toBe('hardSigmoid');
    const data = readDataset(run)!;
    const weights = layerWeights(run, 'initial');
    const batch = run.batches[0];
    const [states] = readBatchStates(run, batch)!;
    let sigmoidGap = 0;
    batch.rows!.forEach((sample, row) => {
      const x = sequenceOf(run, data.x, sample);
      const expected = runSequence(weights, x, Array(5).fill(0), Array(5).fill(0), hardSigmoid);
      expect(maxAbsDiff(rowOf(states.h, row, 5), expected.h)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(rowOf(states.c, row, 5), expected.c)).toBeLessThanOrEqual(1e-5);
      sigmoidGap = Math.max(
        sigmoidGap,
        maxAbsDiff(rowOf(states.h, row, 5), runSequence(weights, x, Array(5).fill(0), Array(5).fill(0)).h),
      );
    });
    // The two gate functions give visibly different states, so the check above tells them apart.
    expect(sigmoidGap).toBeGreaterThan(1e-3);
  });
});

describe('stateful LSTM', () => {
  it("starts row i of batch k+1 from exactly row i's final state of batch k, and the chain matches the reference", async () => {
    const { run } = await trainInTemp(
      smallConfig({ model: { stateful: true }, data: { layout: 'continuous' }, resets: 'never' }),
    );
    const data = readDataset(run)!;
    const weights = layerWeights(run, 'initial');
    expect(run.batches.map((b) => b.cause)).toEqual(['first', ...Array(7).fill('carried')]);
    const h = Array.from({ length: 10 }, () => Array(5).fill(0));
    const c = Array.from({ length: 10 }, () => Array(5).fill(0));
    run.batches.forEach((batch, k) => {
      const [states] = readBatchStates(run, batch)!;
      if (k > 0) {
        const [previous] = readBatchStates(run, run.batches[k - 1])!;
        expect(batch.carriedFrom).toBe(k - 1);
        expect(Array.from(states.h0)).toEqual(Array.from(previous.h));
        expect(Array.from(states.c0)).toEqual(Array.from(previous.c));
      }
      batch.rows!.forEach((sample, row) => {
        const next = runSequence(weights, sequenceOf(run, data.x, sample), h[row], c[row]);
        expect(maxAbsDiff(rowOf(states.h, row, 5), next.h)).toBeLessThanOrEqual(1e-5);
        h[row] = next.h;
        c[row] = next.c;
      });
    });
  });

  it('two stateful batches of length 7 equal one pass over the concatenated length-14 sequences', async () => {
    const { run } = await trainInTemp(
      smallConfig({
        model: { stateful: true },
        data: { layout: 'continuous', samples: 20 },
        training: { epochs: 1 },
        resets: 'never',
      }),
    );
    const data = readDataset(run)!;
    const weights = layerWeights(run, 'initial');
    const [second] = readBatchStates(run, run.batches[1])!;
    for (let row = 0; row < 10; row++) {
      const joined = [
        ...sequenceOf(run, data.x, run.batches[0].rows![row]),
        ...sequenceOf(run, data.x, run.batches[1].rows![row]),
      ];
      const once = runSequence(weights, joined, Array(5).fill(0), Array(5).fill(0));
      expect(maxAbsDiff(rowOf(second.h, row, 5), once.h)).toBeLessThanOrEqual(1e-6);
      expect(maxAbsDiff(rowOf(second.c, row, 5), once.c)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('lands a manual reset at the next batch boundary, as zeros', async () => {
    const { run, events } = await trainInTemp(
      smallConfig({ model: { stateful: true }, data: { layout: 'continuous' }, resets: 'never' }),
      (event) => (event.type === 'batch' && event.record.step === 2 ? { type: 'resetNow' } : undefined),
    );
    expect(run.batches.map((b) => b.cause)).toEqual([
      'first',
      'carried',
      'carried',
      'manual',
      'carried',
      'carried',
      'carried',
      'carried',
    ]);
    const [states] = readBatchStates(run, run.batches[3])!;
    expect(states.h0.every((v) => v === 0) && states.c0.every((v) => v === 0)).toBe(true);
    expect(run.resets).toEqual([{ t: 'reset', cause: 'manual', beforeStep: 3, epoch: 0, batch: 3 }]);
    expect(events.filter((e) => e.type === 'reset')).toHaveLength(1);
  });

  it('resets at every epoch start with resets "epoch", and every N batches with a schedule', async () => {
    const epochRun = await trainInTemp(
      smallConfig({
        model: { stateful: true },
        data: { layout: 'continuous' },
        training: { epochs: 3 },
        resets: 'epoch',
      }),
    );
    expect(epochRun.run.batches.map((b) => b.cause)).toEqual([
      'first',
      'carried',
      'carried',
      'carried',
      'epoch',
      'carried',
      'carried',
      'carried',
      'epoch',
      'carried',
      'carried',
      'carried',
    ]);
    const scheduled = await trainInTemp(
      smallConfig({
        model: { stateful: true },
        data: { layout: 'continuous' },
        training: { epochs: 3 },
        resets: { everyBatches: 3 },
      }),
    );
    expect(scheduled.run.batches.map((b) => b.cause)).toEqual([
      'first',
      'carried',
      'carried',
      'schedule',
      'carried',
      'carried',
      'schedule',
      'carried',
      'carried',
      'schedule',
      'carried',
      'carried',
    ]);
    for (const batch of scheduled.run.batches.filter((b) => b.cause === 'schedule')) {
      const [states] = readBatchStates(scheduled.run, batch)!;
      expect(states.h0.every((v) => v === 0)).toBe(true);
    }
  });

  it('changes the schedule mid-run on command, from the next batch', async () => {
    const { run } = await trainInTemp(
      smallConfig({
        model: { stateful: true },
        data: { layout: 'continuous' },
        training: { epochs: 2 },
        resets: 'never',
      }),
      (event) =>
        event.type === 'batch' && event.record.step === 1
          ? { type: 'setResetSchedule', schedule: { everyBatches: 2 } }
          : undefined,
    );
    expect(run.batches.map((b) => b.cause)).toEqual([
      'first',
      'carried',
      'schedule',
      'carried',
      'schedule',
      'carried',
      'schedule',
      'carried',
    ]);
    expect(run.schedules).toEqual([{ t: 'schedule', schedule: { everyBatches: 2 }, fromStep: 2 }]);
  });
});
