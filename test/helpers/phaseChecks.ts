/**
 * Checks of a saved run's claims from its files alone, with the float64 reference LSTM:
 * every batch's cause against its initial states (zeros, or bitwise the final state of
 * `carriedFrom`), every batch's final states and loss recomputed from the saved weights along
 * the claimed chain, and `dataContinues` against the data itself.
 */
import { expect } from 'vitest';
import { readBatchStates, readDataset, readWeights, type StateBlocks } from '../../src/runStore/batchData';
import type { RunData } from '../../src/runStore/readRun';
import type { BatchRecord } from '../../src/shared/runFormat';
import { dense, maxAbsDiff, runSequence, type LstmWeights } from './referenceLstm';
import { layerWeights, sequenceOf } from './savedRun';

const ZERO_CAUSES = ['auto', 'first', 'epoch', 'schedule', 'manual', 'phase'];

const same = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** Every batch's cause holds in its saved numbers: zeros, or bitwise row i of carriedFrom's final state, every layer. */
export function expectCauseClaims(run: RunData): void {
  const states = run.batches.map((batch) => readBatchStates(run, batch)!);
  run.batches.forEach((batch, k) => {
    const where = `step ${k} (${batch.phase}, ${batch.cause})`;
    for (const layer of states[k]) {
      if (ZERO_CAUSES.includes(batch.cause)) {
        expect(batch.carriedFrom, where).toBeNull();
        expect(layer.h0.every((v) => v === 0) && layer.c0.every((v) => v === 0), where).toBe(true);
      }
    }
    if (batch.cause === 'carried' || batch.cause === 'restored') {
      expect(batch.carriedFrom, where).not.toBeNull();
      const source = states[batch.carriedFrom!];
      states[k].forEach((layer, l) => {
        expect(same(layer.h0, source[l].h), `${where}: h0 of layer ${l} = h of step ${batch.carriedFrom}`).toBe(true);
        expect(same(layer.c0, source[l].c), `${where}: c0 of layer ${l} = c of step ${batch.carriedFrom}`).toBe(true);
      });
    }
  });
}

/**
 * Recomputes every batch of the run (learning rate 0: the initial weights throughout) in float64
 * from the samples its rows name, starting each from zeros or from the reference's own final
 * state of carriedFrom, and compares the saved final states and loss.
 */
export function expectRecomputed(run: RunData, tolerance = 2e-5): void {
  const data = readDataset(run)!;
  const layers = run.manifest.model.layers.map((_, l) => layerWeights(run, 'initial', l));
  const head = readWeights(run, 'initial');
  const finals: Array<Array<{ h: number[][]; c: number[][] }>> = [];
  for (const batch of run.batches) {
    const start = batch.carriedFrom === null ? null : finals[batch.carriedFrom];
    const saved = readBatchStates(run, batch)!;
    const batchFinals = layers.map(() => ({ h: [] as number[][], c: [] as number[][] }));
    let squared = 0;
    batch.rows!.forEach((sample, row) => {
      let input = sequenceOf(run, data.x, sample);
      layers.forEach((weights, l) => {
        const zeros = Array(weights.units).fill(0);
        const h0 = start ? start[l].h[row] : zeros;
        const c0 = start ? start[l].c[row] : zeros;
        const out = runSequence(weights, input, h0, c0, gateOf(run));
        batchFinals[l].h[row] = out.h;
        batchFinals[l].c[row] = out.c;
        input = out.hs;
      });
      const last = batchFinals[layers.length - 1].h[row];
      const [prediction] = dense(last, head.get('head.kernel')!.values, head.get('head.bias')!.values);
      squared += (prediction - data.y[sample]) ** 2;
    });
    finals.push(batchFinals);
    const where = `step ${batch.step} (${batch.phase}, ${batch.cause})`;
    compareRows(saved, batchFinals, layers, tolerance, where);
    const mse = squared / batch.rows!.length;
    expect(Math.abs(batch.loss! - mse), `${where}: loss`).toBeLessThanOrEqual(tolerance * Math.max(1, mse));
  }
}

function compareRows(
  saved: StateBlocks[],
  expected: Array<{ h: number[][]; c: number[][] }>,
  layers: LstmWeights[],
  tolerance: number,
  where: string,
): void {
  layers.forEach((weights, l) => {
    const u = weights.units;
    expected[l].h.forEach((h, row) => {
      expect(maxAbsDiff(saved[l].h.subarray(row * u, (row + 1) * u), h), `${where}: h row ${row}`).toBeLessThanOrEqual(
        tolerance,
      );
      expect(
        maxAbsDiff(saved[l].c.subarray(row * u, (row + 1) * u), expected[l].c[row]),
        `${where}: c row ${row}`,
      ).toBeLessThanOrEqual(tolerance);
    });
  });
}

function gateOf(run: RunData): (z: number) => number {
  return run.manifest.model.recurrentActivation === 'hardSigmoid'
    ? (z) => Math.min(1, Math.max(0, 0.2 * z + 0.5))
    : (z) => 1 / (1 + Math.exp(-z));
}

/**
 * Whether row i's data continues, read from the data alone: a sample's target is the value that
 * follows its window (generators, and CSV configs whose target is the input column), so sample b
 * continues sample a exactly when b's first value is a's target. Needs distinct values (noisy
 * series, or a CSV of distinct numbers).
 */
export function dataContinuesFromData(run: RunData, batch: BatchRecord, sourceRows: number[]): boolean {
  const data = readDataset(run)!;
  const { timesteps, features } = run.manifest.data;
  if (timesteps === null || features === null) throw new Error('a trainer run always knows its data shape');
  return batch.rows!.every(
    (sample, i) => i < sourceRows.length && data.x[sample * timesteps * features] === data.y[sourceRows[i]],
  );
}

/** Every batch's recorded dataContinues agrees with the data (the previous batch of the phase for a zero start; null for a phase's first). */
export function expectDataContinuesFromData(run: RunData): void {
  const last = new Map<string, BatchRecord>();
  for (const batch of run.batches) {
    const where = `step ${batch.step} (${batch.phase}, ${batch.cause})`;
    const source = batch.carriedFrom !== null ? run.batches[batch.carriedFrom] : last.get(batch.phase);
    if (!source || batch.cause === 'first') expect(batch.dataContinues, where).toBeNull();
    else expect(batch.dataContinues, where).toBe(dataContinuesFromData(run, batch, source.rows!));
    last.set(batch.phase, batch);
  }
}
