/** The built CLI as a user runs it: answers, JSON summary, stdin commands, errors, export. */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRun } from '../../src/runStore/readRun';
import type { BatchRecord, LogRecord } from '../../src/shared/runFormat';
import { writeConfig } from '../config/helpers';
import { writeSyntheticRun } from '../fixtures/syntheticRun';
import { reportPayloadOf } from '../helpers/reportPayload';
import { readCsvTable, readNpyFile } from '../helpers/exportFiles';
import { logRecords, statesOfBatch } from '../helpers/rawRun';
import { smallConfig, tempWorkspace } from '../helpers/trainInTemp';

const cli = path.resolve(__dirname, '../../dist/cli.js');

describe('lstm-state-timeline train', () => {
  it('prints the plain answer and ends --json output with one summary line', () => {
    const workspace = tempWorkspace();
    const config = writeConfig(workspace, 'a.lstm.json', smallConfig({ training: { epochs: 3 } }));
    const result = spawnSync(process.execPath, [cli, 'train', config, '--json', '--backend', 'wasm'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('stateless: every batch starts from zeros — 4 resets per epoch');
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ backend: 'wasm', epochs: 3, batchesPerEpoch: 4, batches: 12, status: 'finished' });
    expect(summary.resets).toEqual({ auto: 12, first: 0, epoch: 0, schedule: 0, manual: 0, carried: 0 });
    expect(readRun(summary.runDir).batches).toHaveLength(12);
  });

  it('prints lint warnings with code and field before training', () => {
    const workspace = tempWorkspace();
    const config = writeConfig(
      workspace,
      'b.lstm.json',
      smallConfig({ model: { stateful: true }, training: { shuffle: true, epochs: 1 } }),
    );
    const result = spawnSync(process.execPath, [cli, 'train', config, '--backend', 'wasm'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/warning LSTM001 \[training\.shuffle\]/);
    // The state is carried, the shuffled data is not: the answer says both (it once said only the first).
    expect(result.stdout).toContain(
      "stateful: row i carries row i's state in 3 batches, but in all of them row i's data does not continue (LSTM001)",
    );
  });

  it('fails with the field named, a non-zero exit, and no run folder for a bad config', () => {
    const workspace = tempWorkspace();
    const config = writeConfig(workspace, 'bad.lstm.json', smallConfig({ training: { batchSize: 0 } }));
    const result = spawnSync(process.execPath, [cli, 'train', config], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('training.batchSize');
    expect(fs.existsSync(path.join(workspace, '.lstm-runs'))).toBe(false);
  });

  it('takes reset and stop from stdin: the reset lands as manual, the run ends stopped', async () => {
    const workspace = tempWorkspace();
    const config = writeConfig(
      workspace,
      'c.lstm.json',
      smallConfig({
        model: { stateful: true },
        data: { layout: 'continuous', samples: 200 },
        training: { epochs: 500 },
        resets: 'epoch',
      }),
    );
    const child = spawn(process.execPath, [cli, 'train', config, '--json', '--backend', 'wasm'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (stderr.includes('epoch 2/500') && !sent) {
          sent = true;
          child.stdin.write('reset\n');
          setTimeout(() => child.stdin.end('stop\n'), 300);
        }
      });
      child.on('exit', () => resolve());
    });
    expect(child.exitCode).toBe(0);
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(summary.status).toBe('stopped');
    expect(summary.resets.manual).toBe(1);
    const run = readRun(summary.runDir);
    expect(run.status).toBe('stopped');
    const manual = run.batches.find((b) => b.cause === 'manual')!;
    expect(run.resets.find((r) => r.cause === 'manual')!.beforeStep).toBe(manual.step);
  });
});

describe('lstm-state-timeline export', () => {
  it('writes the NumPy files and refuses a folder that is not a run', () => {
    const workspace = tempWorkspace();
    const config = writeConfig(workspace, 'd.lstm.json', smallConfig());
    const trained = spawnSync(process.execPath, [cli, 'train', config, '--json', '--backend', 'wasm'], {
      encoding: 'utf8',
    });
    const { runDir } = JSON.parse(trained.stdout.trim().split('\n').at(-1)!);
    const out = path.join(workspace, 'npy');
    const exported = spawnSync(process.execPath, [cli, 'export', runDir, '--npy', out], { encoding: 'utf8' });
    expect(exported.status).toBe(0);
    for (const file of [
      'x.npy',
      'rows.npy',
      'h0.npy',
      'c0.npy',
      'h.npy',
      'c.npy',
      'loss.npy',
      'causes.json',
      'batches.csv',
      'weights/initial/kernel.npy',
    ]) {
      expect(fs.existsSync(path.join(out, file))).toBe(true);
    }
    const refused = spawnSync(process.execPath, [cli, 'export', workspace, '--npy', out], { encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('is not a run folder');
  });
});

describe('lstm-state-timeline report', () => {
  /** The batch records of a run, straight from its log. */
  const logBatches = (runDir: string): BatchRecord[] =>
    fs
      .readFileSync(path.join(runDir, 'log.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as LogRecord)
      .filter((r): r is BatchRecord => r.t === 'batch');

  it('with two run folders writes one comparison page holding both runs, under 1 MB for two seed-sized runs', () => {
    const workspace = tempWorkspace();
    // The seed runs' shape: 15 epochs × 5 batches of 200 rows, 16 units, every tensor captured.
    const runA = writeSyntheticRun({
      dir: path.join(workspace, 'runs', 'a-stateful'),
      stateful: true,
      resets: 'epoch',
      epochs: 15,
      batchesPerEpoch: 5,
      batchSize: 200,
      units: [16],
      timesteps: 20,
    }).runDir;
    const runB = writeSyntheticRun({
      dir: path.join(workspace, 'runs', 'b-stateless'),
      stateful: false,
      epochs: 15,
      batchesPerEpoch: 5,
      batchSize: 200,
      units: [16],
      timesteps: 20,
      seed: 1,
    }).runDir;
    const file = path.join(workspace, 'compare.html');
    const result = spawnSync(process.execPath, [cli, 'report', runA, runB, '-o', file], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const bytes = fs.statSync(file).size;
    expect(result.stdout.trim()).toBe(`wrote ${file} (${(bytes / 1048576).toFixed(2)} MB)`);
    const html = fs.readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('<title>a-stateful vs b-stateless — LSTM State Timeline comparison</title>');
    const payload = reportPayloadOf(html);
    if (payload.kind !== 'compare') throw new Error(`expected a comparison, got a ${payload.kind} report`);
    // Both runs in the order given, each with every batch of its log.
    expect(payload.runs.map((r) => r.snapshot.runDir)).toEqual([runA, runB]);
    expect(payload.runs.map((r) => r.snapshot.manifest.model.stateful)).toEqual([true, false]);
    for (const [i, runDir] of [runA, runB].entries()) {
      const batches = logBatches(runDir);
      const columns = payload.runs[i].columns!;
      expect(columns.count).toBe(75);
      expect([...columns.loss]).toEqual(batches.map((b) => b.loss));
      expect([...columns.step]).toEqual(batches.map((b) => b.step));
    }
    // A comparison holds the batch summaries, no tensors: the page is the bundle plus little.
    const bundle = ['webview.js', 'webview.css'].reduce(
      (sum, f) => sum + fs.statSync(path.resolve(__dirname, '../../dist', f)).size,
      0,
    );
    expect(bytes).toBeLessThan(bundle + 64_000);
    expect(bytes).toBeLessThanOrEqual(1_000_000);
  });

  it('refuses a second folder that is not a run, naming it, and writes nothing', () => {
    const workspace = tempWorkspace();
    const runA = writeSyntheticRun({
      dir: path.join(workspace, 'a'),
      stateful: false,
      epochs: 1,
      batchesPerEpoch: 2,
      batchSize: 2,
      units: [2],
    }).runDir;
    const file = path.join(workspace, 'compare.html');
    const notRun = path.join(workspace, '.vscode');
    const result = spawnSync(process.execPath, [cli, 'report', runA, notRun, '-o', file], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${notRun} is not a run folder (no manifest.json)`);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('command-line options', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

  /** A usage error: exit 2, the message, then how the command is called. */
  function expectUsageError(result: ReturnType<typeof run>, message: string, command: string): void {
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`error: ${message}`);
    expect(result.stderr).toContain(`usage: lstm-state-timeline ${command} `);
  }

  it('train puts runs in --runs-dir; the old --out and unknown options are refused by name before anything is written', () => {
    const workspace = tempWorkspace();
    const config = writeConfig(workspace, 'e.lstm.json', smallConfig({ training: { epochs: 1 } }));
    const runsDir = path.join(workspace, 'elsewhere');
    const trained = run('train', config, '--runs-dir', runsDir, '--json', '--backend', 'wasm');
    expect(trained.status).toBe(0);
    const { runDir } = JSON.parse(trained.stdout.trim().split('\n').at(-1)!);
    expect(path.dirname(runDir)).toBe(runsDir);

    expectUsageError(
      run('train', config, '--out', path.join(workspace, 'out')),
      '--out is no longer an option of "train": use --runs-dir DIR',
      'train',
    );
    expectUsageError(run('train', config, '--bogus'), 'unknown option --bogus for "train"', 'train');
    expectUsageError(run('train', config, '-x'), 'unknown option -x for "train"', 'train');
    expectUsageError(run('train', config, '--runs-dir'), "Option '--runs-dir <value>' argument missing", 'train');
    expectUsageError(run('train'), '"train" takes one config file, got none', 'train');
    expect(fs.existsSync(path.join(workspace, 'out'))).toBe(false);
    expect(fs.existsSync(path.join(workspace, '.lstm-runs'))).toBe(false);

    const help = run('train', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('[--runs-dir DIR]');
  });

  it('report writes -o / --output FILE and export writes --npy DIR; --out names the option to use instead', () => {
    const workspace = tempWorkspace();
    const config = writeConfig(workspace, 'f.lstm.json', smallConfig({ training: { epochs: 1 } }));
    const { runDir } = JSON.parse(
      run('train', config, '--json', '--backend', 'wasm').stdout.trim().split('\n').at(-1)!,
    );

    for (const flag of ['-o', '--output']) {
      const file = path.join(workspace, `report${flag}.html`);
      const result = run('report', runDir, flag, file);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`wrote ${file}`);
      expect(fs.readFileSync(file, 'utf8')).toMatch(/^<!doctype html>/i);
    }
    expectUsageError(
      run('report', runDir, '--out', path.join(workspace, 'r.html')),
      '--out is no longer an option of "report": use -o, --output FILE',
      'report',
    );
    expectUsageError(run('report', runDir), '"report" needs -o, --output FILE', 'report');
    expectUsageError(
      run('export', runDir, '--out', path.join(workspace, 'npy')),
      '--out is no longer an option of "export": use --npy DIR',
      'export',
    );
    expectUsageError(run('export', runDir), '"export" needs --npy DIR', 'export');
    expectUsageError(
      run('export', runDir, workspace, '--npy', path.join(workspace, 'npy')),
      '"export" takes one run folder, got 2',
      'export',
    );
    expect(fs.existsSync(path.join(workspace, 'r.html'))).toBe(false);
    expect(fs.existsSync(path.join(workspace, 'npy'))).toBe(false);
  });
});

describe('a run with validation and prediction through the CLI', () => {
  const UNITS = 4;
  let runDir: string;
  let summary: Record<string, unknown>;
  let batches: Array<Record<string, unknown>>;

  beforeAll(() => {
    const workspace = tempWorkspace();
    // Stateful, Keras's shared validation: 30 train samples (3 batches), 10 validate (1), predict on train (3); 2 epochs.
    const config = writeConfig(workspace, 'phases.lstm.json', {
      ...smallConfig({ model: { stateful: true, units: UNITS }, data: { layout: 'continuous' } }),
      resets: 'never',
      validation: { split: 0.25 },
      validationState: 'shared',
      predict: {},
    });
    const result = spawnSync(process.execPath, [cli, 'train', config, '--json', '--backend', 'wasm'], {
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    runDir = summary.runDir as string;
    batches = logRecords(runDir, 'batch');
  });

  it('train --json counts phases and dataContinues as the log has them', () => {
    const count = (phase: string) => batches.filter((b) => b.phase === phase).length;
    expect(summary.phases).toEqual({ train: count('train'), validate: count('validate'), predict: count('predict') });
    expect(summary.phases).toEqual({ train: 6, validate: 2, predict: 3 });
    // Among batches that carry a state.
    const carrying = batches.filter((b) => b.carriedFrom !== null);
    const yes = carrying.filter((b) => b.dataContinues === true).length;
    const no = carrying.filter((b) => b.dataContinues === false).length;
    expect(summary.dataContinues).toEqual({ yes, no });
    expect(yes).toBeGreaterThan(0);
    expect(no).toBeGreaterThan(0);
  });

  it('export writes phase and dataContinues per batch, and every phase’s tensors at its step in the same arrays', () => {
    const out = path.join(path.dirname(runDir), 'npy');
    const exported = spawnSync(process.execPath, [cli, 'export', runDir, '--npy', out], { encoding: 'utf8' });
    expect(exported.status, exported.stderr).toBe(0);
    const causes = JSON.parse(fs.readFileSync(path.join(out, 'causes.json'), 'utf8')).batches;
    expect(
      causes.map((b: Record<string, unknown>) => [b.step, b.phase, b.cause, b.carriedFrom, b.dataContinues]),
    ).toEqual(batches.map((b) => [b.step, b.phase, b.cause, b.carriedFrom, b.dataContinues]));
    const table = readCsvTable(path.join(out, 'batches.csv'));
    expect(table.map((row) => [row.step, row.phase, row.data_continues])).toEqual(
      batches.map((b) => [String(b.step), b.phase, b.dataContinues === null ? '' : String(b.dataContinues)]),
    );
    // h0.npy and h.npy: step k holds step k's states as states.bin has them, whatever its phase.
    const h0 = readNpyFile(path.join(out, 'h0.npy'));
    const h = readNpyFile(path.join(out, 'h.npy'));
    expect(h0.shape).toEqual([batches.length, 10, UNITS]);
    const block = 10 * UNITS;
    const at = (array: { values: Float32Array | Int32Array }, step: number) =>
      Array.from(array.values.subarray(step * block, (step + 1) * block));
    batches.forEach((batch, step) => {
      const [saved] = statesOfBatch(runDir, batch, [UNITS]);
      expect(at(h0, step), `h0 of step ${step} (${batch.phase})`).toEqual(Array.from(saved.h0));
      expect(at(h, step), `h of step ${step} (${batch.phase})`).toEqual(Array.from(saved.h));
    });
    // Across phases in the arrays: epoch 2's first training batch starts from validation's final state.
    const epoch2 = batches.findIndex((b) => b.phase === 'train' && b.epoch === 1);
    const from = batches[epoch2].carriedFrom as number;
    expect(batches[from].phase).toBe('validate');
    expect(at(h0, epoch2)).toEqual(at(h, from));
    // And the prediction starts from the last validation batch's.
    const predict = batches.findIndex((b) => b.phase === 'predict');
    expect(batches[predict].carriedFrom).toBe(predict - 1);
    expect(at(h0, predict)).toEqual(at(h, predict - 1));
  });
});
