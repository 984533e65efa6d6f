/**
 * Exports a run folder as NumPy files any Python user can load (layout in README.md, "Export").
 * Arrays of batches are rectangular over the most rows any batch really has (never padded to a
 * batch size no batch reached): a smaller batch's missing rows are NaN (states) and -1 (sample
 * indices). A non-finite loss stays NaN or ±Infinity. A batch whose data cannot be read is left
 * NaN and named in a warning; the rest of the run is exported.
 */
import * as fs from 'fs';
import * as path from 'path';
import { showNumber } from '../shared/showNumber';
import type { ExportSummary } from '../shared/channels/jobChannel';
import type { BatchRecord, RunManifest } from '../shared/runFormat';
import { readBatchNorms, readBatchStates, readDataset, readWeights, type StateBlocks } from './batchData';
import { writeNpy } from './npy';
import { readRun, type RunData } from './readRun';
import { RunFolderError, messageOf } from './runFolderError';

type Write = (name: string, values: Float32Array | Int32Array, shape: number[]) => void;

/** Writes the run's NumPy files into `outDir`; a damaged part is NaN there and named in `warnings`. */
export function exportRunToNpy(runDir: string, outDir: string): ExportSummary {
  const run = readRun(runDir);
  fs.mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  const warnings = run.problems.map((problem) => `${path.join(runDir, 'log.jsonl')}: ${problem.message}`);
  const write: Write = (name, values, shape) => {
    fs.mkdirSync(path.dirname(path.join(outDir, name)), { recursive: true });
    writeNpy(path.join(outDir, name), values, shape);
    files.push(name);
  };
  const text = (name: string, content: string) => {
    fs.writeFileSync(path.join(outDir, name), content);
    files.push(name);
  };
  /** Runs `read`, turning a damaged part into a warning (the rest still exports). */
  const tryRead = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof RunFolderError)) throw error;
      warnings.push(messageOf(error));
      return undefined;
    }
  };
  const { manifest, batches } = run;
  const rows = Math.max(0, ...batches.map((batch) => batch.rowCount));
  const dataset = tryRead(() => readDataset(run));
  const { samples, timesteps, features, targets } = manifest.data;
  if (dataset && samples !== null && timesteps !== null && features !== null && targets !== null) {
    write('x.npy', dataset.x, [samples, timesteps, features]);
    write('y.npy', dataset.y, [samples, targets]);
  }
  const sampleIndices = new Int32Array(batches.length * rows).fill(-1);
  batches.forEach((batch, b) => batch.rows && sampleIndices.set(batch.rows, b * rows));
  write('rows.npy', sampleIndices, [batches.length, rows]);
  write(
    'loss.npy',
    Float32Array.from(batches, (b) => b.loss ?? Number.NaN),
    [batches.length],
  );
  // Writers capture a prefix of the batches; an unreadable record inside it does not end the prefix (it is left NaN).
  const captured = batches.findIndex((batch) => batch.statesOffset === null && batch.cause !== 'unreadable');
  const capturedBatches = captured === -1 ? batches.length : captured;
  exportStates(run, capturedBatches, rows, write, tryRead);
  exportNorms(run, rows, write, tryRead);
  text('causes.json', JSON.stringify(causesOf(run, capturedBatches), null, 1));
  for (const point of run.weights.map((w) => w.point)) {
    const weights = tryRead(() => readWeights(run, point));
    for (const [name, tensor] of weights ?? [])
      write(`weights/${point}/${weightPath(name)}.npy`, tensor.values, tensor.shape);
  }
  text('batches.csv', batchTableCsv(run));
  if (warnings.length) text('warnings.txt', `${warnings.join('\n')}\n`);
  return { outDir, batches: batches.length, capturedBatches, files, warnings };
}

/**
 * Where a weight tensor goes: the trainer's `layer<i>.<name>` in Keras layout at the top level for
 * layer 0 and in `layer<i>/` for deeper layers, `head.<name>` in `head/`; any other name (a
 * PyTorch parameter) as it is, dots becoming folders.
 */
function weightPath(name: string): string {
  const layer = /^layer(\d+)\.(\w+)$/.exec(name);
  if (layer) return `${layerFolder(Number(layer[1]))}${layer[2]}`;
  return name.replace(/\./g, '/');
}

/** Layer 0 lives at the top level (h0.npy, weights/<point>/kernel.npy); deeper layers in layer<i>/. */
function layerFolder(layer: number): string {
  return layer === 0 ? '' : `layer${layer}/`;
}

const STATE_KEYS = ['h0', 'c0', 'h', 'c'] as const;

/** The state arrays a layer has: h0, c0, h, c for an LSTM; h0, h for a GRU or RNN. */
function stateKeys(manifest: RunManifest): ReadonlyArray<(typeof STATE_KEYS)[number]> {
  return manifest.model.states.includes('c') ? STATE_KEYS : ['h0', 'h'];
}

function exportStates(
  run: RunData,
  count: number,
  rows: number,
  write: Write,
  tryRead: <T>(read: () => T) => T | undefined,
): void {
  const keys = stateKeys(run.manifest);
  const layers = run.manifest.model.layers.map((layer) => {
    const width = { h0: layer.units, h: layer.units, c0: layer.cellUnits, c: layer.cellUnits };
    const arrays = Object.fromEntries(
      keys.map((key) => [key, new Float32Array(count * rows * width[key]).fill(Number.NaN)]),
    );
    return { width, arrays: arrays as Record<(typeof keys)[number], Float32Array> };
  });
  // Each batch's states are read once, for all layers.
  for (let b = 0; b < count; b++) {
    const states = tryRead(() => readBatchStates(run, run.batches[b]));
    if (!states) continue;
    layers.forEach(({ width, arrays }, layer) => {
      for (const key of keys) arrays[key].set(states[layer][key], b * rows * width[key]);
    });
  }
  layers.forEach(({ width, arrays }, layer) => {
    for (const key of keys) write(`${layerFolder(layer)}${key}.npy`, arrays[key], [count, rows, width[key]]);
  });
}

/** norms.npy: [batches, layers, states (h0, c0, h, c; GRU: h0, h), rows] per-row L2 norms, kept for every batch. */
function exportNorms(run: RunData, rows: number, write: Write, tryRead: <T>(read: () => T) => T | undefined): void {
  const keys = stateKeys(run.manifest);
  const layers = run.manifest.model.layers.length;
  const norms = new Float32Array(run.batches.length * layers * keys.length * rows).fill(Number.NaN);
  run.batches.forEach((batch, b) => {
    const blocks: StateBlocks[] | undefined = tryRead(() => readBatchNorms(run, batch));
    blocks?.forEach((layerNorms, l) => {
      keys.forEach((key, k) => norms.set(layerNorms[key], ((b * layers + l) * keys.length + k) * rows));
    });
  });
  write('norms.npy', norms, [run.batches.length, layers, keys.length, rows]);
}

/** causes.json: per batch why its initial state is what it is, the resets, and what was captured. */
function causesOf(run: RunData, capturedBatches: number) {
  return {
    capturedBatches,
    batches: run.batches.map((b) => ({
      step: b.step,
      epoch: b.epoch,
      batch: b.batch,
      phase: b.phase,
      cause: b.cause,
      carriedFrom: b.carriedFrom,
      ...(b.rowSources ? { rowSources: b.rowSources } : {}),
      flags: b.flags,
      dataContinues: b.dataContinues,
      // JSON has no NaN: a non-finite loss is a string, an unknown one null.
      loss: b.loss === null ? null : Number.isFinite(b.loss) ? b.loss : showNumber(b.loss, String),
    })),
    resets: run.resets.map(({ cause, beforeStep }) => ({ cause, beforeStep })),
  };
}

function batchTableCsv(run: RunData): string {
  const layers = run.manifest.model.layers.map((_, i) => i);
  const header = [
    'step',
    'epoch',
    'batch',
    'phase',
    'cause',
    'carried_from',
    'flags',
    'data_continues',
    'loss',
    'rows',
    'first_sample',
    'captured',
    ...layers.flatMap((i) => [`l${i}_h0_norm`, `l${i}_c0_norm`, `l${i}_h_norm`, `l${i}_c_norm`]),
  ];
  // Non-finite values as NaN / Infinity / -Infinity (what numpy and pandas read back); unknown ones empty.
  const number = (value: number | null) => (value === null ? '' : showNumber(value, String));
  const line = (b: BatchRecord) =>
    [
      b.step,
      b.epoch,
      b.batch,
      b.phase,
      b.cause,
      b.carriedFrom ?? '',
      b.flags.join(' '),
      b.dataContinues ?? '',
      number(b.loss),
      b.rowCount,
      b.rows?.[0] ?? '',
      b.statesOffset !== null,
      ...b.meanNorms.flatMap((m) => [m.h0, m.c0, m.h, m.c].map(number)),
    ].join(',');
  return [header.join(','), ...run.batches.map(line)].join('\n') + '\n';
}
