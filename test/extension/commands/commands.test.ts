/** The command handlers against a real run manager and the fake trainer, with recorded `vscode` UI. */
import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import * as vscode from 'vscode';
import { commandHandlers } from '../../../src/extension/commands/registerCommands';
import type { Services } from '../../../src/extension/commands/services';
import { RunJobs } from '../../../src/jobs/runJobs';
import { STATELESS_RESET_MESSAGE } from '../../../src/extension/commands/liveCommands';
import { RunManager } from '../../../src/extension/run/runManager';
import { RunRepository } from '../../../src/extension/runs/runRepository';
import { RunFolders } from '../../../src/extension/tree/runFolders';
import { RunsTreeProvider } from '../../../src/extension/tree/runsTreeProvider';
import { trackContextKeys } from '../../../src/extension/ui/contextKeys';
import { notifyRunEnded } from '../../../src/extension/ui/runNotifications';
import { RunStatusBar } from '../../../src/extension/ui/runStatusBar';
import { loadConfig } from '../../../src/config/loadConfig';
import { readRun } from '../../../src/runStore/readRun';
import { FAKE_TRAINER, MemoryLog, fakeLaunch, tempWorkspace, waitFor } from '../helpers';
import { writeRunFolder } from '../runFolder';
import { provide } from '../../shims/vscode';
import { EventEmitter, installStubs, memento, type Recorder } from '../vscodeStubs';

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

function setup(options: { trusted?: boolean } = {}) {
  const workspace = tempWorkspace('lstm-cmd-');
  const recorder = installStubs({ trusted: options.trusted, workspaceFolder: workspace });
  const log = new MemoryLog();
  const repository = new RunRepository(log);
  const runs = new RunManager(log, repository);
  const folders = new RunFolders(memento());
  const tree = new RunsTreeProvider(repository, () => folders.listRunDirs(), 1_000_000, memento());
  const shownPanels: string[] = [];
  const revealed: Array<[string, number]> = [];
  const services: Services = {
    context: { extensionPath: path.join(__dirname, '../../..') } as vscode.ExtensionContext,
    repository,
    runs,
    folders,
    tree,
    treeView: vscode.window.createTreeView('lstmState.runs', { treeDataProvider: tree }),
    panels: { show: (runDir) => shownPanels.push(runDir), reveal: (runDir, step) => revealed.push([runDir, step]) },
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
    await runs.terminateAll(200);
    runs.dispose();
    tree.dispose();
    folders.dispose();
    repository.dispose();
  });
  const handlers = commandHandlers(services);
  const run = (id: string, arg?: unknown) => handlers[id](arg as undefined);
  const config = (name: string, fake: Record<string, unknown>) =>
    vscode.Uri.file(fakeLaunch(workspace, fake, name).configPath);
  return { workspace, recorder, runs, tree, services, shownPanels, revealed, run, config };
}

const last = (recorder: Recorder) => recorder.shown[recorder.shown.length - 1];

describe('commands', () => {
  it('Start Training is refused in an untrusted workspace, with a way to manage trust', async () => {
    const { run, runs, recorder, config } = setup({ trusted: false });
    await run('lstmState.startTraining', config('a', {}));
    expect(runs.liveRuns()).toHaveLength(0);
    expect(last(recorder)).toMatch(/^warning: LSTM: training needs a trusted workspace/);
  });

  it('Start Training runs the config, opens its timeline, sets the context keys, and ends them', async () => {
    const { run, runs, recorder, config, shownPanels } = setup();
    const session = (await run(
      'lstmState.startTraining',
      config('a', { epochs: 1, batchesPerEpoch: 3, delayMs: 30 }),
    )) as ReturnType<RunManager['start']>;
    expect(recorder.contexts['lstmState.running']).toBe(true);
    await waitFor(() => shownPanels.length === 1, 10_000, 'panel shown');
    expect(shownPanels[0]).toBe(session.runDir);
    await session.exited;
    expect(runs.liveRuns()).toHaveLength(0);
    expect(recorder.contexts).toEqual({
      'lstmState.running': false,
      'lstmState.paused': false,
      'lstmState.stateful': false,
    });
  });

  it('a second start of the same config asks first, then stops the live run and starts again', async () => {
    const { run, runs, recorder, config } = setup();
    const uri = config('a', { epochs: 100, delayMs: 10 });
    const first = (await run('lstmState.startTraining', uri)) as ReturnType<RunManager['start']>;
    await waitFor(() => first.state === 'running', 10_000, 'running');
    recorder.answer = () => undefined; // cancel
    expect(await run('lstmState.startTraining', uri)).toBeUndefined();
    expect(last(recorder)).toMatch(/^warning: LSTM: a\.lstm\.json is already training \(running\)/);
    expect(runs.liveFor(uri.fsPath)).toBe(first);
    recorder.answer = (kind) => (kind === 'warning' ? 'Stop and Start Again' : undefined);
    const second = (await run('lstmState.startTraining', uri)) as ReturnType<RunManager['start']>;
    expect(first.state).toBe('stopped');
    expect(second).not.toBe(first);
    expect(runs.liveFor(uri.fsPath)).toBe(second);
  });

  it('Reset States Now on a stateless run explains instead of resetting; on a stateful run it lands at the next batch', async () => {
    const { run, recorder, config } = setup();
    const stateless = (await run('lstmState.startTraining', config('a', { epochs: 100, delayMs: 10 }))) as ReturnType<
      RunManager['start']
    >;
    await waitFor(() => stateless.lastBatch !== undefined, 10_000, 'a batch');
    await run('lstmState.resetStatesNow');
    expect(last(recorder)).toBe(`info: ${STATELESS_RESET_MESSAGE}`);
    await run('lstmState.stopTraining');
    await stateless.exited;
    expect(stateless.state).toBe('stopped');
    const stateful = (await run(
      'lstmState.startTraining',
      config('b', { stateful: true, epochs: 100, delayMs: 10 }),
    )) as ReturnType<RunManager['start']>;
    await waitFor(() => stateful.lastBatch !== undefined, 10_000, 'a batch');
    expect(recorder.contexts['lstmState.stateful']).toBe(true);
    await run('lstmState.resetStatesNow');
    await waitFor(() => stateful.counts.manual === 1, 10_000, 'manual reset');
    expect(recorder.shown.some((s) => s.startsWith('status: $(debug-restart) LSTM: states will be zeroed'))).toBe(true);
  });

  it('pause / resume / stop from the palette act on the only live run; cancelling the progress stops it', async () => {
    const { run, recorder, config } = setup();
    const session = (await run('lstmState.startTraining', config('a', { epochs: 100, delayMs: 10 }))) as ReturnType<
      RunManager['start']
    >;
    await waitFor(() => session.state === 'running', 10_000, 'running');
    await run('lstmState.pauseTraining');
    await waitFor(() => session.state === 'paused', 10_000, 'paused');
    expect(recorder.contexts['lstmState.paused']).toBe(true);
    await run('lstmState.resumeTraining');
    await waitFor(() => session.state === 'running', 10_000, 'resumed');
    recorder.cancelProgress.at(-1)!();
    await session.exited;
    expect(session.state).toBe('stopped');
    expect(readRun(session.runDir!).status).toBe('stopped');
    await run('lstmState.stopTraining');
    expect(last(recorder)).toBe('info: LSTM: no training is running.');
  });

  it('Set Reset Schedule… sends the picked schedule', async () => {
    const { run, recorder, config } = setup();
    const session = (await run(
      'lstmState.startTraining',
      config('a', { stateful: true, epochs: 100, delayMs: 10 }),
    )) as ReturnType<RunManager['start']>;
    await waitFor(() => session.state === 'running', 10_000, 'running');
    recorder.answer = (kind, _title, items) =>
      kind === 'pick' ? (items as Array<{ label: string }>)[2] : kind === 'input' ? '3' : undefined;
    await run('lstmState.setResetSchedule');
    // The trainer acknowledges in the run folder, where the host reads it.
    await waitFor(() => (session.model?.log.schedules.length ?? 0) === 1, 10_000, 'schedule acknowledged');
    expect(session.model!.log.schedules.map((s) => s.schedule)).toEqual([{ everyBatches: 3 }]);
  });

  it('Copy Values, Export Batch and Reveal Batch work on a batch node; Export Run writes NumPy files', async () => {
    const { run, recorder, config, tree, workspace, revealed } = setup();
    const session = (await run(
      'lstmState.startTraining',
      config('a', { stateful: true, epochs: 1, batchesPerEpoch: 3, rows: 2, units: 3, delayMs: 1 }),
    )) as ReturnType<RunManager['start']>;
    await session.exited;
    const node = (await tree.batchNode(session.runDir!, 1))!;
    recorder.answer = (kind) => (kind === 'pick' ? 'JSON' : undefined);
    await run('lstmState.copyValues', node);
    expect(JSON.parse(recorder.clipboard)).toMatchObject({ step: 1, cause: 'carried', carriedFrom: 0 });
    const csvFile = path.join(workspace, 'batch.csv');
    recorder.answer = (kind) => (kind === 'save' ? vscode.Uri.file(csvFile) : undefined);
    await run('lstmState.exportBatch', node);
    expect(fs.readFileSync(csvFile, 'utf8').split('\n')[0]).toBe('layer,state,row,sample,norm,u0,u1,u2');
    await run('lstmState.revealBatch', node);
    expect(revealed).toEqual([[session.runDir, 1]]);
    recorder.answer = (kind) => (kind === 'open' ? [vscode.Uri.file(workspace)] : undefined);
    await run('lstmState.exportRun', session.runDir);
    const outDir = path.join(workspace, `${path.basename(session.runDir!)}-npy`);
    expect(fs.existsSync(path.join(outDir, 'rows.npy'))).toBe(true);
    expect(fs.existsSync(path.join(outDir, 'h0.npy'))).toBe(true);
    expect(last(recorder)).toMatch(/^info: LSTM: exported 3 batches \(3 with full tensors\)/);
    // Export HTML Report: written by the run-job worker, its size in the message.
    const report = path.join(workspace, 'a-report.html');
    recorder.answer = (kind) => (kind === 'save' ? vscode.Uri.file(report) : undefined);
    await run('lstmState.exportReport', session.runDir);
    const megabytes = (fs.statSync(report).size / 1048576).toFixed(2);
    expect(fs.readFileSync(report, 'utf8')).toContain('id="lstm-report-data"');
    expect(last(recorder)).toBe(`info: LSTM: wrote a-report.html (${megabytes} MB)`);
  });

  it('Export Run and Export HTML Report of a damaged run show an error naming the file', async () => {
    const { run, recorder, workspace } = setup();
    const runDir = path.join(workspace, '.lstm-runs', 'broken');
    fs.mkdirSync(runDir, { recursive: true });
    fs.writeFileSync(path.join(runDir, 'manifest.json'), '{"formatVersion": 2,');
    const manifest = path.join(runDir, 'manifest.json');
    recorder.answer = (kind) => (kind === 'open' ? [vscode.Uri.file(workspace)] : undefined);
    await run('lstmState.exportRun', runDir);
    expect(last(recorder)).toMatch(new RegExp(`^error: LSTM: export of broken failed: ${manifest}: is not valid JSON`));
    recorder.answer = (kind) => (kind === 'save' ? vscode.Uri.file(path.join(workspace, 'broken.html')) : undefined);
    await run('lstmState.exportReport', runDir);
    expect(last(recorder)).toMatch(new RegExp(`^error: LSTM: cannot write the report: ${manifest}: is not valid JSON`));
  });

  it('Cancel on the progress of Export Run or Export HTML Report: nothing is written, and it says so', async () => {
    const { run, recorder, workspace } = setup();
    const runDir = writeRunFolder(path.join(workspace, '.lstm-runs'), '20261101-000000-000-c', {
      epochs: 2,
      batchesPerEpoch: 3,
      end: 'finished',
    });
    // The user presses Cancel as the job starts (half-way cancels are test/jobs/runJobs.test.ts's).
    provide(vscode.window as unknown as Record<string, unknown>, {
      withProgress: async (options: { cancellable?: boolean }, task: (p: unknown, t: unknown) => Promise<unknown>) => {
        expect(options.cancellable).toBe(true);
        const source = new vscode.CancellationTokenSource();
        source.cancel();
        return task({ report: () => undefined }, source.token);
      },
    });
    recorder.answer = (kind) => (kind === 'open' ? [vscode.Uri.file(workspace)] : undefined);
    await run('lstmState.exportRun', runDir);
    const outDir = path.join(workspace, '20261101-000000-000-c-npy');
    expect([fs.existsSync(outDir), fs.existsSync(`${outDir}.partial`)]).toEqual([false, false]);
    expect(last(recorder)).toBe('info: LSTM: export of 20261101-000000-000-c cancelled: nothing was written.');
    const report = path.join(workspace, 'c.html');
    recorder.answer = (kind) => (kind === 'save' ? vscode.Uri.file(report) : undefined);
    await run('lstmState.exportReport', runDir);
    expect([fs.existsSync(report), fs.existsSync(`${report}.partial`)]).toEqual([false, false]);
    expect(last(recorder)).toBe('info: LSTM: report cancelled: nothing was written.');
  });

  it('New Training Config… writes the seed template under the chosen name and opens it', async () => {
    const { run, recorder, workspace } = setup();
    recorder.answer = (kind, _title, items) => (kind === 'input' ? 'my-model' : kind === 'pick' ? items[0] : undefined);
    await run('lstmState.newConfig');
    const file = path.join(workspace, 'my-model.lstm.json');
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(written.name).toBe('my-model');
    expect(written.$schema).toBeUndefined();
    expect(written.data).toMatchObject({ generator: 'sine', samples: 1000, timesteps: 20 });
    expect(recorder.opened).toEqual([file]);
  });

  it('New Training Config… for a CSV file: the file, its input and target columns from the header, the window', async () => {
    const { run, recorder, workspace } = setup();
    fs.mkdirSync(path.join(workspace, 'data'));
    const csv = path.join(workspace, 'data', 'air.csv');
    fs.writeFileSync(csv, '\ufeff"month","passengers, thousands",temp\n1949-01,112,3.1\n');
    provide(vscode.workspace as unknown as Record<string, unknown>, { findFiles: async () => [vscode.Uri.file(csv)] });
    const asked: string[] = [];
    recorder.answer = (kind, title, items) => {
      asked.push(title);
      const labels = (items as Array<{ label: string }>).map((item) => item.label);
      if (title === 'New Training Config') return kind === 'pick' ? items[1] : 'air';
      if (title.endsWith('CSV file')) return items[0];
      if (title.endsWith('input columns'))
        return [items[labels.indexOf('passengers, thousands')], items[labels.indexOf('temp')]];
      if (title.endsWith('target column')) return items[labels.indexOf('passengers, thousands')];
      if (title.endsWith('window')) return '12';
      return undefined;
    };
    await run('lstmState.newConfig');
    const file = path.join(workspace, 'air.lstm.json');
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(written.data).toEqual({
      csv: 'data/air.csv',
      columns: ['passengers, thousands', 'temp'],
      target: 'passengers, thousands',
      window: 12,
      stride: 1,
    });
    expect(written.name).toBe('air');
    // The config the wizard writes passes the trainer's own checks (file inside the workspace, columns in its header).
    expect(() => loadConfig(file, workspace)).not.toThrow();
    expect(asked).toContain('New Training Config: input columns');
    expect(recorder.opened).toEqual([file]);
  });

  it('Filter Batches… lists the causes the run has with their counts and applies the pick to the tree', async () => {
    const { run, recorder, tree, workspace } = setup();
    const dir = writeRunFolder(path.join(workspace, '.lstm-runs'), '20261101-000000-000-s', {
      epochs: 3,
      batchesPerEpoch: 4,
      stateful: true,
      manualAt: [6],
      end: 'finished',
    });
    let offered: string[] = [];
    recorder.answer = (kind, _title, items) => {
      offered = (items as Array<{ label: string; description?: string }>).map((i) => `${i.label} (${i.description})`);
      return kind === 'pick' ? (items as Array<{ label: string }>).find((i) => i.label.includes('manual')) : undefined;
    };
    await run('lstmState.filterRun', dir);
    expect(offered).toEqual([
      '$(check) All batches (12)',
      'Resets only (4 batches started from zeros (first, epoch, manual))',
      'Only zeros (first batch) (1)',
      'Only zeros (epoch-end reset) (2)',
      'Only zeros (manual reset) (1)',
      'Only carried from previous batch (8)',
    ]);
    expect(tree.filterOf(dir)).toEqual({ kind: 'cause', cause: 'manual' });
  });

  it('with several configs and no argument, Start Training asks which one', async () => {
    const { run, recorder, config, runs } = setup();
    const a = config('a', { epochs: 1, batchesPerEpoch: 1 });
    const b = config('b', { epochs: 1, batchesPerEpoch: 1 });
    (vscode.workspace as unknown as Record<string, unknown>).findFiles = async () => [a, b];
    recorder.answer = (kind, _title, items) =>
      kind === 'pick' ? (items as Array<{ uri: vscode.Uri }>).find((i) => i.uri === b) : undefined;
    const session = (await run('lstmState.startTraining')) as ReturnType<RunManager['start']>;
    expect(recorder.shown).toContain('pick: Start Training');
    expect(session.configPath).toBe(b.fsPath);
    await session.exited;
    expect(runs.liveRuns()).toHaveLength(0);
  });

  it('a trainer crash is reported with a "Show Log" action; the status bar shows the failure', async () => {
    const { run, recorder, config, runs } = setup();
    const bar = new RunStatusBar(runs, () => 0);
    cleanup.push(() => bar.dispose());
    const session = (await run('lstmState.startTraining', config('a', { crashAtStep: 2, delayMs: 1 }))) as ReturnType<
      RunManager['start']
    >;
    await session.exited;
    let logShown = false;
    recorder.answer = (kind, _text, items) => (kind === 'error' ? (items as string[])[0] : undefined);
    await notifyRunEnded(session, () => (logShown = true));
    expect(last(recorder)).toMatch(
      /^error: LSTM: training a failed: the trainer stopped unexpectedly \(code 3\).*simulated crash\. Everything recorded before the failure stays readable/,
    );
    expect(logShown).toBe(true);
    const item = recorder.statusBarItems[0];
    expect(item.visible).toBe(true);
    expect(item.text).toMatch(/^\$\(error\) LSTM failed · epoch 1\/2 · batch 2\/5 · loss 0\.5000 · resets 2$/);
    expect(item.command).toMatchObject({ command: 'lstmState.openTimeline', arguments: [session.runDir] });
  });

  it('a config error names its field and offers to go there', async () => {
    const { run, recorder, config } = setup();
    const session = (await run(
      'lstmState.startTraining',
      config('a', { failField: 'training.batchSize' }),
    )) as ReturnType<RunManager['start']>;
    await session.exited;
    recorder.answer = () => undefined;
    await notifyRunEnded(session, () => undefined);
    expect(last(recorder)).toBe('error: LSTM: training a.lstm.json failed: training.batchSize: must be at least 1.');
  });

  it('a bad cell of a data file offers to open that file at its line, not the config field', async () => {
    const { run, recorder, config, workspace } = setup();
    fs.writeFileSync(path.join(workspace, 'data.csv'), 'a\n1\n2\noops\n');
    const session = (await run(
      'lstmState.startTraining',
      config('a', { failField: 'data.csv', failFile: 'data.csv', failLine: 4 }),
    )) as ReturnType<RunManager['start']>;
    await session.exited;
    const opened: Array<[string, number]> = [];
    provide(vscode.workspace as unknown as Record<string, unknown>, {
      openTextDocument: async (uri: vscode.Uri) => ({
        uri,
        lineCount: 5,
        lineAt: (line: number) => ({ range: new vscode.Range(line, 0, line, 4) }),
      }),
    });
    provide(vscode.window as unknown as Record<string, unknown>, {
      showTextDocument: async (document: { uri: vscode.Uri }, options: { selection: vscode.Range }) =>
        opened.push([document.uri.fsPath, options.selection.start.line]),
    });
    let actions: string[] = [];
    recorder.answer = (kind, _text, items) => {
      actions = items as string[];
      return kind === 'error' ? actions[0] : undefined;
    };
    await notifyRunEnded(session, () => undefined);
    expect(actions).toEqual(['Open data.csv:4', 'Show Log']);
    expect(opened).toEqual([[path.join(workspace, 'data.csv'), 3]]);
  });
});
