/**
 * Compare Runs… and Export HTML Report… as the user runs them (palette, tree, the panels' buttons),
 * against the typed vscode shim: what they ask, what they open, and the file they write.
 */
import * as fs from 'fs';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as vscode from 'vscode';
import { commandHandlers } from '../../../src/extension/commands/registerCommands';
import type { Services } from '../../../src/extension/commands/services';
import { RunJobs } from '../../../src/jobs/runJobs';
import { COMPARE_VIEW_TYPE } from '../../../src/extension/panel/comparePanel';
import { RunRepository } from '../../../src/extension/runs/runRepository';
import { RunFolders } from '../../../src/extension/tree/runFolders';
import type { BatchRecord, LogRecord } from '../../../src/shared/runFormat';
import { writeSyntheticRun } from '../../fixtures/syntheticRun';
import { reportPayloadOf } from '../../helpers/reportPayload';
import { provide, Uri } from '../../shims/vscode';
import { FakeWebviewPanel } from '../panel/fakePanel';
import { MemoryLog, tempWorkspace, waitFor } from '../helpers';
import { installStubs, memento, type Recorder } from '../vscodeStubs';

vi.mock('vscode', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
}));

const ROOT = path.resolve(__dirname, '../../..');

let workspace: string;
let recorder: Recorder;
let created: FakeWebviewPanel[];
let openedExternally: string[];
let repository: RunRepository;
let jobs: RunJobs;
let folders: RunFolders;
let run: (id: string, target?: unknown, selection?: unknown) => Promise<unknown>;
/** Three saved runs in one runs folder, oldest first. */
let runDirs: string[];

beforeEach(async () => {
  workspace = tempWorkspace('lstm-compare-cmd-');
  recorder = installStubs({ workspaceFolder: workspace });
  created = [];
  openedExternally = [];
  provide(vscode.window as unknown as Record<string, unknown>, {
    createWebviewPanel: (viewType: string, title: string, showOptions: unknown, options: vscode.WebviewOptions) => {
      const panel = new FakeWebviewPanel(viewType, title, showOptions, options);
      created.push(panel);
      return panel;
    },
  });
  provide(vscode.env as unknown as Record<string, unknown>, {
    openExternal: async (uri: Uri) => (openedExternally.push(uri.fsPath), true),
  });
  const runs = path.join(workspace, '.lstm-runs');
  runDirs = [
    ['20261130-100000-000-stateful', true],
    ['20261130-110000-000-stateless', false],
    ['20261130-120000-000-stateful', true],
  ].map(
    ([name, stateful]) =>
      writeSyntheticRun({
        dir: path.join(runs, name as string),
        stateful: stateful as boolean,
        resets: 'epoch',
        epochs: 3,
        batchesPerEpoch: 4,
        batchSize: 3,
        units: [2],
      }).runDir,
  );
  repository = new RunRepository(new MemoryLog());
  jobs = new RunJobs(path.join(ROOT, 'dist', 'runJobs.js'));
  folders = new RunFolders(memento());
  await folders.rememberRoot(runDirs[0]);
  // Only what these two commands use: the extension's folder, the runs read, the run folders found, the worker jobs.
  const services = {
    context: { extensionPath: ROOT, extensionUri: Uri.file(ROOT) },
    repository,
    folders,
    jobs,
  } as unknown as Services;
  const handlers = commandHandlers(services);
  run = async (id, target, selection) => handlers[id](target as undefined, selection);
});

afterEach(() => {
  for (const panel of created) panel.dispose();
  jobs.dispose();
  folders.dispose();
  repository.dispose();
  fs.rmSync(workspace, { recursive: true, force: true });
});

/** The batch records of a run, straight from its log. */
function logBatches(runDir: string): BatchRecord[] {
  return fs
    .readFileSync(path.join(runDir, 'log.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as LogRecord)
    .filter((r): r is BatchRecord => r.t === 'batch');
}

/** The quick-pick items the recorder saw last, answered by `choose` (the labels to pick). */
function answerPicks(choose: (labels: string[]) => string[] | undefined): { offered: string[] } {
  const seen = { offered: [] as string[] };
  recorder.answer = (kind, _title, items) => {
    if (kind !== 'pick') return undefined;
    const list = items as Array<{ label: string }>;
    seen.offered = list.map((item) => item.label);
    const labels = choose(seen.offered);
    return labels && list.filter((item) => labels.includes(item.label));
  };
  return seen;
}

/** Plays the comparison webview's `ready` and returns the run folders it is sent. */
async function comparedRunDirs(panel: FakeWebviewPanel): Promise<string[]> {
  panel.receive({ type: 'ready' });
  await waitFor(() => panel.of('compare').length === 1, 5000, 'compare message');
  return panel.of('compare')[0].runs.map((r) => r.snapshot.runDir);
}

describe('Compare Runs… from the palette', () => {
  it('offers every saved run, newest first; picking two opens one comparison of those two', async () => {
    const [, stateless, newest] = runDirs;
    const pick = answerPicks(() => [path.basename(newest), path.basename(stateless)]);
    await run('lstmState.compareRuns');
    expect(recorder.shown).toEqual(['pick: Compare Runs']);
    expect(pick.offered).toEqual([...runDirs].reverse().map((d) => path.basename(d)));
    expect(created).toHaveLength(1);
    expect(created[0].viewType).toBe(COMPARE_VIEW_TYPE);
    // The picked runs, in the list's order.
    expect(await comparedRunDirs(created[0])).toEqual([newest, stateless]);
  });

  it('picking one run says to pick two or more and opens nothing; cancelling does nothing', async () => {
    answerPicks((labels) => [labels[0]]);
    await run('lstmState.compareRuns');
    expect(recorder.shown).toEqual(['pick: Compare Runs', 'info: LSTM: pick two or more runs to compare.']);
    expect(created).toHaveLength(0);
    recorder.shown.length = 0;
    answerPicks(() => undefined);
    await run('lstmState.compareRuns');
    expect(recorder.shown).toEqual(['pick: Compare Runs']);
    expect(created).toHaveLength(0);
  });

  it('from the tree with two runs selected it opens their comparison without asking', async () => {
    const nodes = runDirs.slice(0, 2).map((runDir) => ({ kind: 'run', runDir }));
    await run('lstmState.compareRuns', nodes[0], nodes);
    expect(recorder.shown).toEqual([]);
    expect(created).toHaveLength(1);
    expect(await comparedRunDirs(created[0])).toEqual(runDirs.slice(0, 2));
  });
});

describe('Export HTML Report…', () => {
  /** The save dialog answers `file`; other dialogs answer what `also` says. */
  function answerSave(
    file: string | undefined,
    also: (kind: string, items: readonly unknown[]) => unknown = () => undefined,
  ) {
    recorder.answer = (kind, _title, items) => (kind === 'save' ? file && Uri.file(file) : also(kind, items));
  }

  it('one run picked from the palette: the save dialog, then the report written and its size said', async () => {
    const file = path.join(workspace, 'out', 'report.html');
    fs.mkdirSync(path.dirname(file));
    const runDir = runDirs[1];
    answerSave(file, (kind, items) =>
      kind === 'pick' ? (items as Array<{ dir: string }>).find((item) => item.dir === runDir) : undefined,
    );
    await run('lstmState.exportReport');
    const bytes = fs.statSync(file).size;
    expect(recorder.shown).toEqual([
      'pick: Export HTML Report',
      `save: Export ${path.basename(runDir)} as an HTML report`,
      `info: LSTM: wrote report.html (${(bytes / 1048576).toFixed(2)} MB)`,
    ]);
    const payload = reportPayloadOf(fs.readFileSync(file, 'utf8'));
    if (payload.kind !== 'run') throw new Error(`expected a run report, got ${payload.kind}`);
    expect(payload.snapshot.runDir).toBe(runDir);
    expect([...payload.columns.loss]).toEqual(logBatches(runDir).map((b) => b.loss));
    expect(openedExternally).toEqual([]);
  });

  it('several runs (the comparison panel’s button) write a comparison holding each; Open in Browser opens it', async () => {
    const file = path.join(workspace, 'compare.html');
    answerSave(file, (kind, items) => (kind === 'info' ? items[0] : undefined));
    const compared = [runDirs[2], runDirs[1]];
    await run('lstmState.exportReport', compared);
    const bytes = fs.statSync(file).size;
    expect(recorder.shown).toEqual([
      'save: Export the comparison as an HTML report',
      `info: LSTM: wrote compare.html (${(bytes / 1048576).toFixed(2)} MB)`,
    ]);
    const payload = reportPayloadOf(fs.readFileSync(file, 'utf8'));
    if (payload.kind !== 'compare') throw new Error(`expected a comparison, got a ${payload.kind} report`);
    expect(payload.runs.map((r) => r.snapshot.runDir)).toEqual(compared);
    for (const [i, runDir] of compared.entries())
      expect([...payload.runs[i].columns!.loss]).toEqual(logBatches(runDir).map((b) => b.loss));
    expect(openedExternally).toEqual([file]);
  });

  it('cancelling the save dialog writes nothing and says nothing more', async () => {
    answerSave(undefined);
    await run('lstmState.exportReport', runDirs[0]);
    expect(recorder.shown).toEqual([`save: Export ${path.basename(runDirs[0])} as an HTML report`]);
    expect(fs.readdirSync(workspace).filter((f) => f.endsWith('.html'))).toEqual([]);
  });
});
