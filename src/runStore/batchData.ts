/**
 * The binary parts of a run (norms, states, hidden sequences, weights, dataset), read at the
 * offsets its log gives. A block that is not all there is an error naming the file and the step:
 * a damaged file never reads as other data.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RUN_FILES, hiddenRowsIn, type BatchRecord, type RunManifest, type WeightsRecord } from '../shared/runFormat';
import { RunFolderError, messageOf } from './runFolderError';

/** Per layer, the four state blocks of one batch as [rows * units] (or [rows] for norms); c0 and c are empty for a GRU or RNN. */
export interface StateBlocks {
  h0: Float32Array;
  c0: Float32Array;
  h: Float32Array;
  c: Float32Array;
}

type Run = { runDir: string; manifest: RunManifest };

/** Reads `count` float32 values at `byteOffset` of a run file; `step` names the batch in errors. */
export function readFloats(
  runDir: string,
  file: string,
  byteOffset: number,
  count: number,
  step?: number,
): Float32Array {
  const where = step === undefined ? undefined : { step };
  const full = path.join(runDir, file);
  if (!Number.isInteger(byteOffset) || byteOffset < 0 || byteOffset % 4 !== 0) {
    throw new RunFolderError(
      full,
      `offset ${byteOffset} is not a byte offset ≥ 0 and a multiple of 4; the log is damaged`,
      where,
    );
  }
  const buffer = Buffer.alloc(count * 4);
  let fd: number;
  try {
    fd = fs.openSync(full, 'r');
  } catch (error) {
    throw new RunFolderError(full, `cannot be read: ${messageOf(error)}`, where);
  }
  try {
    const read = fs.readSync(fd, buffer, 0, buffer.length, byteOffset);
    if (read !== buffer.length) {
      throw new RunFolderError(
        full,
        `is shorter than its log says: ${buffer.length} bytes at offset ${byteOffset} were expected, ${read} are there (the file was cut short)`,
        where,
      );
    }
  } catch (error) {
    if (error instanceof RunFolderError) throw error;
    throw new RunFolderError(full, `cannot be read: ${messageOf(error)}`, where);
  } finally {
    fs.closeSync(fd);
  }
  return new Float32Array(buffer.buffer, buffer.byteOffset, count);
}

function splitBlocks(values: Float32Array, sizes: Array<[h: number, c: number]>): StateBlocks[] {
  const layers: StateBlocks[] = [];
  let at = 0;
  for (const [h, c] of sizes) {
    const take = (n: number) => values.subarray(at, (at += n));
    layers.push({ h0: take(h), c0: take(c), h: take(h), c: take(c) });
  }
  return layers;
}

/** Whether the layers hold a cell state c (an LSTM) besides h. */
const hasCell = (run: Run) => run.manifest.model.states.includes('c');

/** A batch whose log line could not be read has no data to read: say so, naming the step. */
function refuseUnreadable(run: Run, batch: BatchRecord): void {
  if (batch.unreadable)
    throw new RunFolderError(path.join(run.runDir, RUN_FILES.log), batch.unreadable, { step: batch.step });
}

/** Per-row L2 norms of h0, c0, h, c per layer (kept for every batch). */
export function readBatchNorms(run: Run, batch: BatchRecord): StateBlocks[] {
  refuseUnreadable(run, batch);
  const rows = batch.rowCount;
  const layers = run.manifest.model.layers.length;
  const sizes = Array.from({ length: layers }, (): [number, number] => [rows, hasCell(run) ? rows : 0]);
  const total = sizes.reduce((sum, [h, c]) => sum + 2 * (h + c), 0);
  return splitBlocks(readFloats(run.runDir, RUN_FILES.norms, batch.normsOffset, total, batch.step), sizes);
}

/** Full initial and final h, c per layer ([rows * units], row-major), or null past the budget. */
export function readBatchStates(run: Run, batch: BatchRecord): StateBlocks[] | null {
  refuseUnreadable(run, batch);
  if (batch.statesOffset === null) return null;
  const rows = batch.rowCount;
  const sizes = run.manifest.model.layers.map((layer): [number, number] => [
    rows * layer.units,
    hasCell(run) ? rows * layer.cellUnits : 0,
  ]);
  const total = sizes.reduce((sum, [h, c]) => sum + 2 * (h + c), 0);
  return splitBlocks(readFloats(run.runDir, RUN_FILES.states, batch.statesOffset, total, batch.step), sizes);
}

/** Per kept layer, the hidden sequence [hiddenRows][timesteps][units] of the captured rows, or null. */
export function readBatchHidden(run: Run, batch: BatchRecord): Float32Array[] | null {
  if (batch.hiddenOffset === null) return null;
  const { hiddenRows, hiddenLayers, model } = run.manifest;
  const rows = hiddenRowsIn(hiddenRows, batch.rowCount).length;
  const timesteps = timestepsOf(run, batch);
  const sizes = hiddenLayers.map((layer) => rows * timesteps * model.layers[layer].units);
  const values = readFloats(
    run.runDir,
    RUN_FILES.hidden,
    batch.hiddenOffset,
    sizes.reduce((a, b) => a + b, 0),
    batch.step,
  );
  let at = 0;
  return sizes.map((size) => values.subarray(at, (at += size)));
}

/** The weights saved at `point` ("initial", "epoch-1", ...), by tensor name. */
export function readWeights(
  run: { runDir: string; weights: WeightsRecord[] },
  point: string,
): Map<string, { shape: number[]; values: Float32Array }> {
  const record = run.weights.find((w) => w.point === point);
  if (!record)
    throw new RunFolderError(
      run.runDir,
      `no weights saved at "${point}"; saved points: ${run.weights.map((w) => w.point).join(', ') || 'none'}`,
    );
  const sizes = record.tensors.map((t) => t.shape.reduce((a, b) => a * b, 1));
  const values = readFloats(
    run.runDir,
    record.file,
    0,
    sizes.reduce((a, b) => a + b, 0),
  );
  const result = new Map<string, { shape: number[]; values: Float32Array }>();
  let at = 0;
  record.tensors.forEach((tensor, i) =>
    result.set(tensor.name, { shape: tensor.shape, values: values.subarray(at, (at += sizes[i])) }),
  );
  return result;
}

/** The dataset as trained: x [samples, timesteps, features], y [samples, targets]; null if not saved. */
export function readDataset(run: Run): { x: Float32Array; y: Float32Array } | null {
  const { data } = run.manifest;
  if (!data.saved) return null;
  const { samples, timesteps, features, targets } = data;
  if (samples === null || timesteps === null || features === null || targets === null) {
    throw new RunFolderError(
      path.join(run.runDir, RUN_FILES.manifest),
      'says the dataset was saved but not its shape (data.samples, timesteps, features, targets); the run folder is damaged',
    );
  }
  return {
    x: readFloats(run.runDir, RUN_FILES.x, 0, samples * timesteps * features),
    y: readFloats(run.runDir, RUN_FILES.y, 0, samples * targets),
  };
}

/** The sequence length of a batch: its own, else the run's. */
export function timestepsOf(run: Run, batch: BatchRecord): number {
  const timesteps = batch.timesteps ?? run.manifest.data.timesteps;
  if (timesteps === null) {
    throw new RunFolderError(
      path.join(run.runDir, RUN_FILES.log),
      'gives no sequence length for this batch, and the manifest none for the run',
      { step: batch.step },
    );
  }
  return timesteps;
}
