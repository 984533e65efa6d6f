/** A comparison panel against the typed vscode shim: it answers `ready` with every run's snapshot, and asks for a report of them. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as vscode from 'vscode';
import { provide } from '../../shims/vscode';
import { COMPARE_VIEW_TYPE, openComparison } from '../../../src/extension/panel/comparePanel';
import { RunRepository } from '../../../src/extension/runs/runRepository';
import { recordAt } from '../../../src/shared/batchColumns';
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
  provide(vscode.window as unknown as Record<string, unknown>, {
    createWebviewPanel: (viewType: string, title: string, showOptions: unknown, options: vscode.WebviewOptions) => {
      const panel = new FakeWebviewPanel(viewType, title, showOptions, options);
      created.push(panel);
      return panel;
    },
    showErrorMessage: async () => undefined,
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
      expect(recordAt(run.columns!, 4)).toEqual(read.batches[4]);
    }
    fake.receive({ type: 'exportReport' });
    expect(executed).toEqual([['lstmState.exportReport', runDirs]]);
    panel.dispose();
    expect(fake.isDisposed).toBe(true);
  });
});
