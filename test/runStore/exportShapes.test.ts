/**
 * Export never pads to the batch size: arrays of batches are as wide as the most rows any batch
 * really has. Checked on real runs, reading the .npy files and states.bin without the project's
 * readers.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { exportRunToNpy } from '../../src/runStore/exportNpy';
import { readNpyFile } from '../helpers/exportFiles';
import { logRecords, statesOfBatch } from '../helpers/rawRun';
import { smallConfig, trainInTemp } from '../helpers/trainInTemp';

const UNITS = 5;

/** Exports the run and returns a reader of its .npy files. */
function exportOf(runDir: string) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-shapes-'));
  exportRunToNpy(runDir, out);
  return (name: string) => readNpyFile(path.join(out, name));
}

/** Every state array of the export holds, for each batch, its real rows (from states.bin) then NaN up to `width`. */
function expectStatesAsSaved(runDir: string, load: ReturnType<typeof exportOf>, width: number): void {
  const batches = logRecords(runDir, 'batch');
  for (const key of ['h0', 'c0', 'h', 'c'] as const) {
    const { shape, values } = load(`${key}.npy`);
    expect(shape, key).toEqual([batches.length, width, UNITS]);
    batches.forEach((batch, b) => {
      const saved = statesOfBatch(runDir, batch, [UNITS])[0][key];
      const exported = values.subarray(b * width * UNITS, (b + 1) * width * UNITS);
      expect(Array.from(exported.subarray(0, saved.length)), `${key} step ${b}`).toEqual(Array.from(saved));
      expect(Array.from(exported.subarray(saved.length)).every(Number.isNaN), `${key} step ${b} padding`).toBe(true);
    });
  }
}

describe('export never pads to the batch size', () => {
  it('a batch size of 1000 over 40 samples: every array is 40 rows wide, the rows of each batch', async () => {
    const { run } = await trainInTemp(smallConfig({ training: { batchSize: 1000 } }));
    expect(run.manifest.batchSize).toBe(1000);
    const batches = logRecords(run.runDir, 'batch');
    expect(batches.map((b) => b.rowCount)).toEqual([40, 40]);
    const load = exportOf(run.runDir);
    expect(load('rows.npy')).toEqual({
      shape: [2, 40],
      values: Int32Array.from(batches.flatMap((b) => b.rows as number[])),
    });
    expect(load('norms.npy').shape).toEqual([2, 1, 4, 40]);
    expectStatesAsSaved(run.runDir, load, 40);
  });

  it('a last batch smaller than the rest: its missing rows are NaN (states) and -1 (samples), nothing beyond the largest batch', async () => {
    const { run } = await trainInTemp(smallConfig({ data: { samples: 25 }, training: { epochs: 1 } }));
    const batches = logRecords(run.runDir, 'batch');
    expect(batches.map((b) => b.rowCount)).toEqual([10, 10, 5]);
    const load = exportOf(run.runDir);
    const rows = load('rows.npy');
    expect(rows.shape).toEqual([3, 10]);
    expect(Array.from(rows.values.subarray(20))).toEqual([20, 21, 22, 23, 24, -1, -1, -1, -1, -1]);
    const norms = load('norms.npy');
    expect(norms.shape).toEqual([3, 1, 4, 10]);
    // The last batch's norms: 5 real rows per state, then NaN.
    for (let s = 0; s < 4; s++) {
      const block = Array.from(norms.values.subarray((2 * 4 + s) * 10, (2 * 4 + s + 1) * 10));
      expect(block.slice(0, 5).every(Number.isFinite) && block.slice(5).every(Number.isNaN), `state ${s}`).toBe(true);
    }
    expectStatesAsSaved(run.runDir, load, 10);
  });
});
