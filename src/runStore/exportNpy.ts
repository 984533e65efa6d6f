/**
 * Exports a run folder as NumPy files any Python user can load (layout in README.md, "Export").
 * Arrays of batches are rectangular: rows of a smaller last batch are padded with NaN (states)
 * and -1 (sample indices).
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeNpy } from './npy';
import { readBatchNorms, readBatchStates, readDataset, readWeights } from './batchData';
import { readRun, type RunData } from './readRun';

export interface ExportSummary {
  outDir: string;
  batches: number;
  /** Batches whose full tensors were within the capture budget (a prefix of the run). */
  capturedBatches: number;
  files: string[];
}

/** Keras names of an LSTM layer's weights, in the order the run stores them. */
const LSTM_WEIGHTS = ['kernel', 'recurrent_kernel', 'bias'] as const;

export function exportRunToNpy(runDir: string, outDir: string): ExportSummary {
  const run = readRun(runDir);
  fs.mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, values: Float32Array | Int32Array, shape: number[]) => {
    fs.mkdirSync(path.dirname(path.join(outDir, name)), { recursive: true });
    writeNpy(path.join(outDir, name), values, shape);
    files.push(name);
  };
  const text = (name: string, content: string) => {
    fs.writeFileSync(path.join(outDir, name), content);
    files.push(name);
  };
  const { manifest, batches } = run;
  const rows = manifest.batchSize;
  const dataset = readDataset(run);
  if (dataset) {
    write('x.npy', dataset.x, [manifest.data.samples, manifest.data.timesteps, manifest.data.features]);
    write('y.npy', dataset.y, [manifest.data.samples, manifest.data.targets]);
  }
  const sampleIndices = new Int32Array(batches.length * rows).fill(-1);
  batches.forEach((batch, b) => sampleIndices.set(batch.rows, b * rows));
  write('rows.npy', sampleIndices, [batches.length, rows]);
  write('loss.npy', Float32Array.from(batches.map((b) => b.loss)), [batches.length]);
  const captured = batches.findIndex((batch) => batch.statesOffset === null);
  const capturedBatches = captured === -1 ? batches.length : captured;
  exportStates(run, capturedBatches, write);
  exportNorms(run, write);
  text(
    'causes.json',
    JSON.stringify(
      {
        capturedBatches,
        batches: batches.map(({ step, epoch, batch, cause, carriedFrom }) => ({
          step,
          epoch,
          batch,
          cause,
          carriedFrom,
        })),
        resets: run.resets.map(({ cause, beforeStep }) => ({ cause, beforeStep })),
      },
      null,
      1,
    ),
  );
  for (const point of run.weights.map((w) => w.point)) {
    const weights = readWeights(run, point);
    manifest.model.layers.forEach((_, i) => {
      for (const name of LSTM_WEIGHTS) {
        const tensor = weights.get(`layer${i}.${name}`)!;
        write(`weights/${point}/${layerFolder(i)}${name}.npy`, tensor.values, tensor.shape);
      }
    });
    for (const name of ['kernel', 'bias']) {
      const tensor = weights.get(`head.${name}`)!;
      write(`weights/${point}/head/${name}.npy`, tensor.values, tensor.shape);
    }
  }
  text('batches.csv', batchTableCsv(run));
  return { outDir, batches: batches.length, capturedBatches, files };
}

/** Layer 0 lives at the top level (h0.npy, weights/<point>/kernel.npy); deeper layers in layer<i>/. */
function layerFolder(layer: number): string {
  return layer === 0 ? '' : `layer${layer}/`;
}

function exportStates(
  run: RunData,
  count: number,
  write: (name: string, values: Float32Array, shape: number[]) => void,
): void {
  const rows = run.manifest.batchSize;
  const keys = ['h0', 'c0', 'h', 'c'] as const;
  const layers = run.manifest.model.layers.map(({ units }) => ({
    units,
    arrays: Object.fromEntries(keys.map((key) => [key, new Float32Array(count * rows * units).fill(NaN)])) as Record<
      (typeof keys)[number],
      Float32Array
    >,
  }));
  // Each batch's states are read once, for all layers.
  for (let b = 0; b < count; b++) {
    const states = readBatchStates(run, run.batches[b])!;
    layers.forEach(({ units, arrays }, layer) => {
      for (const key of keys) arrays[key].set(states[layer][key], b * rows * units);
    });
  }
  layers.forEach(({ units, arrays }, layer) => {
    for (const key of keys) write(`${layerFolder(layer)}${key}.npy`, arrays[key], [count, rows, units]);
  });
}

/** norms.npy: [batches, layers, 4 (h0, c0, h, c), rows] per-row L2 norms, kept for every batch. */
function exportNorms(run: RunData, write: (name: string, values: Float32Array, shape: number[]) => void): void {
  const rows = run.manifest.batchSize;
  const layers = run.manifest.model.layers.length;
  const norms = new Float32Array(run.batches.length * layers * 4 * rows).fill(NaN);
  run.batches.forEach((batch, b) => {
    readBatchNorms(run, batch).forEach((layerNorms, l) => {
      (['h0', 'c0', 'h', 'c'] as const).forEach((key, k) =>
        norms.set(layerNorms[key], ((b * layers + l) * 4 + k) * rows),
      );
    });
  });
  write('norms.npy', norms, [run.batches.length, layers, 4, rows]);
}

function batchTableCsv(run: RunData): string {
  const layers = run.manifest.model.layers.map((_, i) => i);
  const header = [
    'step',
    'epoch',
    'batch',
    'cause',
    'carried_from',
    'loss',
    'rows',
    'first_sample',
    'captured',
    ...layers.flatMap((i) => [`l${i}_h0_norm`, `l${i}_c0_norm`, `l${i}_h_norm`, `l${i}_c_norm`]),
  ];
  const lines = run.batches.map((b) =>
    [
      b.step,
      b.epoch,
      b.batch,
      b.cause,
      b.carriedFrom ?? '',
      b.loss,
      b.rows.length,
      b.rows[0],
      b.statesOffset !== null,
      ...b.meanNorms.flatMap((m) => [m.h0, m.c0, m.h, m.c]),
    ].join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}
