/** A config naming a Python script: schema errors name the field, paths are checked, the trainer refuses it by name. */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import schema from '../../media/lstm-config.schema.json';
import { checkConfigText } from '../../src/config/check/checkConfigText';
import { loadConfig, parseConfigText } from '../../src/config/loadConfig';
import { loadPythonConfig, parsePythonConfig } from '../../src/config/loadPythonConfig';
import { resolvePythonConfig } from '../../src/config/resolvePythonConfig';
import type { PythonConfig } from '../../src/shared/config';
import { configError, seedStateless, tempWorkspace, writeConfig, writeFile } from './helpers';

const root = path.resolve(__dirname, '../..');
const workspaces: string[] = [];
afterAll(() => workspaces.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function workspace(): string {
  const dir = tempWorkspace();
  workspaces.push(dir);
  return dir;
}

const parseError = (value: unknown) => configError(() => parsePythonConfig(value as PythonConfig));

describe('python config: schema errors name one field', () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    [
      'no script',
      { python: {} },
      'python.script',
      /`python` is missing the required key `script`: add "script": a non-empty string/,
    ],
    [
      'script not a string',
      { python: { script: 3 } },
      'python.script',
      /`python.script` must be a non-empty string \(got an? number 3\)/,
    ],
    [
      'args not a list',
      { python: { script: 't.py', args: '--fast' } },
      'python.args',
      /`python.args` must be a list of strings/,
    ],
    [
      'an argument not a string',
      { python: { script: 't.py', args: [15] } },
      'python.args[0]',
      /must be a string \(got an? number 15\)/,
    ],
    [
      'stride below 1',
      { python: { script: 't.py', stride: 0 } },
      'python.stride',
      /`python.stride` must be an integer ≥ 1 \(got 0\)/,
    ],
    [
      'misspelt key',
      { python: { script: 't.py', scirpt: 'u.py' } },
      'python.scirpt',
      /unknown key `scirpt` in `python`.*Did you mean `script`/,
    ],
    [
      'unknown top-level key',
      { python: { script: 't.py' }, runDir: 'x' },
      'runDir',
      /allowed: \$schema, name, runsDir, python\. Did you mean `runsDir`/,
    ],
    [
      'python not an object',
      { python: 't.py' },
      'python',
      /`python` must be an object with "script" \(got a string "t.py"\)/,
    ],
    ['budget below 1', { python: { script: 't.py', budgetBytes: 0 } }, 'python.budgetBytes', /≥ 1/],
    ['duplicate hidden row', { python: { script: 't.py', hiddenRows: [0, 0] } }, 'python.hiddenRows', /lists 0 twice/],
  ];
  it.each(cases)('%s', (_label, value, field, message) => {
    const error = parseError(value);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('a trainer key beside "python" is named with what to do', () => {
    const error = parseError({ python: { script: 't.py' }, ...seedStateless() });
    expect(error.field).toBe('data');
    expect(error.message).toBe(
      '"python" records your own script, so `data` (a setting of the built-in trainer) does not apply. Remove it, or remove "python" to train with the built-in trainer.',
    );
  });

  it('the trainer form keeps its own wording: a trainer config without data is missing `data`', () => {
    const { data: _data, ...noData } = seedStateless();
    const error = configError(() => parseConfigText(JSON.stringify(noData), '/ws/a.lstm.json'));
    expect(error.field).toBe('data');
    expect(error.message).toMatch(/^the config is missing the required key `data`: add "data": a generator object/);
  });

  it('the trainer refuses a python config by name, saying how to run it', () => {
    const dir = workspace();
    const configPath = writeConfig(dir, 'p.lstm.json', { python: { script: 't.py' } });
    const error = configError(() => loadConfig(configPath, dir));
    expect(error.field).toBe('python');
    expect(error.message).toMatch(
      /built-in trainer does not run.*"LSTM: Start Training".*lstm-state-timeline record -- python3/,
    );
  });
});

describe('python config: the script and working folder', () => {
  it('resolves paths against the config and fills in the recorder defaults', () => {
    const config: PythonConfig = { python: { script: '../src/train.py', args: ['3'] } };
    expect(resolvePythonConfig(config, '/ws/configs/run.lstm.json')).toEqual({
      name: 'run',
      script: '/ws/src/train.py',
      args: ['3'],
      cwd: '/ws/configs',
      runsDir: '/ws/configs/.lstm-runs',
      stride: undefined,
      epochs: undefined,
      hiddenRows: [0],
      budgetBytes: 64 * 1024 * 1024,
    });
  });

  it('a script inside the workspace and an existing cwd pass', () => {
    const dir = workspace();
    writeFile(dir, 'src/train.py', 'print(1)\n');
    fs.mkdirSync(path.join(dir, 'data'));
    const configPath = writeConfig(dir, 'configs/run.lstm.json', {
      python: { script: '../src/train.py', cwd: '../data', stride: 4 },
    });
    const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
    expect(loadPythonConfig(config, configPath, dir)).toMatchObject({
      script: path.join(dir, 'src/train.py'),
      cwd: path.join(dir, 'data'),
      stride: 4,
    });
    expect(checkConfigText(fs.readFileSync(configPath, 'utf8'), configPath, dir)).toEqual([]);
  });

  it('a missing script, a script outside the workspace (also through a symlink), a folder, and a missing cwd are each one error on their field', () => {
    const dir = workspace();
    const outside = workspace();
    writeFile(outside, 'elsewhere.py', 'print(1)\n');
    fs.symlinkSync(path.join(outside, 'elsewhere.py'), path.join(dir, 'link.py'));
    fs.mkdirSync(path.join(dir, 'folder.py'));
    writeFile(dir, 'train.py', 'print(1)\n');
    const problem = (python: Record<string, unknown>) => {
      const configPath = writeConfig(dir, 'run.lstm.json', { python });
      const [only, ...rest] = checkConfigText(fs.readFileSync(configPath, 'utf8'), configPath, dir);
      expect(rest).toEqual([]);
      return only;
    };
    expect(problem({ script: 'missing.py' })).toMatchObject({
      severity: 'error',
      field: 'python.script',
      reason: `script not found: ${path.join(dir, 'missing.py')}. Give the path of your training script relative to the config file.`,
    });
    expect(problem({ script: path.join(outside, 'elsewhere.py') })).toMatchObject({
      field: 'python.script',
      reason: expect.stringMatching(/outside the workspace folder/),
    });
    expect(problem({ script: 'link.py' })).toMatchObject({
      field: 'python.script',
      reason: expect.stringMatching(/outside the workspace folder/),
    });
    expect(problem({ script: 'folder.py' })).toMatchObject({
      field: 'python.script',
      reason: expect.stringMatching(/is not a file/),
    });
    expect(problem({ script: 'train.py', cwd: 'nowhere' })).toMatchObject({
      field: 'python.cwd',
      reason: expect.stringMatching(/^working folder not found: .*nowhere/),
    });
    expect(problem({ script: 'train.py', stride: -1 })).toMatchObject({ field: 'python.stride' });
  });

  it('every example in examples/pytorch has a config that checks clean and names its script', () => {
    const dir = path.join(root, 'examples/pytorch');
    const scripts = fs.readdirSync(dir).filter((f) => f.endsWith('.py') && f !== 'sine.py');
    expect(scripts).toHaveLength(6);
    for (const script of scripts) {
      const configPath = path.join(dir, script.replace(/\.py$/, '.lstm.json'));
      const text = fs.readFileSync(configPath, 'utf8');
      expect(checkConfigText(text, configPath, root), configPath).toEqual([]);
      expect(JSON.parse(text).python.script).toBe(script);
    }
  });
});

describe("the schema file as the editor's JSON validation reads it", () => {
  // VS Code's own keywords (errorMessage) are not JSON Schema: ajv is told to ignore them.
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

  it('takes either form, and refuses a mix of both or neither', () => {
    expect(validate(seedStateless())).toBe(true);
    expect(validate({ python: { script: 'train.py' }, name: 'x', runsDir: 'runs' })).toBe(true);
    expect(validate({ python: { script: 'train.py' }, ...seedStateless() })).toBe(false);
    expect(validate({ name: 'neither' })).toBe(false);
    expect(validate({ python: { script: 'train.py' }, resets: 'epoch' })).toBe(false);
  });
});
