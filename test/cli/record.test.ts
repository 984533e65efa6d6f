/** The built CLI's `record` as a user runs it, with Debian's python3-torch and the repository's examples. */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/runStore/readRun';

const cli = path.resolve(__dirname, '../../dist/cli.js');
const examples = path.resolve(__dirname, '../../examples/pytorch');
const PYTHON = '/usr/bin/python3';

const temp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-record-'));
const record = (...args: string[]) =>
  spawnSync(process.execPath, [cli, 'record', ...args], { encoding: 'utf8', cwd: examples });
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

describe('lstm-state-timeline record', () => {
  it('records the truncated-BPTT example: the answer, and --json alone on stdout with the summary train gives', () => {
    const runsDir = temp();
    const result = record('--runs-dir', runsDir, '--stride', '200', '--json', '--', PYTHON, 'tbptt_correct.py', '3');
    expect(result.status, result.stderr).toBe(0);
    // The script's own prints went to stderr: stdout is the one JSON line.
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('epoch 2: loss');
    expect(result.stderr).toContain('model.lstm: recorded: carried row for row in 12 of 15 batches');
    const summary = lastJson(result.stdout);
    expect(summary).toMatchObject({
      backend: 'pytorch',
      status: 'finished',
      batchesPerEpoch: 5,
      batches: 15,
      module: 'model.lstm',
    });
    expect(summary.resets).toEqual({ auto: 3, first: 0, epoch: 0, schedule: 0, manual: 0, carried: 12 });
    expect(summary.flags).toEqual({ withGraph: 0, fromEval: 0, shuffledData: 0 });
    expect(summary.runDirs).toEqual([summary.runDir]);
    expect(path.dirname(summary.runDir)).toBe(runsDir);
    const run = readRun(summary.runDir);
    expect(run.batches.map((b) => b.cause)).toEqual(
      [...Array(3)].flatMap(() => ['auto', 'carried', 'carried', 'carried', 'carried']),
    );
    // export and report take its run as they take a trainer's.
    const out = path.join(runsDir, 'npy');
    expect(
      spawnSync(process.execPath, [cli, 'export', summary.runDir, '--npy', out], { encoding: 'utf8' }).status,
    ).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'causes.json'), 'utf8'))).toBeTruthy();
    const html = path.join(runsDir, 'report.html');
    expect(spawnSync(process.execPath, [cli, 'report', summary.runDir, '-o', html], { encoding: 'utf8' }).status).toBe(
      0,
    );
    expect(fs.readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/i);
  });

  it('the missing detach(): the flag with its code, its warning sentence, and the answer saying what to do', () => {
    const runsDir = temp();
    const result = record('--runs-dir', runsDir, '--', PYTHON, 'missing_detach.py');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('flags: withGraph (PT001) 24');
    expect(result.stdout).toMatch(
      /warning PT001 \[hx\]: Step 1 \(carried from step 0\): the state passed in still holds its autograd graph/,
    );
    expect(result.stdout).toMatch(/every carried state still held its graph: .* detach\(\) it \(PT001\)/);
    expect(result.stdout).toContain('resets by cause: auto 6, carried 24');
  });

  it('takes pause, reset, resume and stop from stdin: the reset lands as manual, the run ends stopped', async () => {
    const runsDir = temp();
    const child = spawn(
      process.execPath,
      [cli, 'record', '--runs-dir', runsDir, '--json', '--', PYTHON, 'tbptt_correct.py', '5000'],
      {
        cwd: examples,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = new Promise((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (stderr.includes('epoch 1: loss')) resolve();
      }),
    );
    child.stdin.write('pause\n');
    const runDir = path.join(runsDir, fs.readdirSync(runsDir)[0]);
    await waitForLog(runDir, (records) => records.some((r) => r.t === 'state' && r.status === 'paused'));
    child.stdin.write('reset\nresume\n');
    await waitForLog(runDir, (records) => records.some((r) => r.t === 'batch' && r.cause === 'manual'));
    child.stdin.end('stop\n');
    await exited;
    expect(child.exitCode).toBe(0);
    const summary = lastJson(stdout);
    expect(summary).toMatchObject({ status: 'stopped', runDir });
    expect(summary.resets.manual).toBe(1);
    const run = readRun(runDir);
    const manual = run.batches.find((b) => b.cause === 'manual')!;
    expect(run.resets.find((r) => r.cause === 'manual')!.beforeStep).toBe(manual.step);
    expect(stderr).toContain('resetNow sent to the run: it acts at the next call');
  });

  it('a Python without torch: one error saying how to install it, exit 1, no run folder', () => {
    const dir = temp();
    const python = path.join(dir, 'python3');
    // Debian's python3 with its site-packages off: a real interpreter that cannot import torch.
    fs.writeFileSync(python, `#!/bin/sh\nexec ${PYTHON} -S "$@"\n`, { mode: 0o755 });
    const result = record('--runs-dir', path.join(dir, 'runs'), '--', python, 'tbptt_correct.py');
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `error: torch is not installed for ${python}. Install it (Debian/Ubuntu: sudo apt install python3-torch; elsewhere: pip install torch), or name a Python that has torch after --, e.g. \`-- /usr/bin/python3 train.py\`.`,
    ]);
    expect(fs.existsSync(path.join(dir, 'runs'))).toBe(false);
  });

  it('refuses a missing interpreter, a missing script and a command line without --, each in one sentence', () => {
    const dir = temp();
    const missing = record('--runs-dir', dir, '--', '/nonexistent/python3', 'tbptt_correct.py');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('error: the Python interpreter "/nonexistent/python3" was not found.');
    const noScript = record('--runs-dir', dir, '--', PYTHON, 'no_such_script.py');
    expect(noScript.status).toBe(1);
    expect(noScript.stderr.trim()).toBe('error: script not found: no_such_script.py (give the path of a .py file)');
    const noDashes = record('--runs-dir', dir, PYTHON, 'tbptt_correct.py');
    expect(noDashes.status).toBe(2);
    expect(noDashes.stderr).toContain('usage: lstm-state-timeline record ');
    const renamed = record('--out', dir, '--', PYTHON, 'tbptt_correct.py');
    expect(renamed.status).toBe(2);
    expect(renamed.stderr).toContain('--out is no longer an option of "record": use --runs-dir DIR');
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

/** Polls a run's log until `done` holds for its records. */
async function waitForLog(runDir: string, done: (records: Array<Record<string, unknown>>) => boolean): Promise<void> {
  const started = Date.now();
  for (;;) {
    const log = path.join(runDir, 'log.jsonl');
    const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
    const records = text
      .split('\n')
      .filter((line) => line.endsWith('}'))
      .map((line) => JSON.parse(line));
    if (done(records)) return;
    if (Date.now() - started > 30_000) throw new Error(`timed out waiting in ${runDir}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
