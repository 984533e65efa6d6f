/** The built CLI's `record` as a user runs it, with Debian's python3-torch and the repository's examples. */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/runStore/readRun';
import { rawBatches, rawNorms, rawRecords, rawStates } from '../helpers/rawRun';

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

  it('takes "schedule 3" then "schedule epoch" from stdin: zeros at exactly the batches each schedule names, recorded with its cause', async () => {
    const runsDir = temp();
    const child = spawn(
      process.execPath,
      [cli, 'record', '--runs-dir', runsDir, '--json', '--', PYTHON, 'tbptt_correct.py', '5000'],
      { cwd: examples, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise((resolve) => child.on('close', resolve));
    await waitFor(() => stderr.includes('epoch 0: loss'));
    const runDir = path.join(runsDir, fs.readdirSync(runsDir)[0]);
    const schedules = (records: Array<Record<string, unknown>>) => records.filter((r) => r.t === 'schedule');
    const batchesFrom = (records: Array<Record<string, unknown>>, step: number) =>
      records.filter((r) => r.t === 'batch' && (r.step as number) >= step).length;
    child.stdin.write('schedule 3\n');
    await waitForLog(
      runDir,
      (r) => schedules(r).length === 1 && batchesFrom(r, schedules(r)[0].fromStep as number) >= 12,
    );
    child.stdin.write('schedule epoch\n');
    await waitForLog(
      runDir,
      (r) => schedules(r).length === 2 && batchesFrom(r, schedules(r)[1].fromStep as number) >= 12,
    );
    child.stdin.end('stop\n');
    await exited;
    expect(child.exitCode).toBe(0);
    expect(stderr).toContain('setResetSchedule sent to the run: it acts at the next call');

    const records = rawRecords(runDir);
    const [every3, atEpoch] = schedules(records) as Array<{ schedule: unknown; fromStep: number }>;
    expect(every3.schedule).toEqual({ everyBatches: 3 });
    expect(atEpoch.schedule).toBe('epoch');
    // What the script does (state None at each epoch's first batch, else the last final state),
    // with the schedule's zeros on top: every 3rd training batch counted from the run's start,
    // then the first batch of every epoch (5 batches an epoch).
    const expected = (step: number) => {
      if (step >= atEpoch.fromStep) return step % 5 === 0 ? 'epoch' : 'carried';
      if (step >= every3.fromStep && step % 3 === 0) return 'schedule';
      return step % 5 === 0 ? 'auto' : 'carried';
    };
    const batches = rawBatches(runDir);
    expect(batches.map((b) => b.cause)).toEqual(batches.map((b) => expected(b.step)));
    const scheduled = batches.filter((b) => b.cause === 'schedule' || b.cause === 'epoch');
    expect(scheduled.filter((b) => b.cause === 'schedule').length).toBeGreaterThanOrEqual(4);
    expect(scheduled.filter((b) => b.cause === 'epoch').length).toBeGreaterThanOrEqual(2);
    for (const batch of scheduled) {
      // Zeros where a state was given: the script passed the previous final state (non-zero) or None.
      const states = rawStates(runDir, batch);
      expect(
        [...states.h0, ...states.c0].every((v) => v === 0),
        `step ${batch.step}`,
      ).toBe(true);
      expect([...rawNorms(runDir, batch).h0].every((v) => v === 0)).toBe(true);
      expect(rawStates(runDir, batches[batch.step - 1]).h.some((v) => v !== 0)).toBe(true);
      expect(batch).toMatchObject({ carriedFrom: null, flags: [] });
      // A reset record names it, before its batch line.
      const reset = records.findIndex((r) => r.t === 'reset' && r.beforeStep === batch.step);
      expect(records[reset]).toMatchObject({ cause: batch.cause, epoch: batch.epoch, batch: batch.batch });
      expect(reset).toBeLessThan(records.indexOf(records.find((r) => r.t === 'batch' && r.step === batch.step)!));
    }
    // The carried batches in between still continue the previous call bitwise.
    const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    for (const batch of batches.filter((b) => b.cause === 'carried' && b.step > every3.fromStep))
      expect(bytes(rawStates(runDir, batch).h0).equals(bytes(rawStates(runDir, batches[batch.step - 1]).h))).toBe(true);
    const summary = lastJson(stdout);
    expect(summary).toMatchObject({ status: 'stopped', runDir });
    expect(summary.resets).toMatchObject({
      schedule: batches.filter((b) => b.cause === 'schedule').length,
      epoch: batches.filter((b) => b.cause === 'epoch').length,
    });
    expect(readRun(runDir).batches.map((b) => b.cause)).toEqual(batches.map((b) => b.cause));
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

/** Polls until `done` holds. */
async function waitFor(done: () => boolean): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > 60_000) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

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
