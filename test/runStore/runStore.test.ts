/** The run folder: determinism, the seed answer, torn tails and SIGKILL, budgets, stacked layers, NumPy export. */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { decodeNpy } from '../../src/runStore/npy';
import { exportRunToNpy } from '../../src/runStore/exportNpy';
import { readBatchHidden, readBatchNorms, readBatchStates, readDataset } from '../../src/runStore/batchData';
import { readRun } from '../../src/runStore/readRun';
import { RUN_FILES } from '../../src/shared/runFormat';
import type { LstmConfig } from '../../src/shared/config';
import { maxAbsDiff, runSequence } from '../helpers/referenceLstm';
import { layerWeights, sequenceOf } from '../helpers/savedRun';
import { smallConfig, tempWorkspace, trainInTemp } from '../helpers/trainInTemp';

const root = path.resolve(__dirname, '../..');

describe('run store', () => {
  it('gives the seed question its answer: batch size 200 over 1000 sequences is 5 automatic resets per epoch', async () => {
    const seed = JSON.parse(
      fs.readFileSync(path.join(root, 'examples/seed-stateless.lstm.json'), 'utf8'),
    ) as LstmConfig;
    delete seed.$schema;
    const { run } = await trainInTemp({ ...seed, training: { ...seed.training, epochs: 3 } });
    expect(run.manifest.data).toMatchObject({ samples: 1000, timesteps: 20, features: 1 });
    for (let epoch = 0; epoch < 3; epoch++) {
      const batches = run.batches.filter((b) => b.epoch === epoch);
      expect(batches.map((b) => b.cause)).toEqual(['auto', 'auto', 'auto', 'auto', 'auto']);
      expect(batches.every((b) => b.rows!.length === 200)).toBe(true);
      // Every sample is used exactly once per epoch (shuffled).
      expect(new Set(batches.flatMap((b) => b.rows!)).size).toBe(1000);
    }
  });

  it('is deterministic: same config and seed on the same backend give identical records and bytes', async () => {
    const config = smallConfig({
      model: { stateful: true },
      data: { layout: 'continuous' },
      training: { learningRate: 0.01, shuffle: true },
      resets: 'epoch',
    });
    const [a, b] = [await trainInTemp(config), await trainInTemp(config)];
    const strip = (run: typeof a.run) => run.batches.map(({ ms: _ms, ...rest }) => rest);
    expect(strip(a.run)).toEqual(strip(b.run));
    for (const file of [RUN_FILES.states, RUN_FILES.norms, 'weights/epoch-2.bin']) {
      expect(
        fs.readFileSync(path.join(a.run.runDir, file)).equals(fs.readFileSync(path.join(b.run.runDir, file))),
      ).toBe(true);
    }
  });

  it('keeps per-row norms that match the saved tensors, and full tensors only within the byte budget', async () => {
    // One batch of states is 4 blocks x 10 rows x 5 units x 4 bytes = 800 bytes: a budget of 2000 keeps 2.
    const { run } = await trainInTemp(smallConfig({ capture: { tensorBudgetBytes: 2000 } }));
    expect(run.batches.map((b) => b.statesOffset !== null)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    for (const batch of run.batches.slice(0, 2)) {
      const [states] = readBatchStates(run, batch)!;
      const [norms] = readBatchNorms(run, batch);
      for (let row = 0; row < 10; row++) {
        const h = states.h.subarray(row * 5, row * 5 + 5);
        expect(Math.abs(norms.h[row] - Math.hypot(...h))).toBeLessThanOrEqual(1e-6);
      }
    }
    expect(readBatchNorms(run, run.batches[7])[0].h.every((v) => v > 0)).toBe(true);
  });

  it('records every layer of a stacked LSTM and the hidden sequence of chosen rows', async () => {
    const { run } = await trainInTemp(smallConfig({ model: { units: [4, 3] }, capture: { hiddenRows: [1, 6] } }));
    expect(run.manifest.model.layers.map((l) => l.units)).toEqual([4, 3]);
    const data = readDataset(run)!;
    const [layer0, layer1] = [layerWeights(run, 'initial', 0), layerWeights(run, 'initial', 1)];
    const batch = run.batches[0];
    const states = readBatchStates(run, batch)!;
    const [hidden0, hidden1] = readBatchHidden(run, batch)!;
    // Per layer, row after row, each [timesteps, units].
    [1, 6].forEach((row, r) => {
      const sample = batch.rows![row];
      const first = runSequence(layer0, sequenceOf(run, data.x, sample), Array(4).fill(0), Array(4).fill(0));
      const second = runSequence(layer1, first.hs, Array(3).fill(0), Array(3).fill(0));
      expect(maxAbsDiff(states[0].h.subarray(row * 4, row * 4 + 4), first.h)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(states[1].h.subarray(row * 3, row * 3 + 3), second.h)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(hidden0.subarray(r * 7 * 4, (r + 1) * 7 * 4), first.hs.flat())).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(hidden1.subarray(r * 7 * 3, (r + 1) * 7 * 3), second.hs.flat())).toBeLessThanOrEqual(1e-5);
    });
    expect([hidden0.length, hidden1.length]).toEqual([2 * 7 * 4, 2 * 7 * 3]);
  });

  it('exports NumPy files whose contents equal the run folder', async () => {
    const { run, workspace } = await trainInTemp(
      smallConfig({ model: { stateful: true }, data: { layout: 'continuous' }, resets: { everyBatches: 2 } }),
    );
    const out = path.join(workspace, 'npy');
    const summary = exportRunToNpy(run.runDir, out);
    const load = (name: string) => decodeNpy(fs.readFileSync(path.join(out, name)));
    expect(load('x.npy').shape).toEqual([40, 7, 1]);
    expect(load('rows.npy')).toEqual({ shape: [8, 10], values: Int32Array.from(run.batches.flatMap((b) => b.rows!)) });
    expect(Array.from(load('loss.npy').values)).toEqual(run.batches.map((b) => Math.fround(b.loss!)));
    const h0 = load('h0.npy');
    expect(h0.shape).toEqual([8, 10, 5]);
    expect(Array.from(h0.values.subarray(3 * 50, 4 * 50))).toEqual(
      Array.from(readBatchStates(run, run.batches[3])![0].h0),
    );
    expect(load('weights/initial/recurrent_kernel.npy').shape).toEqual([5, 20]);
    expect(load('weights/epoch-2/head/kernel.npy').shape).toEqual([5, 1]);
    const causes = JSON.parse(fs.readFileSync(path.join(out, 'causes.json'), 'utf8')) as {
      batches: Array<{ cause: string }>;
    };
    expect(causes.batches.map((b) => b.cause)).toEqual(run.batches.map((b) => b.cause));
    expect(fs.readFileSync(path.join(out, 'batches.csv'), 'utf8').trim().split('\n')).toHaveLength(9);
    expect(summary.capturedBatches).toBe(8);
  });

  it('reads a log with a torn last line as everything before it', async () => {
    const { run } = await trainInTemp(smallConfig());
    const logPath = path.join(run.runDir, RUN_FILES.log);
    const text = fs.readFileSync(logPath, 'utf8');
    const lines = text.trimEnd().split('\n');
    // Drop the end record and tear the last batch line in half, as a kill mid-write would.
    const kept = lines.filter(
      (line) => !line.includes('"t":"end"') && !line.includes('"t":"epochEnd"') && !line.includes('"t":"weights"'),
    );
    const last = kept.pop()!;
    fs.writeFileSync(logPath, `${kept.join('\n')}\n${last.slice(0, last.length / 2)}`);
    // The trainer ran inside this (live) test process; point the manifest at a process that has exited.
    const manifestPath = path.join(run.runDir, RUN_FILES.manifest);
    const exited = spawnSync(process.execPath, ['-e', '0']).pid;
    fs.writeFileSync(
      manifestPath,
      JSON.stringify({ ...run.manifest, process: { ...run.manifest.process, pid: exited } }),
    );
    const torn = readRun(run.runDir);
    expect(torn.tornTail).toBe(true);
    expect(torn.status).toBe('interrupted');
    expect(torn.batches).toHaveLength(7);
  });
});

describe('a trainer killed with SIGKILL', () => {
  it('leaves every completed batch readable and the run interrupted', async () => {
    const workspace = tempWorkspace();
    const configPath = path.join(workspace, 'slow.lstm.json');
    fs.writeFileSync(
      configPath,
      JSON.stringify(
        smallConfig({
          data: { samples: 400, timesteps: 30 },
          model: { units: 32, stateful: true },
          training: { batchSize: 20, epochs: 200, learningRate: 0.01 },
          resets: 'epoch',
        }),
      ),
    );
    const child = spawn(
      process.execPath,
      [path.join(root, 'dist/trainer.js'), configPath, '--workspace', workspace, '--backend', 'wasm'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let runDir = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        const message = JSON.parse(line) as { type: string; runDir?: string };
        if (message.type === 'started') runDir = message.runDir!;
      }
    });
    // Killed once its folder holds 25 batches: whatever it was writing at that moment.
    await new Promise<void>((resolve, reject) => {
      child.on('exit', () => reject(new Error('trainer exited before it was killed')));
      const poll = setInterval(() => {
        const log = runDir ? path.join(runDir, RUN_FILES.log) : '';
        const batches =
          log && fs.existsSync(log) ? (fs.readFileSync(log, 'utf8').match(/"t":"batch"/g) ?? []).length : 0;
        if (batches < 25) return;
        clearInterval(poll);
        child.removeAllListeners('exit');
        child.kill('SIGKILL');
        child.on('exit', () => resolve());
      }, 5);
    });
    const run = readRun(runDir);
    expect(run.status).toBe('interrupted');
    expect(run.end).toBeUndefined();
    expect(run.batches.length).toBeGreaterThanOrEqual(25);
    run.batches.forEach((batch, i) => {
      expect(batch.step).toBe(i);
      expect(readBatchStates(run, batch)![0].h).toHaveLength(20 * 32);
    });
  });
});
