import * as fs from 'fs';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import schema from '../../media/lstm-config.schema.json';
import { DEFAULTS } from '../../src/config/configDefaults';
import { findWorkspaceRoot, loadConfig, parseConfigText, resolveConfig } from '../../src/config/loadConfig';
import { seedStateful, seedStateless, tempWorkspace, writeConfig, writeFile } from './helpers';

const workspaces: string[] = [];
afterAll(() => workspaces.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe('resolveConfig', () => {
  it('fills every default of the seed stateless config', () => {
    const resolved = resolveConfig(seedStateless(), '/ws/examples/seed-stateless.lstm.json');
    expect(resolved).toEqual({
      name: 'seed-stateless',
      data: { generator: 'sine', samples: 1000, timesteps: 20, features: 1, seed: 0, layout: 'independent' },
      model: { units: [8], stateful: false, recurrentActivation: 'sigmoid', activation: 'tanh', seed: 0 },
      training: {
        batchSize: 200,
        epochs: 3,
        shuffle: false,
        optimizer: 'adam',
        learningRate: 0.01,
        seed: 0,
        onNonFinite: 'stop',
      },
      resets: 'never',
      validation: null,
      validationState: 'shared',
      predict: null,
      capture: { tensorBudgetBytes: 67108864, hiddenRows: [], inputs: true },
      backend: 'auto',
      runsDir: path.resolve('/ws/examples/.lstm-runs'),
    });
  });

  it('keeps written values, stacks units, resolves runsDir against the config folder', () => {
    const config = {
      ...seedStateful(),
      name: 'mine',
      model: { units: [4, 6], stateful: true },
      runsDir: '../runs',
      backend: 'cpu' as const,
    };
    const resolved = resolveConfig(config, '/ws/a/b.lstm.json');
    expect(resolved.name).toBe('mine');
    expect(resolved.model.units).toEqual([4, 6]);
    expect(resolved.resets).toBe('epoch');
    expect(resolved.runsDir).toBe(path.resolve('/ws/runs'));
    expect(resolved.backend).toBe('cpu');
    expect(resolved.data).toMatchObject({ layout: 'continuous' });
  });

  it('fills the csv stride and keeps the path as written', () => {
    const config = { ...seedStateless(), data: { csv: 'd.csv', columns: ['a'], target: 'a', window: 3 } };
    expect(resolveConfig(config, '/ws/x.json').data).toEqual({
      csv: 'd.csv',
      columns: ['a'],
      target: 'a',
      window: 3,
      stride: 1,
    });
    expect(resolveConfig(config, '/ws/x.json').name).toBe('x');
  });

  it('accepts learningRate 0 and resets { everyBatches }', () => {
    const text = JSON.stringify({
      ...seedStateful(),
      training: { batchSize: 200, epochs: 1, learningRate: 0 },
      resets: { everyBatches: 3 },
    });
    const resolved = resolveConfig(parseConfigText(text, '/ws/x.lstm.json'), '/ws/x.lstm.json');
    expect(resolved.training.learningRate).toBe(0);
    expect(resolved.resets).toEqual({ everyBatches: 3 });
  });

  it('uses the same defaults as the schema', () => {
    const p = schema.properties;
    const gen = p.data.oneOf[0].properties as unknown as Record<string, { default?: unknown }>;
    const csv = p.data.oneOf[1].properties as unknown as Record<string, { default?: unknown }>;
    expect([gen.features.default, gen.seed.default, gen.layout.default, csv.stride.default]).toEqual([
      DEFAULTS.features,
      DEFAULTS.dataSeed,
      DEFAULTS.layout,
      DEFAULTS.stride,
    ]);
    const m = p.model.properties;
    expect([m.stateful.default, m.recurrentActivation.default, m.activation.default, m.seed.default]).toEqual([
      DEFAULTS.stateful,
      DEFAULTS.recurrentActivation,
      DEFAULTS.activation,
      DEFAULTS.modelSeed,
    ]);
    const t = p.training.properties;
    expect([t.shuffle.default, t.optimizer.default, t.learningRate.default, t.seed.default]).toEqual([
      DEFAULTS.shuffle,
      DEFAULTS.optimizer,
      DEFAULTS.learningRate,
      DEFAULTS.trainingSeed,
    ]);
    const c = p.capture.properties;
    expect([c.tensorBudgetBytes.default, c.hiddenRows.default, c.inputs.default]).toEqual([
      DEFAULTS.tensorBudgetBytes,
      DEFAULTS.hiddenRows,
      DEFAULTS.inputs,
    ]);
    expect([p.resets.default, p.backend.default]).toEqual([DEFAULTS.resets, DEFAULTS.backend]);
    expect([t.onNonFinite.default, p.validationState.default]).toEqual([
      DEFAULTS.onNonFinite,
      DEFAULTS.validationState,
    ]);
    const predict = p.predict.properties;
    expect([predict.data.default, predict.reset.default]).toEqual([DEFAULTS.predictData, DEFAULTS.predictReset]);
    expect(p.runsDir.description).toContain(DEFAULTS.runsDir);
  });
});

describe('loadConfig and findWorkspaceRoot', () => {
  it('loads a good config and finds the nearest marked ancestor', () => {
    const dir = tempWorkspace();
    workspaces.push(dir);
    const configPath = writeConfig(dir, 'examples/deep/seed.lstm.json', seedStateless());
    const loaded = loadConfig(configPath);
    expect(loaded.workspaceRoot).toBe(dir);
    expect(loaded.config).toEqual(seedStateless());
    expect(loaded.resolved.name).toBe('seed');
    expect(loaded.resolved.runsDir).toBe(path.join(dir, 'examples/deep/.lstm-runs'));
  });

  it('prefers a nearer .vscode or .git folder, and falls back to the config folder', () => {
    const dir = tempWorkspace();
    workspaces.push(dir);
    fs.mkdirSync(path.join(dir, 'inner/.vscode'), { recursive: true });
    expect(findWorkspaceRoot(path.join(dir, 'inner/sub/x.lstm.json'))).toBe(path.join(dir, 'inner'));
    fs.mkdirSync(path.join(dir, 'inner/sub/.git'), { recursive: true });
    expect(findWorkspaceRoot(path.join(dir, 'inner/sub/x.lstm.json'))).toBe(path.join(dir, 'inner/sub'));
    // An explicit workspace root wins over the search.
    const configPath = writeConfig(dir, 'inner/sub/x.lstm.json', seedStateless());
    expect(loadConfig(configPath, dir).workspaceRoot).toBe(dir);
  });

  it('accepts a CSV config whose file and columns exist', () => {
    const dir = tempWorkspace();
    workspaces.push(dir);
    writeFile(dir, 'data/s.csv', 'a,b\n1,2\n3,4\n5,6\n');
    const configPath = writeConfig(dir, 'c.lstm.json', {
      ...seedStateless(),
      data: { csv: 'data/s.csv', columns: ['a', 'b'], target: 'b', window: 1 },
    });
    expect(loadConfig(configPath).resolved.data).toMatchObject({ csv: 'data/s.csv', stride: 1 });
  });
});
