/**
 * The memory estimate made before training, against what the wasm backend really peaks at
 * (tf.profile of real training steps), and the refusal of runs that cannot fit: fast, naming
 * the field, the estimate and the limit, with nothing written — and the same refusal in the
 * editor's config check while the config is edited.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as tfTypes from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ConfigChecker } from '../../src/config/check/configChecker';
import { resolveConfig } from '../../src/config/loadConfig';
import { WASM_HEAP_BYTES, estimateMemory, expectedBackend, memoryLimits } from '../../src/config/memoryEstimate';
import type { LstmConfig } from '../../src/shared/config';
import { loadBackend } from '../../src/trainer/backend';
import { BatchStep } from '../../src/trainer/batchStep';
import { TrainingControls } from '../../src/trainer/controls';
import { buildStack, disposeStack } from '../../src/trainer/model';
import { train } from '../../src/trainer/train';
import { tempWorkspace } from '../helpers/trainInTemp';

describe('memory estimate', () => {
  it.each([
    [[64], 200, 20, 1],
    [[128, 64], 100, 50, 3],
    [[256], 20, 60, 1],
    [[32, 32, 32], 400, 30, 2],
    [[160], 2, 40, 1],
  ] as Array<[number[], number, number, number]>)(
    'units %j, batch %i × %i timesteps × %i features: above the measured peak of a training step, and within twice it',
    async (units, batchSize, timesteps, features) => {
      const { tf } = await loadBackend('wasm');
      const samples = batchSize * 2;
      const resolved = resolveConfig(
        {
          data: { generator: 'sine', samples, timesteps, features },
          model: { units },
          training: { batchSize, epochs: 1 },
        },
        '/ws/x.lstm.json',
      );
      const stack = buildStack(tf, resolved, features, 1);
      const optimizer = tf.train.adam(0.01);
      const x = tf.randomNormal([samples, timesteps, features]) as tfTypes.Tensor3D;
      const y = tf.randomNormal([samples, 1]) as tfTypes.Tensor2D;
      const step = new BatchStep(tf, stack, optimizer, []);
      const rows = Array.from({ length: batchSize }, (_, i) => i);
      const held: tfTypes.Tensor[] = [];
      // The first step makes the optimiser's slots; the second is a step as every later one.
      const first = step.run(x, y, rows, null);
      held.push(...first.finals.flat());
      const profile = await tf.profile(() => {
        const second = step.run(x, y, rows, null);
        held.push(...second.finals.flat());
      });
      const estimate = estimateMemory(resolved, { samples, timesteps, features, targets: 1 })
        .filter((term) => term.backend)
        .reduce((sum, term) => sum + term.bytes, 0);
      // The backend's terms only: the dataset's JS copy lives outside the backend's memory.
      expect(estimate).toBeGreaterThanOrEqual(profile.peakBytes);
      expect(estimate).toBeLessThanOrEqual(2 * profile.peakBytes);
      tf.dispose([x, y, ...held]);
      optimizer.dispose();
      disposeStack(stack);
    },
  );
});

const HUGE_LAYERS: LstmConfig = {
  data: { generator: 'sine', samples: 1000, timesteps: 20, layout: 'continuous' },
  model: { units: [4096, 4096, 4096], stateful: true },
  training: { batchSize: 200, epochs: 15 },
  resets: 'epoch',
};
const HUGE_BATCHES: LstmConfig = {
  data: { generator: 'noise', samples: 100000, timesteps: 2000 },
  model: { units: 64 },
  training: { batchSize: 100000, epochs: 1 },
};

describe('a run that cannot fit', () => {
  async function refused(config: LstmConfig) {
    const workspace = tempWorkspace();
    const configPath = path.join(workspace, 'big.lstm.json');
    fs.writeFileSync(configPath, JSON.stringify(config));
    const started = Date.now();
    const result = await train(
      { configPath, workspaceRoot: workspace, backend: 'wasm' },
      () => {},
      new TrainingControls(() => {}),
    );
    const ms = Date.now() - started;
    expect(fs.existsSync(path.join(workspace, '.lstm-runs')), 'nothing is written').toBe(false);
    if (result.type !== 'failed') throw new Error('expected the run to be refused');
    return { ...result, ms };
  }

  it('is refused within 2 s, naming model.units, for three layers of 4096 units', async () => {
    const result = await refused(HUGE_LAYERS);
    expect(result.field).toBe('model.units');
    expect(result.message).toMatch(
      /^model\.units: this run needs about [\d.]+ GiB of memory \(weights, gradients and optimiser state [\d.]+ GiB/,
    );
    expect(result.message).toContain('more than the 4.0 GiB the wasm backend can address');
    expect(result.ms).toBeLessThan(2000);
  });

  it('is refused before generating the data, naming training.batchSize, for huge batches of long sequences', async () => {
    const result = await refused(HUGE_BATCHES);
    expect(result.field).toBe('training.batchSize');
    expect(result.message).toMatch(/one batch's activations and gradients \(100000 rows × 2000 timesteps\) [\d.]+ TiB/);
    expect(result.ms).toBeLessThan(2000);
  });
});

describe('the editor sees it while the config is edited', () => {
  it("its check (in the built worker) refuses the same configs on the same field, in the trainer's words", async () => {
    const checker = new ConfigChecker(path.resolve(__dirname, '../../dist/configCheck.js'));
    try {
      for (const config of [HUGE_LAYERS, HUGE_BATCHES]) {
        const workspace = tempWorkspace();
        const configPath = path.join(workspace, 'big.lstm.json');
        const text = JSON.stringify({ ...config, backend: 'wasm' });
        fs.writeFileSync(configPath, text);
        const problems = await checker.check(configPath, text, configPath, workspace);
        const trainer = await refusedIn(workspace, configPath);
        expect(problems).toEqual([
          expect.objectContaining({ severity: 'error', field: trainer.field, message: trainer.message }),
        ]);
      }
    } finally {
      checker.dispose();
    }
  });

  it('expects the backend a run will get: an explicit one, or for auto native only where tfjs-node resolves', () => {
    const empty = tempWorkspace();
    expect(expectedBackend('wasm', [empty])).toBe('wasm');
    expect(expectedBackend('cpu', [empty])).toBe('cpu');
    expect(expectedBackend('native', [empty])).toBe('tensorflow');
    expect(expectedBackend('auto', [empty])).toBe('wasm');
    const withNative = tempWorkspace();
    const pkg = path.join(withNative, 'node_modules', '@tensorflow', 'tfjs-node');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(
      path.join(pkg, 'package.json'),
      JSON.stringify({ name: '@tensorflow/tfjs-node', main: 'index.js' }),
    );
    fs.writeFileSync(path.join(pkg, 'index.js'), '');
    expect(expectedBackend('auto', [withNative])).toBe('tensorflow');
    // The wasm heap caps only the wasm backend: native and cpu may use most of this machine's memory.
    expect(memoryLimits('wasm').backend).toBeLessThanOrEqual(WASM_HEAP_BYTES);
    expect(memoryLimits('tensorflow').backend).toBe(Math.floor(os.totalmem() * 0.8));
  });
});

/** The trainer's refusal of the config at `configPath` (wasm backend, as the config says). */
async function refusedIn(workspace: string, configPath: string) {
  const result = await train({ configPath, workspaceRoot: workspace }, () => {}, new TrainingControls(() => {}));
  if (result.type !== 'failed') throw new Error('expected the run to be refused');
  return result;
}
