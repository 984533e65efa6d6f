/**
 * The command handlers on python configs and recorded runs, against the real recorder (Debian's
 * python3-torch) with recorded `vscode` UI: Start Training, the interpreter choice, the errors,
 * and the controls from the palette, the tree and the panel.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import * as vscode from 'vscode';
import { commandHandlers } from '../../../src/extension/commands/registerCommands';
import type { Services } from '../../../src/extension/commands/services';
import { RunJobs } from '../../../src/jobs/runJobs';
import { PYTHON_EXTENSION_ID } from '../../../src/extension/run/pythonInterpreter';
import { RunManager } from '../../../src/extension/run/runManager';
import type { RunSession } from '../../../src/extension/run/runSession';
import type { ScriptSession } from '../../../src/extension/run/scriptSession';
import { RunRepository } from '../../../src/extension/runs/runRepository';
import { RunFolders } from '../../../src/extension/tree/runFolders';
import { RunsTreeProvider } from '../../../src/extension/tree/runsTreeProvider';
import { trackContextKeys } from '../../../src/extension/ui/contextKeys';
import { notifyRunEnded } from '../../../src/extension/ui/runNotifications';
import { RunStatusBar } from '../../../src/extension/ui/runStatusBar';
import { readRun } from '../../../src/runStore/readRun';
import {
  FAKE_TRAINER,
  MemoryLog,
  PYTORCH_EXAMPLES,
  RECORDER_DIR,
  TORCH_PYTHON,
  fakePython,
  tempWorkspace,
  waitFor,
} from '../helpers';
import { EventEmitter, installStubs, memento, type Recorder } from '../vscodeStubs';
import { rawBatches, rawNorms, rawRecords, rawStates, type RawBatch } from '../../helpers/rawRun';

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

type StubOptions = Parameters<typeof installStubs>[0];

/** A workspace holding the truncated-BPTT example and a python config for it. */
function setup(options: StubOptions = {}, python: Record<string, unknown> = { args: ['2'], stride: 200 }) {
  const workspace = tempWorkspace('lstm-pycmd-');
  for (const file of ['tbptt_correct.py', 'sine.py'])
    fs.copyFileSync(path.join(PYTORCH_EXAMPLES, file), path.join(workspace, file));
  const configPath = path.join(workspace, 'tbptt.lstm.json');
  fs.writeFileSync(configPath, JSON.stringify({ python: { script: 'tbptt_correct.py', ...python } }));
  const recorder = installStubs({ workspaceFolder: workspace, ...options });
  const log = new MemoryLog();
  const repository = new RunRepository(log);
  const runs = new RunManager(log, repository);
  const folders = new RunFolders(memento());
  const tree = new RunsTreeProvider(repository, () => folders.listRunDirs(), 1_000_000);
  const shownPanels: string[] = [];
  const services: Services = {
    context: { extensionPath: path.join(__dirname, '../../..') } as vscode.ExtensionContext,
    repository,
    runs,
    folders,
    tree,
    treeView: vscode.window.createTreeView('lstmState.runs', { treeDataProvider: tree }),
    panels: { show: (runDir) => shownPanels.push(runDir), reveal: () => undefined },
    // The panels these tests open are not on screen: a live run's progress is a notification.
    panelVisibility: { isVisible: () => false, onDidChangeVisibility: new EventEmitter<string>().event },
    log: vscode.window.createOutputChannel('x', { log: true }),
    jobs: new RunJobs(path.join(__dirname, '../../../dist/runJobs.js')),
    trainerPath: FAKE_TRAINER,
    intervalMs: () => 10,
  };
  const keys = trackContextKeys(runs);
  cleanup.push(async () => {
    keys.dispose();
    services.jobs.dispose();
    await runs.terminateAll(500);
    runs.dispose();
    tree.dispose();
    folders.dispose();
    repository.dispose();
  });
  const handlers = commandHandlers(services);
  const run = (id: string, arg?: unknown) => handlers[id](arg as undefined);
  const start = async () => (await run('lstmState.startTraining', vscode.Uri.file(configPath))) as ScriptSession;
  return { workspace, configPath, recorder, log, runs, repository, shownPanels, run, start };
}

const withTorch = { settings: { 'lstmState.pythonPath': TORCH_PYTHON } };
const last = (recorder: Recorder) => recorder.shown[recorder.shown.length - 1];

describe('Start Training on a python config', () => {
  it('records the script with lstmState.pythonPath, opens its timeline and follows it to finished', async () => {
    const { start, recorder, shownPanels, configPath, log, workspace } = setup(withTorch);
    const session = await start();
    expect(session.launch.python).toBe(TORCH_PYTHON);
    expect(recorder.contexts['lstmState.running']).toBe(true);
    await waitFor(() => shownPanels.length === 1, 60_000, 'the panel');
    expect(shownPanels).toEqual([session.runDir]);
    expect(path.dirname(session.runDir!)).toBe(path.join(workspace, '.lstm-runs'));
    await session.exited;
    expect(session.state).toBe('finished');
    expect(session.counts).toMatchObject({ auto: 2, carried: 8 });
    expect(readRun(session.runDir!).manifest.configPath).toBe(configPath);
    expect(log.lines.some((l) => l.includes(`recording with ${TORCH_PYTHON} (setting lstmState.pythonPath)`))).toBe(
      true,
    );
    expect(recorder.contexts).toEqual({
      'lstmState.running': false,
      'lstmState.paused': false,
      'lstmState.stateful': false,
    });
  });

  it("without the setting, the Python extension's selected interpreter records it", async () => {
    const api = {
      environments: {
        getActiveEnvironmentPath: () => ({ id: 'debian', path: '/usr' }),
        resolveEnvironment: async () => ({ executable: { uri: vscode.Uri.file(TORCH_PYTHON) } }),
      },
    };
    const extension = { isActive: false, exports: undefined, activate: async () => api };
    const { start } = setup({ extensions: { [PYTHON_EXTENSION_ID]: extension } });
    const session = await start();
    expect(session.launch).toMatchObject({
      python: TORCH_PYTHON,
      pythonSource: 'the interpreter selected in the Python extension',
    });
    await session.exited;
    expect(session.state).toBe('finished');
  });

  it('without either, python3 on PATH; one that lacks torch ends in one error saying how to install it', async () => {
    const { start, recorder, workspace } = setup();
    // python3 on PATH is Debian's with its site-packages off: a real interpreter without torch.
    const bin = path.join(workspace, 'bin');
    fs.mkdirSync(bin);
    fakePython(bin, `exec ${TORCH_PYTHON} -S "$@"`);
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
    cleanup.push(() => (process.env.PATH = savedPath));
    const session = await start();
    expect(session.launch.python).toBe('python3');
    await session.exited;
    expect(session.state).toBe('failed');
    recorder.answer = () => undefined;
    await notifyRunEnded(session, () => undefined);
    expect(last(recorder)).toBe(
      'error: LSTM: training tbptt.lstm.json failed: torch is not installed for python3. Install it (Debian/Ubuntu: sudo apt install python3-torch; elsewhere: pip install torch), or set "lstmState.pythonPath" to a Python that has torch (e.g. /usr/bin/python3), or select one with the Python extension.',
    );
  });

  it('a missing script is refused before anything runs, with the field to go to', async () => {
    const { run, recorder, runs, configPath, workspace } = setup(withTorch, { script: 'nope.py' });
    recorder.answer = () => undefined;
    expect(await run('lstmState.startTraining', vscode.Uri.file(configPath))).toBeUndefined();
    expect(runs.liveRuns()).toHaveLength(0);
    expect(last(recorder)).toBe(
      `error: LSTM: tbptt.lstm.json cannot run: python.script: script not found: ${path.join(workspace, 'nope.py')}. Give the path of your training script relative to the config file.`,
    );
  });

  it('is refused in an untrusted workspace', async () => {
    const { start, recorder, runs } = setup({ ...withTorch, trusted: false });
    expect(await start()).toBeUndefined();
    expect(runs.liveRuns()).toHaveLength(0);
    expect(last(recorder)).toMatch(/^warning: LSTM: training needs a trusted workspace/);
  });
});

describe('controls on a recorded run', () => {
  it('from the panel and the tree: pause holds it, Reset States Now lands as manual, stop ends it stopped', async () => {
    const { start, run, recorder } = setup(withTorch, { args: ['5000'], stride: 200 });
    const session: RunSession = await start();
    await waitFor(() => (session.lastBatch?.step ?? -1) >= 1, 60_000, 'batches');
    const runDir = session.runDir!;
    // A recorded script passes its own state (stateful null): it can be reset.
    expect(recorder.contexts['lstmState.stateful']).toBe(true);
    await run('lstmState.pauseTraining', runDir); // the panel's toolbar names its run folder
    await waitFor(() => session.state === 'paused', 15_000, 'paused');
    expect(recorder.contexts['lstmState.paused']).toBe(true);
    await run('lstmState.resetStatesNow', { kind: 'run', runDir }); // a Runs tree item
    expect(recorder.shown).toContain(
      'status: $(debug-restart) LSTM: states will be zeroed before the next batch (recorded as a manual reset)',
    );
    await run('lstmState.resumeTraining', runDir);
    await waitFor(() => session.counts.manual === 1, 15_000, 'the manual reset');
    await run('lstmState.stopTraining', { kind: 'run', runDir });
    await session.exited;
    expect(session.state).toBe('stopped');
    expect(readRun(runDir).status).toBe('stopped');
  });

  it('Set Reset Schedule, every 4 batches: the saved run has zeros at exactly those batches, cause schedule', async () => {
    const { start, run, recorder } = setup(withTorch, { args: ['5000'], stride: 200 });
    const session = await start();
    await waitFor(() => (session.lastBatch?.step ?? -1) >= 1, 60_000, 'batches');
    const runDir = session.runDir!;
    recorder.answer = (kind, _title, items) => {
      if (kind === 'pick') return (items as Array<{ label: string }>).find((i) => i.label === 'Every N batches…');
      return kind === 'input' ? '4' : undefined;
    };
    await run('lstmState.setResetSchedule', runDir); // the panel's toolbar names its run folder
    expect(recorder.shown).toEqual(
      expect.arrayContaining([
        'pick: Set Reset Schedule',
        'input: Reset every N batches',
        'status: LSTM: states now reset every 4 batches, from the next batch',
      ]),
    );
    await waitFor(() => session.counts.schedule >= 3, 30_000, 'three scheduled resets');
    await run('lstmState.stopTraining', runDir);
    await session.exited;
    expect(session.state).toBe('stopped');

    const records = rawRecords(runDir);
    const [change, ...more] = records.filter((r) => r.t === 'schedule');
    expect(more).toEqual([]);
    expect(change.schedule).toEqual({ everyBatches: 4 });
    const from = change.fromStep as number;
    // The script starts each epoch (5 batches) from None and carries the state otherwise; from the
    // change on, every 4th training batch of the run starts from zeros by the schedule.
    const batches = rawBatches(runDir);
    const expected = (step: number) =>
      step >= from && step % 4 === 0 ? 'schedule' : step % 5 === 0 ? 'auto' : 'carried';
    expect(batches.map((b) => b.cause)).toEqual(batches.map((b) => expected(b.step)));
    for (const batch of batches.filter((b) => b.cause === 'schedule')) {
      const states = rawStates(runDir, batch);
      expect(
        [...states.h0, ...states.c0].every((v) => v === 0),
        `step ${batch.step}`,
      ).toBe(true);
      expect([...rawNorms(runDir, batch).c0].every((v) => v === 0)).toBe(true);
      expect(records.find((r) => r.t === 'reset' && r.beforeStep === batch.step)).toMatchObject({ cause: 'schedule' });
    }
    // The views count what the log says.
    expect(session.counts.schedule).toBe(batches.filter((b) => b.cause === 'schedule').length);
  });

  it('a run started outside the editor: the palette commands reach it through its control file', async () => {
    const { run, recorder, repository, workspace } = setup();
    const runsDir = path.join(workspace, 'cli-runs');
    const child = spawn(
      TORCH_PYTHON,
      ['-m', 'lstm_state_timeline', '--runs-dir', runsDir, path.join(workspace, 'tbptt_correct.py'), '5000'],
      { cwd: workspace, env: { ...process.env, PYTHONPATH: RECORDER_DIR }, stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => child.on('close', resolve));
    cleanup.push(() => child.kill('SIGKILL'));
    await waitFor(() => fs.existsSync(runsDir) && fs.readdirSync(runsDir).length > 0, 60_000, 'a run folder');
    const runDir = path.join(runsDir, fs.readdirSync(runsDir)[0]);
    await waitFor(() => fs.existsSync(path.join(runDir, 'manifest.json')), 15_000, 'its manifest');
    const model = await repository.open(runDir); // as the Runs tree does for a live run it lists
    await waitFor(() => recorder.contexts['lstmState.running'] === true, 30_000, 'the running context key');
    await run('lstmState.pauseTraining');
    await waitFor(() => model.status === 'paused', 15_000, 'paused');
    await waitFor(() => recorder.contexts['lstmState.paused'] === true, 5_000, 'the paused context key');
    await run('lstmState.resetStatesNow');
    await run('lstmState.resumeTraining');
    await waitFor(() => model.counts.manual === 1, 15_000, 'the manual reset');
    await run('lstmState.stopTraining');
    await exited;
    await repository.refresh(runDir);
    await waitFor(() => recorder.contexts['lstmState.running'] === false, 15_000, 'the context keys cleared');
    expect(readRun(runDir).status).toBe('stopped');
  });
});

/** Batches that started from zeros, as the status bar counts resets. */
const ZERO_STARTS = ['auto', 'first', 'epoch', 'schedule', 'manual', 'phase', 'zeros'];

/** The status bar's text for the last batch of a saved run: epochs unknown to a script, 5 batches an epoch. */
function expectedText(icon: string, prefix: string, batches: RawBatch[]): string {
  const last = batches[batches.length - 1];
  const resets = batches.filter((b) => ZERO_STARTS.includes(b.cause)).length;
  const loss = (last.loss as number).toPrecision(4);
  return `$(${icon}) LSTM ${prefix}epoch ${last.epoch + 1} · batch ${last.batch + 1}/5 · loss ${loss} · resets ${resets}`;
}

describe('the status bar on a recorded run', () => {
  it('follows it live batch by batch, holds still while paused, and shows how it ended', async () => {
    const { start, run, recorder, runs } = setup(withTorch, { args: ['5000'], stride: 200 });
    const first = recorder.statusBarItems.length;
    const bar = new RunStatusBar(runs, () => 0);
    cleanup.push(() => bar.dispose());
    const item = recorder.statusBarItems[first];
    const session = await start();
    // While it runs, the item repaints as batches arrive: collect what it shows until epoch 3.
    const seen = new Set<string>();
    await waitFor(() => (item.visible && seen.add(item.text), (session.lastBatch?.epoch ?? 0) >= 2), 60_000, 'epoch 3');
    // Before its first batch the run folder exists but no batch does; then each text is a batch's.
    const running = [...seen].filter((text) => text.startsWith('$(sync~spin) LSTM epoch'));
    const batchTexts = running.filter((text) => text !== '$(sync~spin) LSTM epoch 1 · batch 0/5 · resets 0');
    expect(batchTexts.length).toBeGreaterThanOrEqual(3);
    for (const text of batchTexts)
      expect(text).toMatch(/^\$\(sync~spin\) LSTM epoch \d+ · batch [1-5]\/5 · loss \d\.\d{3,4} · resets \d+$/);
    const runDir = session.runDir!;
    expect(item.command).toMatchObject({ command: 'lstmState.openTimeline', arguments: [runDir] });

    await run('lstmState.pauseTraining', runDir);
    await waitFor(() => session.state === 'paused', 15_000, 'paused');
    // Paused: the last batch the log holds, as the log says it; nothing moves while it waits.
    const logged = rawBatches(runDir);
    expect(item.text).toBe(expectedText('debug-pause', '', logged));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(item.text).toBe(expectedText('debug-pause', '', logged));
    expect(rawBatches(runDir)).toHaveLength(logged.length);
    await run('lstmState.stopTraining', runDir);
    await session.exited;
    expect(session.state).toBe('stopped');
    const batches = rawBatches(runDir);
    expect(rawRecords(runDir).at(-1)).toMatchObject({ t: 'end', status: 'stopped' });
    expect(item.text).toBe(expectedText('debug-stop', 'stopped · ', batches));
    expect(item.visible).toBe(true);
    // Every text shown while it ran is the saved run's state after one of its batches.
    for (const text of batchTexts)
      expect(
        batches.some((_, i) => text === expectedText('sync~spin', '', batches.slice(0, i + 1))),
        text,
      ).toBe(true);
  });
});
