/**
 * A corpus of malformed configs (and the data files they name), each run through the trainer as
 * a user's run would be: every one is refused with an error that names its field, or its file
 * and line, in a message of bounded length, and nothing is written.
 */
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { TrainingControls } from '../../src/trainer/controls';
import { train } from '../../src/trainer/train';
import { tempWorkspace } from './helpers';

const workspaces: string[] = [];
afterAll(() => workspaces.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const BASE = {
  data: { generator: 'sine', samples: 40, timesteps: 5, layout: 'continuous' },
  model: { units: 4, stateful: true },
  training: { batchSize: 10, epochs: 1 },
  resets: 'epoch',
};
const CSV_DATA = { csv: 'series.csv', columns: ['a'], target: 'a', window: 3 };
const GOOD_CSV = `t,a\n${Array.from({ length: 30 }, (_, i) => `${i},${(i / 10).toFixed(2)}`).join('\n')}\n`;

/** The base config with `patch` applied: a key set to undefined is removed; objects merge one level deep. */
function patched(patch: Record<string, unknown>): string {
  const config: Record<string, unknown> = structuredClone(BASE);
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete config[key];
    else if (isPlain(value) && isPlain(config[key])) config[key] = { ...(config[key] as object), ...value };
    else config[key] = value;
  }
  return JSON.stringify(config, null, 2);
}
const isPlain = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A stateless config on the CSV `series.csv` (its data replaced, not merged). */
const withCsv = (data: Record<string, unknown> = {}) =>
  JSON.stringify({ ...BASE, data: { ...CSV_DATA, ...data }, model: { units: 4 }, resets: undefined }, null, 2);

interface Case {
  /** The config file's text. */
  text: string;
  /** Files to write into the workspace (paths relative to it). */
  files?: Record<string, string>;
  setup?: (dir: string) => void;
  /** The field the error must name ('' = the whole file); or the file (relative) and line it must point at. */
  field?: string;
  at?: { file: string; line: number; column?: number };
  /** Text the message must contain. */
  says?: string | RegExp;
}

const cases: Record<string, Case> = {
  // JSON syntax: the config file, line and column.
  'missing comma': { text: '{\n  "name": "a"\n  "model": {}\n}', at: { file: 'bad.lstm.json', line: 3, column: 3 } },
  'trailing comma in object': {
    text: '{\n  "name": "a",\n}',
    at: { file: 'bad.lstm.json', line: 2 },
    says: 'trailing comma',
  },
  'trailing comma in array': {
    text: patched({}).replace('"units": 4', '"units": [4, 4,]'),
    at: { file: 'bad.lstm.json', line: 9 },
    says: 'trailing comma',
  },
  'unterminated string': { text: '{\n  "name": "abc\n}', at: { file: 'bad.lstm.json', line: 2 } },
  'empty file': { text: '', at: { file: 'bad.lstm.json', line: 1 }, says: 'the file is empty' },
  'whitespace only': { text: ' \n\n ', at: { file: 'bad.lstm.json', line: 3 }, says: 'the file is empty' },
  'line comment': { text: '{\n  // a comment\n  "name": "a"\n}', at: { file: 'bad.lstm.json', line: 2 } },
  'block comment': { text: '{ /* c */ "name": "a" }', at: { file: 'bad.lstm.json', line: 1 } },
  'single quotes': { text: "{\n  'name': 'a'\n}", at: { file: 'bad.lstm.json', line: 2 } },
  'unquoted key': { text: '{\n  name: "a"\n}', at: { file: 'bad.lstm.json', line: 2 } },
  'NaN literal': { text: patched({}).replace('"epochs": 1', '"epochs": NaN'), at: { file: 'bad.lstm.json', line: 14 } },
  'Infinity literal': {
    text: patched({}).replace('"epochs": 1', '"epochs": Infinity'),
    at: { file: 'bad.lstm.json', line: 14 },
  },
  'leading zero': { text: patched({}).replace('"epochs": 1', '"epochs": 01'), at: { file: 'bad.lstm.json', line: 14 } },
  'truncated file': { text: patched({}).slice(0, 60), at: { file: 'bad.lstm.json', line: 5 } },
  'text after the object': { text: `${patched({})}\n{}`, at: { file: 'bad.lstm.json', line: 18 } },
  'stray closing brace': { text: '}', at: { file: 'bad.lstm.json', line: 1 } },
  'raw tab in a string': { text: '{\n  "name": "a\tb"\n}', at: { file: 'bad.lstm.json', line: 2 } },
  'BOM then garbage': { text: '\uFEFF{]', at: { file: 'bad.lstm.json', line: 1 } },
  // What JSON.parse lets through: duplicate keys, numbers out of range, nesting too deep.
  'duplicate top-level key': {
    text: patched({}).replace('"resets": "epoch"', '"resets": "epoch",\n  "model": { "units": 5 }'),
    field: 'model',
    at: { file: 'bad.lstm.json', line: 17 },
    says: /`model` is given twice \(first on line 8\)/,
  },
  'duplicate nested key': {
    text: patched({}).replace('"units": 4,', '"units": 4,\n    "units": 8,'),
    field: 'model.units',
    at: { file: 'bad.lstm.json', line: 10 },
  },
  '1e400': {
    text: patched({}).replace('"epochs": 1', '"epochs": 1e400'),
    field: 'training.epochs',
    at: { file: 'bad.lstm.json', line: 14 },
    says: '`training.epochs` is 1e400, beyond the range of a number',
  },
  '-1e400': {
    text: patched({}).replace('"samples": 40', '"samples": -1e400'),
    field: 'data.samples',
    at: { file: 'bad.lstm.json', line: 4 },
  },
  'nesting 10,000 deep': {
    text: `{"name": ${'['.repeat(10000)}${']'.repeat(10000)}}`,
    at: { file: 'bad.lstm.json', line: 1, column: 41 },
    says: 'nesting deeper than 32 levels',
  },
  'nesting 33 deep across lines': {
    text: `{\n "name":\n${'{"a":'.repeat(40)}1${'}'.repeat(40)}\n}`,
    at: { file: 'bad.lstm.json', line: 3 },
  },
  // Schema: one field named.
  'top level is an array': { text: '[1, 2]', field: '' },
  'top level is a string': { text: '"config"', field: '' },
  'top level is null': { text: 'null', field: '' },
  'top level is a number': { text: '42', field: '', says: 'got a number 42' },
  'unknown top-level key': { text: patched({ optimiser: 'adam' }), field: 'optimiser', says: 'unknown key' },
  'misspelt top-level key': { text: patched({ reset: 'epoch' }), field: 'reset', says: 'Did you mean `resets`' },
  'name too long (300)': { text: patched({ name: 'n'.repeat(300) }), field: 'name', says: 'got 300 characters' },
  'name of 50 MB': { text: patched({ name: 'x'.repeat(50_000_000) }), field: 'name', says: 'got 50000000 characters' },
  'empty name': { text: patched({ name: '' }), field: 'name' },
  'name is a number': { text: patched({ name: 42 }), field: 'name', says: 'got a number 42' },
  '$schema is a number': { text: patched({ $schema: 5 }), field: '$schema' },
  'missing data': { text: patched({ data: undefined }), field: 'data' },
  'missing model': { text: patched({ model: undefined }), field: 'model' },
  'missing training': { text: patched({ training: undefined }), field: 'training' },
  'data is a string': { text: patched({ data: 'sine' }), field: 'data' },
  'data with neither form': {
    text: patched({ data: { samples: 3, timesteps: 2 } }).replace('"generator": "sine",', ''),
    field: 'data',
  },
  'data with both forms': { text: patched({ data: { csv: 'x.csv' } }), field: 'data', says: 'has both' },
  'generator unknown': { text: patched({ data: { generator: 'square' } }), field: 'data.generator' },
  'samples 0': { text: patched({ data: { samples: 0 } }), field: 'data.samples' },
  'samples 1e8': { text: patched({ data: { samples: 1e8 } }), field: 'data.samples' },
  'samples 2.5': { text: patched({ data: { samples: 2.5 } }), field: 'data.samples' },
  'samples a string': { text: patched({ data: { samples: '40' } }), field: 'data.samples', says: 'got a string "40"' },
  'timesteps 0': { text: patched({ data: { timesteps: 0 } }), field: 'data.timesteps' },
  'timesteps 1e6': { text: patched({ data: { timesteps: 1e6 } }), field: 'data.timesteps' },
  'features 0': { text: patched({ data: { features: 0 } }), field: 'data.features' },
  'features 5000': { text: patched({ data: { features: 5000 } }), field: 'data.features' },
  'data seed 1.5': { text: patched({ data: { seed: 1.5 } }), field: 'data.seed' },
  'layout unknown': { text: patched({ data: { layout: 'stacked' } }), field: 'data.layout' },
  'layout misspelt': { text: patched({ data: { lyout: 'continuous' } }), field: 'data.lyout', says: 'layout' },
  'csv empty path': { text: withCsv({ csv: '' }), field: 'data.csv' },
  'csv path of 5000 characters': { text: withCsv({ csv: 'a'.repeat(5000) }), field: 'data.csv' },
  'csv columns empty': { text: withCsv({ columns: [] }), field: 'data.columns' },
  'csv columns duplicate': { text: withCsv({ columns: ['a', 'a'] }), field: 'data.columns', says: 'twice' },
  'csv column not a string': { text: withCsv({ columns: [1] }), field: 'data.columns[0]' },
  'csv target empty': { text: withCsv({ target: '' }), field: 'data.target' },
  'csv window 0': { text: withCsv({ window: 0 }), field: 'data.window' },
  'csv window 1e6': { text: withCsv({ window: 1e6 }), field: 'data.window' },
  'csv stride 0': { text: withCsv({ stride: 0 }), field: 'data.stride' },
  'csv with a generator key': { text: withCsv({ samples: 10 }), field: 'data.samples' },
  'units 0': { text: patched({ model: { units: 0 } }), field: 'model.units' },
  'units 5000': { text: patched({ model: { units: 5000 } }), field: 'model.units' },
  'units empty list': { text: patched({ model: { units: [] } }), field: 'model.units' },
  'units list of 4': { text: patched({ model: { units: [2, 2, 2, 2] } }), field: 'model.units' },
  'units a string': { text: patched({ model: { units: '8' } }), field: 'model.units' },
  'units entry 0': { text: patched({ model: { units: [4, 0] } }), field: 'model.units[1]' },
  'stateful "yes"': { text: patched({ model: { stateful: 'yes' } }), field: 'model.stateful' },
  'recurrentActivation relu': {
    text: patched({ model: { recurrentActivation: 'relu' } }),
    field: 'model.recurrentActivation',
  },
  'activation relu': { text: patched({ model: { activation: 'relu' } }), field: 'model.activation' },
  'model seed a string': { text: patched({ model: { seed: 'x' } }), field: 'model.seed' },
  'model unknown key': { text: patched({ model: { dropout: 0.1 } }), field: 'model.dropout' },
  'batchSize 0': { text: patched({ training: { batchSize: 0 } }), field: 'training.batchSize' },
  'batchSize 1e20': { text: patched({ training: { batchSize: 1e20 } }), field: 'training.batchSize' },
  'batchSize 3e7 with 100 samples': {
    text: patched({
      data: { samples: 100 },
      model: { stateful: false },
      resets: undefined,
      training: { batchSize: 3e7 },
    }),
    field: 'training.batchSize',
  },
  'batchSize 2.5': { text: patched({ training: { batchSize: 2.5 } }), field: 'training.batchSize' },
  'batchSize a string': { text: patched({ training: { batchSize: '10' } }), field: 'training.batchSize' },
  'missing batchSize': { text: patched({ training: { batchSize: undefined } }), field: 'training.batchSize' },
  'epochs 0': { text: patched({ training: { epochs: 0 } }), field: 'training.epochs' },
  'epochs 1e6': { text: patched({ training: { epochs: 1e6 } }), field: 'training.epochs' },
  'shuffle 1': { text: patched({ training: { shuffle: 1 } }), field: 'training.shuffle' },
  'optimizer adamw': { text: patched({ training: { optimizer: 'adamw' } }), field: 'training.optimizer' },
  'learningRate -1': { text: patched({ training: { learningRate: -1 } }), field: 'training.learningRate' },
  'learningRate 1e12': { text: patched({ training: { learningRate: 1e12 } }), field: 'training.learningRate' },
  'learningRate "fast"': { text: patched({ training: { learningRate: 'fast' } }), field: 'training.learningRate' },
  'training seed 0.5': { text: patched({ training: { seed: 0.5 } }), field: 'training.seed' },
  'onNonFinite ignore': { text: patched({ training: { onNonFinite: 'ignore' } }), field: 'training.onNonFinite' },
  'training unknown key': {
    text: patched({ training: { validation_split: 0.2 } }),
    field: 'training.validation_split',
  },
  'resets sometimes': { text: patched({ resets: 'sometimes' }), field: 'resets' },
  'resets everyBatches 0': { text: patched({ resets: { everyBatches: 0 } }), field: 'resets.everyBatches' },
  'resets with an extra key': { text: patched({ resets: { everyBatches: 2, also: 1 } }), field: 'resets.also' },
  'resets a number': { text: patched({ resets: 3 }), field: 'resets' },
  'validation empty': { text: patched({ validation: {} }), field: 'validation' },
  'validation split 0': { text: patched({ validation: { split: 0 } }), field: 'validation.split' },
  'validation split 1': { text: patched({ validation: { split: 1 } }), field: 'validation.split' },
  'validation split 1.5': { text: patched({ validation: { split: 1.5 } }), field: 'validation.split' },
  'validation split a string': { text: patched({ validation: { split: '0.2' } }), field: 'validation.split' },
  'validation with split and data': {
    text: patched({ validation: { split: 0.2, data: BASE.data } }),
    field: 'validation',
    says: 'has both',
  },
  'validation data samples 0': {
    text: patched({ validation: { data: { ...BASE.data, samples: 0 } } }),
    field: 'validation.data.samples',
  },
  'validation data misspelt key': {
    text: patched({ validation: { data: { ...BASE.data, sample: 10 } } }),
    field: 'validation.data.sample',
  },
  'validationState unknown': { text: patched({ validationState: 'separate' }), field: 'validationState' },
  'predict data unknown': { text: patched({ predict: { data: 'test' } }), field: 'predict.data' },
  'predict reset "no"': { text: patched({ predict: { reset: 'no' } }), field: 'predict.reset' },
  'predict unknown key': { text: patched({ predict: { batchSize: 1 } }), field: 'predict.batchSize' },
  'predict a boolean': { text: patched({ predict: true }), field: 'predict' },
  'tensorBudgetBytes -1': { text: patched({ capture: { tensorBudgetBytes: -1 } }), field: 'capture.tensorBudgetBytes' },
  'tensorBudgetBytes 1e15': {
    text: patched({ capture: { tensorBudgetBytes: 1e15 } }),
    field: 'capture.tensorBudgetBytes',
  },
  'hiddenRows negative': { text: patched({ capture: { hiddenRows: [-1] } }), field: 'capture.hiddenRows[0]' },
  'hiddenRows duplicate': { text: patched({ capture: { hiddenRows: [1, 1] } }), field: 'capture.hiddenRows' },
  'capture inputs "yes"': { text: patched({ capture: { inputs: 'yes' } }), field: 'capture.inputs' },
  'backend gpu': { text: patched({ backend: 'gpu' }), field: 'backend' },
  'runsDir empty': { text: patched({ runsDir: '' }), field: 'runsDir' },
  'runsDir with a 300-character folder name': {
    text: patched({ runsDir: 'r'.repeat(300) }),
    field: 'runsDir',
    says: /cannot create the run folder .*: the folder name r{16}…r{8} has 300 characters, more than the 255 bytes a name may have\. Choose a runsDir \(or --runs-dir\) with shorter folder names\./,
  },
  'runsDir through a file': {
    text: patched({ runsDir: 'notes.txt/runs' }),
    files: { 'notes.txt': 'a file, not a folder' },
    field: 'runsDir',
    says: /: a part of its path is a file, not a folder\. Choose a runsDir \(or --runs-dir\) whose parts are folders\./,
  },
  // Checks beyond the schema.
  'hiddenRows beyond the batch': {
    text: patched({ capture: { hiddenRows: [0, 10] } }),
    field: 'capture.hiddenRows[1]',
  },
  'predict on validation without validation': {
    text: patched({ predict: { data: 'validation' } }),
    field: 'predict.data',
  },
  'stateful with fewer samples than a batch': { text: patched({ data: { samples: 9 } }), field: 'training.batchSize' },
  'split leaving fewer training samples than a batch': {
    text: patched({ validation: { split: 0.9 } }),
    field: 'training.batchSize',
    // Keras's arithmetic: int(40 × (1 − 0.9)) = 3 train, 37 held out.
    says: 'only 3 training samples after validation.split holds out 37',
  },
  'split holding out fewer validation samples than a batch (stateful)': {
    text: patched({ validation: { split: 0.1 } }),
    field: 'validation.split',
    says: 'validation has only 4 samples',
  },
  'split holding out nothing': { text: patched({ validation: { split: 1e-20 } }), field: 'validation.split' },
  'split leaving no training sample': {
    text: patched({ model: { stateful: false }, resets: undefined, validation: { split: 0.999 } }),
    field: 'validation.split',
  },
  'validation data with other timesteps': {
    text: patched({ validation: { data: { ...BASE.data, timesteps: 6 } } }),
    field: 'validation.data.timesteps',
  },
  'validation data with other features': {
    text: patched({ validation: { data: { ...BASE.data, features: 2 } } }),
    field: 'validation.data.features',
  },
  'validation data smaller than a batch (stateful)': {
    text: patched({ validation: { data: { ...BASE.data, samples: 5 } } }),
    field: 'validation.data.samples',
  },
  'csv file missing': { text: withCsv({ csv: 'missing.csv' }), field: 'data.csv', says: 'file not found' },
  'csv outside the workspace': {
    text: withCsv({ csv: '../outside.csv' }),
    field: 'data.csv',
    says: 'outside the workspace',
  },
  'csv absolute path outside': { text: withCsv({ csv: '/etc/hosts' }), field: 'data.csv' },
  'csv is a folder': {
    text: withCsv({ csv: 'folder' }),
    setup: (dir) => fs.mkdirSync(path.join(dir, 'folder')),
    field: 'data.csv',
  },
  'csv symlink leading outside': {
    text: withCsv({ csv: 'link.csv' }),
    setup: (dir) => fs.symlinkSync('/etc/hosts', path.join(dir, 'link.csv')),
    field: 'data.csv',
    says: 'is a link that leads to /etc/hosts',
  },
  'csv dangling symlink': {
    text: withCsv({ csv: 'link.csv' }),
    setup: (dir) => fs.symlinkSync(path.join(dir, 'gone.csv'), path.join(dir, 'link.csv')),
    field: 'data.csv',
    says: 'gone.csv, which does not exist',
  },
  'csv empty file': { text: withCsv(), files: { 'series.csv': '' }, field: 'data.csv', says: 'is empty' },
  'csv unknown column': {
    text: withCsv({ columns: ['b'] }),
    files: { 'series.csv': GOOD_CSV },
    field: 'data.columns[0]',
  },
  'csv unknown target': { text: withCsv({ target: 'A' }), files: { 'series.csv': GOOD_CSV }, field: 'data.target' },
  'csv duplicate header': {
    text: withCsv(),
    files: { 'series.csv': 't,a,a\n1,2,3\n' },
    at: { file: 'series.csv', line: 1 },
  },
  'csv bad cell': {
    text: withCsv(),
    files: { 'series.csv': GOOD_CSV.replace('\n5,0.50\n', '\n5,oops\n') },
    at: { file: 'series.csv', line: 7, column: 3 },
    says: 'holds "oops"',
  },
  'csv empty cell': {
    text: withCsv(),
    files: { 'series.csv': GOOD_CSV.replace('\n5,0.50\n', '\n5,\n') },
    at: { file: 'series.csv', line: 7 },
  },
  'csv cell beyond float32 (1e39)': {
    text: withCsv(),
    files: { 'series.csv': GOOD_CSV.replace('\n5,0.50\n', '\n5,1e39\n') },
    at: { file: 'series.csv', line: 7, column: 3 },
    says: 'beyond the range of float32',
  },
  'csv cell beyond float32 (-4e38)': {
    text: withCsv(),
    files: { 'series.csv': GOOD_CSV.replace('\n9,0.90\n', '\n9,"-4e38"\n') },
    at: { file: 'series.csv', line: 11, column: 3 },
  },
  'csv cell "inf"': {
    text: withCsv(),
    files: { 'series.csv': GOOD_CSV.replace('\n5,0.50\n', '\n5,inf\n') },
    at: { file: 'series.csv', line: 7 },
  },
  'csv row with extra values': {
    text: withCsv(),
    files: { 'series.csv': GOOD_CSV.replace('\n5,0.50\n', '\n5,0.50,7\n') },
    at: { file: 'series.csv', line: 7 },
  },
  'csv window longer than the file': {
    text: withCsv({ window: 40 }),
    files: { 'series.csv': GOOD_CSV },
    field: 'data.window',
  },
  'csv unterminated quote': {
    text: withCsv(),
    files: { 'series.csv': 't,a\n1,"2\n3,4\n' },
    field: 'data.csv',
    at: { file: 'series.csv', line: 3 },
  },
  'validation csv bad cell': {
    text: patched({
      model: { stateful: false },
      resets: undefined,
      validation: { data: { csv: 'val.csv', columns: ['a'], target: 'a', window: 5 } },
    }),
    files: { 'val.csv': GOOD_CSV.replace('\n3,0.30\n', '\n3,x\n') },
    field: 'validation.data.csv',
    at: { file: 'val.csv', line: 5 },
  },
  'validation csv missing': {
    text: patched({ validation: { data: { csv: 'nope.csv', columns: ['a'], target: 'a', window: 5 } } }),
    field: 'validation.data.csv',
  },
  'validation csv with another window': {
    text: patched({ model: { stateful: false }, resets: undefined, validation: { data: { ...CSV_DATA, window: 4 } } }),
    files: { 'series.csv': GOOD_CSV },
    field: 'validation.data.window',
  },
};

describe('malformed configs', () => {
  it('number at least 100', () => {
    expect(Object.keys(cases).length).toBeGreaterThanOrEqual(100);
  });

  it.each(Object.entries(cases))('%s', async (_name, c) => {
    const dir = tempWorkspace();
    workspaces.push(dir);
    for (const [file, text] of Object.entries(c.files ?? {})) fs.writeFileSync(path.join(dir, file), text);
    c.setup?.(dir);
    const configPath = path.join(dir, 'bad.lstm.json');
    fs.writeFileSync(configPath, c.text);
    const before = fs.readdirSync(dir).sort();
    const result = await train(
      { configPath, workspaceRoot: dir, backend: 'wasm' },
      () => {},
      new TrainingControls(() => {}),
    );
    expect(result.type).toBe('failed');
    if (result.type !== 'failed') return;
    // Nothing written: no run folder, no file added.
    expect(fs.readdirSync(dir).sort()).toEqual(before);
    expect(result.runDir).toBeUndefined();
    // A bounded message that names its place.
    expect(result.message.length).toBeLessThan(1500);
    if (c.field !== undefined) {
      expect(result.field).toBe(c.field);
      // A file position names the place; without one, the field must be in the message.
      if (c.field && !c.at) expect(result.message).toContain(c.field);
    }
    if (c.at) {
      const file = path.join(dir, c.at.file);
      expect([result.file, result.line]).toEqual([file, c.at.line]);
      if (c.at.column !== undefined) expect(result.column).toBe(c.at.column);
      expect(result.message).toContain(`${file}:${c.at.line}`);
    }
    expect(c.field !== undefined || c.at !== undefined).toBe(true);
    if (c.says) expect(result.message).toMatch(c.says);
    // Said in words: no bare errno code (ENOENT, EISDIR, ENAMETOOLONG, …) reaches the user.
    expect(result.message).not.toMatch(/\bE[A-Z]{3,}\b/);
  });
});
