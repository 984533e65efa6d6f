import * as fs from 'fs';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LstmConfig } from '../../src/shared/config';
import { loadDataset } from '../../src/config/data/loadDataset';
import { loadConfig, parseConfigText } from '../../src/config/loadConfig';
import { configError, seedStateful, seedStateless, tempWorkspace, writeConfig, writeFile } from './helpers';

const workspaces: string[] = [];
afterAll(() => workspaces.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** The ConfigError of a config object run through schema validation. */
function schemaError(config: unknown) {
  return configError(() => parseConfigText(JSON.stringify(config, null, 2), '/ws/bad.lstm.json'));
}

/** Seed config with one section replaced. */
function withSeed(patch: Record<string, unknown>): unknown {
  return { ...seedStateless(), ...patch };
}

/** A workspace with a CSV file and a config using it; returns what loadConfig / loadDataset need. */
function csvWorkspace(csv: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const dir = tempWorkspace();
  workspaces.push(dir);
  writeFile(dir, 'data/series.csv', csv);
  const configPath = writeConfig(dir, 'configs/run.lstm.json', {
    data: { csv: '../data/series.csv', columns: ['a'], target: 'a', window: 2, ...data },
    model: { units: 4 },
    training: { batchSize: 2, epochs: 1 },
    ...extra,
  });
  return { dir, configPath, csvPath: path.join(dir, 'data/series.csv') };
}

const GOOD_CSV = 'time,a,b\n0,1,10\n1,2,20\n2,3,30\n3,4,40\n4,5,50\n';

describe('schema errors name one field', () => {
  const cases: Array<[string, unknown, string, RegExp?]> = [
    [
      'unknown top-level key',
      withSeed({ optimiser: 'adam' }),
      'optimiser',
      /unknown key `optimiser` at the top level; allowed: .*training/,
    ],
    [
      'unknown key in model',
      withSeed({ model: { units: 8, unitz: 3 } }),
      'model.unitz',
      /unknown key `unitz` in `model`; allowed: units, stateful.*Did you mean `units`/,
    ],
    [
      'wrong type of units',
      withSeed({ model: { units: '8' } }),
      'model.units',
      /must be an integer from 1 to 4096 or a list of 1 to 3 integers/,
    ],
    [
      'units list of 4',
      withSeed({ model: { units: [8, 8, 8, 8] } }),
      'model.units',
      /list of 1 to 3 integers.*got 4 entries/,
    ],
    ['units entry 0', withSeed({ model: { units: [8, 0] } }), 'model.units[1]', /got 0/],
    ['units not an integer', withSeed({ model: { units: 2.5 } }), 'model.units', /an integer from 1 to 4096/],
    [
      'batchSize 0',
      withSeed({ training: { batchSize: 0, epochs: 1 } }),
      'training.batchSize',
      /integer from 1 to 1000000 \(got 0\)/,
    ],
    ['epochs 0', withSeed({ training: { batchSize: 10, epochs: 0 } }), 'training.epochs', /got 0/],
    [
      'missing epochs',
      withSeed({ training: { batchSize: 10 } }),
      'training.epochs',
      /missing the required key `epochs`/,
    ],
    [
      'negative learningRate',
      withSeed({ training: { batchSize: 10, epochs: 1, learningRate: -0.1 } }),
      'training.learningRate',
      /a number from 0 to 1000000000 \(got -0.1\)/,
    ],
    [
      'bad optimizer',
      withSeed({ training: { batchSize: 10, epochs: 1, optimizer: 'adamw' } }),
      'training.optimizer',
      /one of "adam", "sgd", "rmsprop" \(got "adamw"\)/,
    ],
    ['bad resets string', withSeed({ resets: 'sometimes' }), 'resets', /one of "never", "epoch"/],
    [
      'resets of wrong type',
      withSeed({ resets: 3 }),
      'resets',
      /must be one of "never", "epoch" or an object with "everyBatches"/,
    ],
    ['everyBatches 0', withSeed({ resets: { everyBatches: 0 } }), 'resets.everyBatches', /got 0/],
    [
      'missing data',
      { model: { units: 8 }, training: { batchSize: 10, epochs: 1 } },
      'data',
      /missing the required key `data`/,
    ],
    [
      'data with neither generator nor csv',
      withSeed({ data: { samples: 10, timesteps: 5 } }),
      'data',
      /needs either `generator` or `csv`/,
    ],
    [
      'data with both generator and csv',
      withSeed({ data: { generator: 'sine', csv: 'a.csv' } }),
      'data',
      /has both `generator` and `csv`/,
    ],
    [
      'generator branch: bad samples',
      withSeed({ data: { generator: 'sine', samples: 0, timesteps: 5 } }),
      'data.samples',
      /got 0/,
    ],
    [
      'generator branch: misspelt key',
      withSeed({ data: { generator: 'sine', samples: 5, timesteps: 5, lyout: 'continuous' } }),
      'data.lyout',
      /Did you mean `layout`/,
    ],
    [
      'generator branch: bad generator',
      withSeed({ data: { generator: 'square', samples: 5, timesteps: 5 } }),
      'data.generator',
      /"sine", "randomWalk", "noise"/,
    ],
    [
      'csv branch: window 0',
      withSeed({ data: { csv: 'x.csv', columns: ['a'], target: 'a', window: 0 } }),
      'data.window',
      /got 0/,
    ],
    [
      'csv branch: missing target',
      withSeed({ data: { csv: 'x.csv', columns: ['a'], window: 3 } }),
      'data.target',
      /missing the required key `target`/,
    ],
    [
      'csv branch: duplicate columns',
      withSeed({ data: { csv: 'x.csv', columns: ['a', 'a'], target: 'a', window: 3 } }),
      'data.columns',
      /twice/,
    ],
    [
      'capture negative budget',
      withSeed({ capture: { tensorBudgetBytes: -1 } }),
      'capture.tensorBudgetBytes',
      /from 0 to/,
    ],
    ['bad backend', withSeed({ backend: 'gpu' }), 'backend', /"auto", "native", "wasm", "cpu"/],
    ['not an object', [1, 2], '', /must be an object/],
  ];
  it.each(cases)('%s', (_name, config, field, message) => {
    const error = schemaError(config);
    expect(error.field).toBe(field);
    if (message) expect(error.reason).toMatch(message);
    if (field) expect(error.message).toContain(field);
  });
});

describe('JSON syntax errors give the line and column', () => {
  it('reports a missing comma on its line', () => {
    const text = '{\n  "model": { "units": 8 }\n  "training": { "batchSize": 10, "epochs": 1 }\n}\n';
    const error = configError(() => parseConfigText(text, '/ws/x.lstm.json'));
    expect(error.field).toBe('');
    expect(error.file).toBe('/ws/x.lstm.json');
    expect(error.line).toBe(3);
    expect(error.column).toBe(3);
    expect(error.message).toMatch(/^\/ws\/x\.lstm\.json:3:3: invalid JSON: .*missing comma/);
  });
  it('reports a trailing comma on its line (CRLF line endings)', () => {
    const text = '{\r\n  "model": { "units": 8, },\r\n}';
    const error = configError(() => parseConfigText(text, '/ws/x.lstm.json'));
    expect(error.line).toBe(2);
    expect(error.reason).toMatch(/trailing comma/);
  });
  it('reports an unterminated string at its start', () => {
    const error = configError(() => parseConfigText('{\n\n "name": "abc\n}', '/ws/x.lstm.json'));
    expect([error.line, error.column]).toEqual([3, 10]);
  });
  it('reports an empty file', () => {
    expect(configError(() => parseConfigText('  \n', '/ws/x.lstm.json')).line).toBe(2);
  });
});

describe('file and semantic errors', () => {
  it('missing config file', () => {
    const dir = tempWorkspace();
    workspaces.push(dir);
    const error = configError(() => loadConfig(path.join(dir, 'nope.lstm.json')));
    expect(error.field).toBe('');
    expect(error.message).toMatch(/config file not found/);
  });

  it('hiddenRows ≥ batchSize', () => {
    const dir = tempWorkspace();
    workspaces.push(dir);
    const config: LstmConfig = { ...seedStateless(), capture: { hiddenRows: [0, 200] } };
    const error = configError(() => loadConfig(writeConfig(dir, 'a.lstm.json', config)));
    expect(error.field).toBe('capture.hiddenRows[1]');
    expect(error.reason).toMatch(/numbered 0 to 199/);
  });

  it('stateful with fewer samples than one batch', () => {
    const dir = tempWorkspace();
    workspaces.push(dir);
    const config = seedStateful();
    config.data = { generator: 'sine', samples: 100, timesteps: 20, layout: 'continuous' };
    const { resolved, workspaceRoot } = loadConfig(writeConfig(dir, 'a.lstm.json', config));
    const error = configError(() => loadDataset(resolved, path.join(dir, 'a.lstm.json'), workspaceRoot));
    expect(error.field).toBe('training.batchSize');
  });

  it('csv missing file names data.csv and the resolved path', () => {
    const { configPath, dir } = csvWorkspace(GOOD_CSV, { csv: '../data/missing.csv' });
    const error = configError(() => loadConfig(configPath));
    expect(error.field).toBe('data.csv');
    expect(error.message).toContain(path.join(dir, 'data/missing.csv'));
  });

  it('csv path outside the workspace (../x.csv)', () => {
    const { configPath } = csvWorkspace(GOOD_CSV, { csv: '../../x.csv' });
    const error = configError(() => loadConfig(configPath));
    expect(error.field).toBe('data.csv');
    expect(error.reason).toMatch(/outside the workspace folder/);
  });

  it('csv absolute path outside the workspace', () => {
    const { configPath } = csvWorkspace(GOOD_CSV, { csv: path.resolve('/etc/hosts') });
    expect(configError(() => loadConfig(configPath)).field).toBe('data.csv');
  });

  it('csv path escaping through a symlink', () => {
    const { configPath, dir } = csvWorkspace(GOOD_CSV, { csv: 'link.csv' });
    const outside = tempWorkspace();
    workspaces.push(outside);
    fs.symlinkSync(writeFile(outside, 'x.csv', GOOD_CSV), path.join(dir, 'configs/link.csv'));
    expect(configError(() => loadConfig(configPath)).reason).toMatch(/outside the workspace/);
  });

  it('csv bad cell: file:line as an editor shows it, and the column name', () => {
    // Line 1 header, 2-3 data, 4 blank (skipped, still counted), 5 data, 6 bad.
    const csv = 'time,a,b\n0,1,10\n1,2,20\n\n2,3,30\n3,x4,40\n4,5,50\n';
    const { configPath, csvPath } = csvWorkspace(csv, {});
    const { resolved, workspaceRoot } = loadConfig(configPath);
    const error = configError(() => loadDataset(resolved, configPath, workspaceRoot));
    expect(error.field).toBe('data.csv');
    expect(error.file).toBe(csvPath);
    expect(error.line).toBe(6);
    expect(error.message).toMatch(
      new RegExp(`^${csvPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:3: column "a" holds "x4"`),
    );
  });

  it('csv bad cell after a quoted multi-line cell and CRLF endings', () => {
    const csv = 'note,a\r\n"two\r\nlines",1\r\nok,2\r\nok,\r\nok,4\r\n';
    const { configPath } = csvWorkspace(csv, { window: 1 });
    const { resolved, workspaceRoot } = loadConfig(configPath);
    const error = configError(() => loadDataset(resolved, configPath, workspaceRoot));
    expect(error.line).toBe(5);
    expect(error.reason).toMatch(/column "a" is empty/);
  });

  it('csv missing cell in a short row', () => {
    const { configPath } = csvWorkspace('a,b\n1,2\n3\n4,5\n', { columns: ['a', 'b'], window: 1 });
    const { resolved, workspaceRoot } = loadConfig(configPath);
    const error = configError(() => loadDataset(resolved, configPath, workspaceRoot));
    expect([error.line, error.reason]).toEqual([3, expect.stringMatching(/column "b" is empty/)]);
  });

  it('csv unknown column lists the available headers', () => {
    const { configPath } = csvWorkspace(GOOD_CSV, { columns: ['a', 'temp'] });
    const error = configError(() => loadConfig(configPath));
    expect(error.field).toBe('data.columns[1]');
    expect(error.reason).toMatch(/column "temp" is not in the header .*available: "time", "a", "b"/);
  });

  it('csv unknown target', () => {
    const { configPath } = csvWorkspace(GOOD_CSV, { target: 'A' });
    expect(configError(() => loadConfig(configPath)).field).toBe('data.target');
  });

  it('window longer than the series says how many rows the file has', () => {
    const { configPath } = csvWorkspace(GOOD_CSV, { window: 5 });
    const { resolved, workspaceRoot } = loadConfig(configPath);
    const error = configError(() => loadDataset(resolved, configPath, workspaceRoot));
    expect(error.field).toBe('data.window');
    expect(error.reason).toMatch(/has 5 data rows .*at most 4/);
  });
});
