/**
 * A comparison panel against the typed vscode shim: it answers `ready` with every run's snapshot, asks for a
 * report of them, and is reopened after a reload from the run folders its page kept.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as vscode from 'vscode';
import { provide } from '../../shims/vscode';
import { COMPARE_VIEW_TYPE, openComparison } from '../../../src/extension/panel/comparePanel';
import { registerCompareSerializer } from '../../../src/extension/panel/compareSerializer';
import { RunRepository } from '../../../src/extension/runs/runRepository';
import { recordAt, toColumns } from '../../../src/shared/batchColumns';
import { WEBVIEW_PROTOCOL_VERSION } from '../../../src/shared/channels/webviewChannel';
import { readRun } from '../../../src/runStore/readRun';
import { answerForRun } from '../../../src/runStore/runSummary';
import { writeSyntheticRun } from '../../fixtures/syntheticRun';
import { MemoryLog, waitFor } from '../helpers';
import { FakeWebviewPanel } from './fakePanel';

vi.mock('vscode', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
}));

let dir: string;
let runDirs: string[];
let created: FakeWebviewPanel[];
let executed: Array<[string, unknown]>;
let repository: RunRepository;
let serializers: Map<string, vscode.WebviewPanelSerializer>;
let informed: string[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-compare-panel-'));
  runDirs = [true, false].map(
    (stateful) =>
      writeSyntheticRun({
        dir: path.join(dir, stateful ? '20261130-100000-000-a' : '20261130-110000-000-b'),
        stateful,
        epochs: 2,
        batchesPerEpoch: 3,
        batchSize: 2,
        units: [2],
      }).runDir,
  );
  created = [];
  executed = [];
  serializers = new Map();
  informed = [];
  provide(vscode.window as unknown as Record<string, unknown>, {
    createWebviewPanel: (viewType: string, title: string, showOptions: unknown, options: vscode.WebviewOptions) => {
      const panel = new FakeWebviewPanel(viewType, title, showOptions, options);
      created.push(panel);
      return panel;
    },
    showErrorMessage: async () => undefined,
    showInformationMessage: async (message: string) => void informed.push(message),
    registerWebviewPanelSerializer: (viewType: string, serializer: vscode.WebviewPanelSerializer) => {
      serializers.set(viewType, serializer);
      return new vscode.Disposable(() => serializers.delete(viewType));
    },
  });
  provide(vscode.commands as unknown as Record<string, unknown>, {
    executeCommand: async (id: string, arg: unknown) => void executed.push([id, arg]),
  });
  repository = new RunRepository(new MemoryLog());
});

afterEach(() => {
  repository.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('ComparePanel', () => {
  test('a page of the compare view; `ready` gets both runs, their batches as columns; the report button names both folders', async () => {
    const panel = openComparison(vscode.Uri.file('/ext'), repository, runDirs);
    const fake = created[0];
    expect(fake.viewType).toBe(COMPARE_VIEW_TYPE);
    expect(fake.title).toBe('LSTM: compare a vs b');
    expect(fake.webview.html).toContain('data-view="compare"');
    fake.receive({ type: 'ready' });
    await waitFor(() => fake.of('compare').length === 1, 5000, 'compare message');
    const [message] = fake.of('compare');
    expect(message.protocolVersion).toBe(WEBVIEW_PROTOCOL_VERSION);
    expect(message.runs.map((r) => r.snapshot.runDir)).toEqual(runDirs);
    for (const [i, run] of message.runs.entries()) {
      const read = readRun(runDirs[i]);
      expect(run.snapshot.answer).toBe(answerForRun(read));
      expect(run.columns!.count).toBe(6);
      // Columns without detail (protocol 4): the record less its rows, row sources and tensor offsets.
      expect(run.columns?.detail).toBeUndefined();
      expect(recordAt(run.columns!, 4)).toEqual(recordAt(toColumns(read.batches, { detail: false }), 4));
    }
    fake.receive({ type: 'exportReport' });
    expect(executed).toEqual([['lstmState.exportReport', runDirs]]);
    panel.dispose();
    expect(fake.isDisposed).toBe(true);
  });
});

describe('restoring a comparison after a reload', () => {
  /** Plays VS Code restoring a panel of the compare view with the state its page kept. */
  async function restore(state: unknown): Promise<FakeWebviewPanel> {
    const registration = registerCompareSerializer(vscode.Uri.file('/ext'), repository);
    const serializer = serializers.get(COMPARE_VIEW_TYPE);
    expect(serializer).toBeDefined();
    // VS Code restores the panel with the title it had; the serializer names it as openComparison does.
    const panel = new FakeWebviewPanel(COMPARE_VIEW_TYPE, 'restored');
    await serializer!.deserializeWebviewPanel(panel as unknown as vscode.WebviewPanel, state);
    registration.dispose();
    expect(serializers.size).toBe(0);
    return panel;
  }

  test('reopens the kept run folders: the compare page, titled as when opened, answers `ready` with both runs', async () => {
    const panel = await restore({ runDirs, align: 'epoch', smoothing: 0.9, viewport: { start: 1, end: 2 } });
    expect(panel.isDisposed).toBe(false);
    expect(panel.title).toBe('LSTM: compare a vs b');
    expect(panel.webview.html).toContain('data-view="compare"');
    expect(panel.webview.options.enableScripts).toBe(true);
    panel.receive({ type: 'ready' });
    await waitFor(() => panel.of('compare').length === 1, 5000, 'compare message');
    const [message] = panel.of('compare');
    expect(message.runs.map((r) => r.snapshot.runDir)).toEqual(runDirs);
    expect(message.runs.map((r) => r.snapshot.answer)).toEqual(runDirs.map((d) => answerForRun(readRun(d))));
    panel.receive({ type: 'exportReport' });
    expect(executed).toEqual([['lstmState.exportReport', runDirs]]);
    expect(informed).toEqual([]);
    panel.dispose();
  });

  test('choices of the wrong type do not matter to the extension: the runs are reopened', async () => {
    const panel = await restore({ runDirs, align: 'sideways', smoothing: 'lots', viewport: 3 });
    expect(panel.isDisposed).toBe(false);
    expect(panel.title).toBe('LSTM: compare a vs b');
    panel.dispose();
  });

  test('a deleted run folder leaves one run: the panel is closed and the user told which folder is gone', async () => {
    fs.rmSync(runDirs[1], { recursive: true });
    const panel = await restore({ runDirs, align: 'step', smoothing: 0.6, viewport: null });
    expect(panel.isDisposed).toBe(true);
    expect(panel.posted).toEqual([]);
    expect(informed).toEqual([`LSTM: the comparison of a, b was closed: ${runDirs[1]} no longer exists.`]);
  });

  test('three kept runs, one deleted: the other two are compared', async () => {
    const third = writeSyntheticRun({
      dir: path.join(dir, '20261130-120000-000-c'),
      stateful: true,
      epochs: 1,
      batchesPerEpoch: 2,
      batchSize: 2,
      units: [2],
    }).runDir;
    fs.rmSync(runDirs[0], { recursive: true });
    const panel = await restore({ runDirs: [...runDirs, third], align: 'step', smoothing: 0.6, viewport: null });
    expect(panel.title).toBe('LSTM: compare b vs c');
    panel.receive({ type: 'ready' });
    await waitFor(() => panel.of('compare').length === 1, 5000, 'compare message');
    expect(panel.of('compare')[0].runs.map((r) => r.snapshot.runDir)).toEqual([runDirs[1], third]);
    panel.dispose();
  });

  // States are made when the test runs: the run folders do not exist before.
  test.each<[string, () => unknown]>([
    ['no state (the page never kept one)', () => undefined],
    ['null', () => null],
    ['a string', () => 'runDirs'],
    ['a number', () => 42],
    ['an array', () => [runDirs]],
    ['runDirs not a list', () => ({ runDirs: runDirs[0] })],
    ['runDirs of numbers', () => ({ runDirs: [1, 2] })],
    ['one runDir not a string', () => ({ runDirs: [runDirs[0], { dir: runDirs[1] }] })],
    ['relative folders', () => ({ runDirs: runDirs.map((d) => path.relative(process.cwd(), d)) })],
  ])('garbage state (%s): the panel is closed without throwing', async (_, state) => {
    const panel = await restore(state());
    expect(panel.isDisposed).toBe(true);
    expect(panel.posted).toEqual([]);
    expect(informed).toHaveLength(1);
    expect(informed[0]).toMatch(/^LSTM: (a|the) comparison .*was closed: /);
  });
});
