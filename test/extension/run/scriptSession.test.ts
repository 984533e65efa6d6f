/** Script sessions against the real recorder and Debian's python3-torch: binding to announced folders, controls, failures. */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunManager } from '../../../src/extension/run/runManager';
import type { RunSession } from '../../../src/extension/run/runSession';
import { RunRepository } from '../../../src/extension/runs/runRepository';
import { readRun } from '../../../src/runStore/readRun';
import {
  MemoryLog,
  PYTORCH_EXAMPLES,
  RECORDER_DIR,
  TORCH_PYTHON,
  fakePython,
  scriptLaunch,
  tempWorkspace,
  waitFor,
} from '../helpers';

const TBPTT = path.join(PYTORCH_EXAMPLES, 'tbptt_correct.py');

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

function setup() {
  const log = new MemoryLog();
  const repository = new RunRepository(log);
  const manager = new RunManager(log, repository);
  cleanup.push(async () => {
    await manager.terminateAll(500);
    manager.dispose();
    repository.dispose();
  });
  return { log, manager, repository, workspace: tempWorkspace('lstm-script-') };
}

function statesOf(session: RunSession): string[] {
  const states = [session.state as string];
  session.onDidChange(() => states.at(-1) !== session.state && states.push(session.state));
  return states;
}

function writeScript(workspace: string, name: string, body: string): string {
  const file = path.join(workspace, name);
  fs.writeFileSync(file, body);
  return file;
}

describe('script session: the recorder run from the editor', () => {
  it('records the truncated-BPTT example: binds to the announced folder, follows it to finished', async () => {
    const { manager, repository, workspace } = setup();
    const session = manager.startScript(scriptLaunch(workspace, TBPTT, { args: ['2'], stride: 200 }));
    const states = statesOf(session);
    await session.exited;
    expect(states).toEqual(['starting', 'running', 'finished']);
    expect(session.runDirs).toHaveLength(1);
    expect(path.dirname(session.runDir!)).toBe(path.join(workspace, '.lstm-runs'));
    expect(repository.get(session.runDir!)).toBe(session.model);
    // 2 epochs × 5 batches: each epoch starts from `None` (auto), then carries.
    expect(session.model!.batches.map((b) => b.cause)).toEqual(
      [...Array(2)].flatMap(() => ['auto', ...Array(4).fill('carried')]),
    );
    const run = readRun(session.runDir!);
    expect(run.status).toBe('finished');
    expect(run.manifest.configPath).toBe(session.configPath);
    expect(run.manifest.writer.name).toBe('pytorch-recorder');
    expect(session.answer).toMatch(/^recorded: carried row for row in 8 of 10 batches/);
    expect(manager.contextState()).toEqual({ running: false, paused: false, stateful: false });
  });

  it('a script with two recurrent modules: one run folder each, both followed, one state', async () => {
    const { manager, workspace } = setup();
    const script = writeScript(
      workspace,
      'two_modules.py',
      [
        'import torch',
        'encoder = torch.nn.LSTM(2, 3)',
        'decoder = torch.nn.GRU(2, 4)',
        'x = torch.zeros(5, 2, 2)',
        'a = b = None',
        'for _ in range(3):',
        '    _, a = encoder(x, a)',
        '    _, b = decoder(x, b)',
      ].join('\n'),
    );
    const session = manager.startScript(scriptLaunch(workspace, script));
    await session.exited;
    expect(session.state).toBe('finished');
    expect(session.runDirs).toHaveLength(2);
    expect(session.models.map((model) => model.manifest.model.kind)).toEqual(['lstm', 'gru']);
    for (const model of session.models) {
      expect(model.status).toBe('finished');
      expect(model.batches.map((b) => b.cause)).toEqual(['auto', 'carried', 'carried']);
      expect(manager.sessionFor(model.runDir)).toBe(session);
    }
  });

  it('pause waits until resume, Reset States Now lands as manual at the next call, stop ends it stopped', async () => {
    const { manager, workspace } = setup();
    const session = manager.startScript(scriptLaunch(workspace, TBPTT, { args: ['5000'], stride: 200 }));
    const states = statesOf(session);
    await waitFor(() => (session.lastBatch?.step ?? -1) >= 2, 60_000, 'three batches');
    expect(manager.contextState()).toEqual({ running: true, paused: false, stateful: true });
    const runDir = session.runDir!;

    expect(manager.send(runDir, { type: 'pause' })).toBe(true);
    await waitFor(() => session.state === 'paused', 15_000, 'paused');
    expect(manager.contextState().paused).toBe(true);
    const held = session.model!.batches.length;
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(readRun(runDir).batches).toHaveLength(held);

    expect(manager.send(runDir, { type: 'resetNow' })).toBe(true);
    expect(manager.send(runDir, { type: 'resume' })).toBe(true);
    await waitFor(() => session.counts.manual === 1, 15_000, 'the manual reset');
    expect(session.state).toBe('running');

    expect(manager.send(runDir, { type: 'stop' })).toBe(true);
    expect(session.state).toBe('stopping');
    await session.exited;
    expect(states).toEqual(['starting', 'running', 'paused', 'running', 'stopping', 'stopped']);
    const run = readRun(runDir);
    expect(run.status).toBe('stopped');
    // The reset record names the step it precedes, and that step started from zeros as `manual`.
    const reset = run.resets.find((r) => r.cause === 'manual')!;
    const manual = run.batches.filter((b) => b.cause === 'manual');
    expect(manual.map((b) => b.step)).toEqual([reset.beforeStep]);
    expect(reset.beforeStep).toBeGreaterThanOrEqual(held);
    expect(manual[0].meanNorms[0].h0).toBe(0);
    const stateRecords = fs
      .readFileSync(path.join(runDir, 'log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((record) => record.t === 'state');
    expect(stateRecords.map((record) => record.status)).toEqual(['paused', 'running']);
  });

  it("the script's exception fails the run with its message, file and line; its batches stay readable", async () => {
    const { manager, workspace } = setup();
    const script = writeScript(
      workspace,
      'breaks.py',
      [
        'import torch',
        'lstm = torch.nn.LSTM(1, 2)',
        'state = None',
        'for _ in range(3):',
        '    _, state = lstm(torch.zeros(4, 2, 1), state)',
        'raise ValueError("batch 4 is broken")',
      ].join('\n'),
    );
    const session = manager.startScript(scriptLaunch(workspace, script));
    await session.exited;
    expect(session.state).toBe('failed');
    expect(session.failure).toMatchObject({ file: script, line: 6 });
    expect(session.failure!.message).toMatch(/ValueError: batch 4 is broken/);
    expect(readRun(session.runDir!).batches).toHaveLength(3);
  });

  it('a Python without torch fails before any run with one clear error saying what to do', async () => {
    const { manager, workspace } = setup();
    // Debian's python3 with its site-packages off: a real interpreter that cannot import torch.
    const python = fakePython(workspace, `exec ${TORCH_PYTHON} -S "$@"`);
    const session = manager.startScript(scriptLaunch(workspace, TBPTT, { python }));
    await session.exited;
    expect(session.state).toBe('failed');
    expect(session.runDir).toBeUndefined();
    expect(session.failure!.message).toMatch(
      /^torch is not installed for .*python3\. Install it \(Debian\/Ubuntu: sudo apt install python3-torch; .*\), or set "lstmState\.pythonPath"/,
    );
    expect(fs.existsSync(path.join(workspace, '.lstm-runs'))).toBe(false);
  });

  it('a missing interpreter is one clear error naming it and the setting', async () => {
    const { manager, workspace } = setup();
    const python = path.join(workspace, 'no-such-python');
    const session = manager.startScript(scriptLaunch(workspace, TBPTT, { python }));
    await session.exited;
    expect(session.state).toBe('failed');
    expect(session.failure!.message).toBe(
      `the Python interpreter "${python}" was not found. Install Python 3 with torch (Debian/Ubuntu: sudo apt install python3-torch), or set "lstmState.pythonPath" to a Python that has torch (e.g. /usr/bin/python3), or select one with the Python extension.`,
    );
  });

  it('a script that never calls an LSTM says nothing was recorded', async () => {
    const { manager, workspace } = setup();
    const script = writeScript(workspace, 'no_lstm.py', 'print("hello")\n');
    const session = manager.startScript(scriptLaunch(workspace, script));
    await session.exited;
    expect(session.state).toBe('failed');
    expect(session.failure!.message).toBe(
      'no_lstm.py ended without calling any nn.LSTM, nn.GRU or nn.RNN: nothing was recorded',
    );
  });
});

describe('a run started outside this window is controlled through its control file', () => {
  it('reset lands as manual, pause and resume show, stop ends it stopped', async () => {
    const { manager, repository, workspace } = setup();
    const runsDir = path.join(workspace, 'runs');
    const child = spawn(TORCH_PYTHON, ['-m', 'lstm_state_timeline', '--runs-dir', runsDir, TBPTT, '5000'], {
      cwd: workspace,
      env: { ...process.env, PYTHONPATH: RECORDER_DIR },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('close', resolve));
    cleanup.push(() => child.kill('SIGKILL'));
    await waitFor(() => fs.existsSync(runsDir) && fs.readdirSync(runsDir).length > 0, 60_000, 'a run folder');
    const runDir = path.join(runsDir, fs.readdirSync(runsDir)[0]);
    await waitFor(() => fs.existsSync(path.join(runDir, 'manifest.json')), 15_000, 'the manifest');
    // What the Runs tree does when it lists a live run: the repository follows it.
    const model = await repository.open(runDir);
    // Once the repository has read (and indexed) its batches, the manager knows it as a live run of another writer.
    await waitFor(() => manager.liveTarget(runDir) !== undefined, 30_000, 'the live run');
    expect(manager.liveTarget(runDir)).toEqual({ model });
    expect(manager.contextState()).toEqual({ running: true, paused: false, stateful: true });

    expect(manager.send(runDir, { type: 'pause' })).toBe(true);
    await waitFor(() => model.status === 'paused', 15_000, 'paused');
    expect(manager.contextState().paused).toBe(true);
    expect(manager.send(runDir, { type: 'resetNow' })).toBe(true);
    expect(manager.send(runDir, { type: 'resume' })).toBe(true);
    await waitFor(() => model.counts.manual === 1, 15_000, 'the manual reset');
    expect(manager.send(runDir, { type: 'stop' })).toBe(true);
    await exited;
    await repository.refresh(runDir);
    await waitFor(() => model.status === 'stopped', 15_000, 'stopped');
    expect(manager.contextState()).toEqual({ running: false, paused: false, stateful: false });
    expect(
      fs
        .readFileSync(path.join(runDir, 'control.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).type),
    ).toEqual(['pause', 'resetNow', 'resume', 'stop']);
  });
});
