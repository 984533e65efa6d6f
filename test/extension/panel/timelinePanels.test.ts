/** The panel host code against the typed vscode shim: one panel per run, channel, deltas from the run's model, serializer, CSP. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as vscode from 'vscode';
import { provide } from '../../shims/vscode';
import { TIMELINE_VIEW_TYPE, TimelinePanels } from '../../../src/extension/panel/timelinePanels';
import { RunRepository } from '../../../src/extension/runs/runRepository';
import { WEBVIEW_PROTOCOL_VERSION, type PanelAction } from '../../../src/shared/channels/webviewChannel';
import { recordAt, toColumns } from '../../../src/shared/batchColumns';
import { RUN_FILES, type BatchRecord } from '../../../src/shared/runFormat';
import { readRun } from '../../../src/runStore/readRun';
import { answerForRun } from '../../../src/runStore/runSummary';
import { writeSyntheticRun } from '../../fixtures/syntheticRun';
import { panelTitle } from '../../../src/extension/panel/panelTitle';
import { smallConfig, trainInTemp } from '../../helpers/trainInTemp';
import { MemoryLog, waitFor } from '../helpers';
import { thisProcess } from '../runFolder';
import { CSP_SOURCE, FakeWebviewPanel } from './fakePanel';

vi.mock('vscode', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
}));

let dir: string;
let runDir: string;
let records: BatchRecord[];
/** Log lines of the whole synthetic run; the folder starts with those before step 12. */
let fullLog: string[];
let written: number;
let created: FakeWebviewPanel[];
let serializer: vscode.WebviewPanelSerializer | undefined;
let repository: RunRepository;
let actions: Array<[string, PanelAction]>;
let selections: Array<[string, number]>;
let panels: TimelinePanels;
const extensionUri = vscode.Uri.file('/ext');
/** A record as a snapshot's columns and a delta carry it: without rows, row sources and tensor offsets (the contract's summary). */
const summary = (record: BatchRecord) => recordAt(toColumns([record], { detail: false }), 0);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-panels-'));
  runDir = path.join(dir, 'run');
  // 3 epochs × 4 batches written by a live writer (this process); the run will go on to 5 epochs.
  records = writeSyntheticRun({
    dir: runDir,
    stateful: true,
    epochs: 5,
    batchesPerEpoch: 4,
    batchSize: 3,
    units: [2],
    resets: 'epoch',
    status: 'open',
    writer: thisProcess(),
  }).batches;
  fullLog = fs.readFileSync(path.join(runDir, RUN_FILES.log), 'utf8').split('\n').filter(Boolean);
  written = fullLog.findIndex((line) => line.includes('"step":12,'));
  fs.writeFileSync(path.join(runDir, RUN_FILES.log), fullLog.slice(0, written).join('\n') + '\n');
  created = [];
  serializer = undefined;
  provide(vscode.window as unknown as Record<string, unknown>, {
    createWebviewPanel: (viewType: string, title: string, showOptions: unknown, options: vscode.WebviewOptions) => {
      const panel = new FakeWebviewPanel(viewType, title, showOptions, options);
      created.push(panel);
      return panel;
    },
    registerWebviewPanelSerializer: (viewType: string, s: vscode.WebviewPanelSerializer) => {
      expect(viewType).toBe(TIMELINE_VIEW_TYPE);
      serializer = s;
      return new vscode.Disposable(() => (serializer = undefined));
    },
    showErrorMessage: async () => undefined,
  });
  repository = new RunRepository(new MemoryLog());
  actions = [];
  selections = [];
  panels = new TimelinePanels(extensionUri, repository, {
    action: (dir, action) => actions.push([dir, action]),
    selected: (dir, step) => selections.push([dir, step]),
  });
});

afterEach(() => {
  panels.dispose();
  repository.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The writer appends the next log lines up to (not including) the line matching `until`, or `extra` lines; then the folder is read. */
async function write(...extra: string[]): Promise<void> {
  fs.appendFileSync(path.join(runDir, RUN_FILES.log), extra.map((line) => `${line}\n`).join(''));
  await repository.refresh(runDir);
}
/** The next `count` lines of the full synthetic log. */
const next = (count: number) => fullLog.slice(written, (written += count));
const lineOf = (record: object) => JSON.stringify(record);

/** Plays the webview's `ready` and waits for the snapshot. */
async function ready(panel: FakeWebviewPanel): Promise<void> {
  const before = panel.of('snapshot').length;
  panel.receive({ type: 'ready' });
  await waitFor(() => panel.of('snapshot').length > before, 5000, 'snapshot');
}

describe('TimelinePanels', () => {
  test('one panel per run, reused; a closed panel is created anew', async () => {
    panels.show(runDir);
    panels.show(runDir + path.sep);
    expect(created).toHaveLength(1);
    expect(created[0].reveals).toBe(1);
    expect(created[0].viewType).toBe(TIMELINE_VIEW_TYPE);
    await waitFor(() => created[0].title === panelTitle(readRun(runDir).manifest), 5000, 'title from the manifest');
    created[0].dispose();
    panels.show(runDir);
    expect(created).toHaveLength(2);
  });

  test("tell a run's progress where its panel is: opened, hidden, shown, closed", () => {
    const told: Array<[string, boolean]> = [];
    panels.onDidChangeVisibility((dir) => told.push([dir, panels.isVisible(dir)]));
    expect(panels.isVisible(runDir)).toBe(false);
    panels.show(runDir);
    created[0].setVisible(false);
    created[0].setVisible(true);
    created[0].dispose();
    expect(told).toEqual([
      [runDir, true],
      [runDir, false],
      [runDir, true],
      [runDir, false],
    ]);
    // Asked with another spelling of the folder: the same run.
    panels.show(runDir + path.sep);
    expect(panels.isVisible(runDir + path.sep)).toBe(true);
  });

  test('tab titles name the run and its start (local time), so two runs of one config get different tabs', async () => {
    // Two runs of the config "long-stateful", started 90 s apart.
    const starts = ['2026-03-01T09:00:00.000Z', '2026-03-01T09:01:30.000Z'];
    const dirs = starts.map((createdAt, i) => {
      const runDir = writeSyntheticRun({
        dir: path.join(dir, `runs-${i}`, 'long-stateful'),
        stateful: true,
        epochs: 1,
        batchesPerEpoch: 2,
        batchSize: 2,
        units: [2],
      }).runDir;
      const file = path.join(runDir, RUN_FILES.manifest);
      fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), createdAt }));
      return runDir;
    });
    for (const runDir of dirs) panels.show(runDir);
    expect(created).toHaveLength(2);
    // The start on the user's clock, as YYYY-MM-DD HH:MM:SS (the form the sv-SE locale writes).
    const local = starts.map((iso) => new Date(iso).toLocaleString('sv-SE'));
    for (const [i, panel] of created.entries())
      await waitFor(() => panel.title === `LSTM: long-stateful (${local[i]})`, 5000, `title of run ${i}`);
    expect(created[0].title).not.toBe(created[1].title);
  });

  test('strict CSP with a nonce, assets through asWebviewUri, resource roots limited to dist and media', () => {
    panels.show(runDir);
    const { html, options } = created[0].webview;
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    const nonce = /script-src 'nonce-([A-Za-z0-9]+)'/.exec(csp)?.[1];
    expect(nonce?.length).toBeGreaterThanOrEqual(16);
    expect(csp).toContain(`style-src ${CSP_SOURCE}`);
    expect(csp).toContain(`img-src ${CSP_SOURCE} data:`);
    expect(csp).toContain(`font-src ${CSP_SOURCE}`);
    expect(csp).not.toContain('unsafe');
    expect(html).toContain(`<script nonce="${nonce}" src="file:///webview-resource/ext/dist/webview.js"></script>`);
    expect(html).toContain('href="file:///webview-resource/ext/dist/webview.css"');
    expect((html.match(/<script/g) ?? []).length).toBe(1);
    expect(options.enableScripts).toBe(true);
    expect(options.localResourceRoots?.map((u) => u.path)).toEqual(['/ext/dist', '/ext/media']);
    panels.show(path.join(dir, 'other-run-does-not-exist'));
    expect(created[1].webview.html).not.toContain(nonce);
  });

  test("ready → snapshot from the run's model; requestBatch → batchDetail or error with the same id", async () => {
    panels.show(runDir);
    const panel = created[0];
    await ready(panel);
    const [snapshot] = panel.of('snapshot');
    expect(snapshot.protocolVersion).toBe(WEBVIEW_PROTOCOL_VERSION);
    expect(snapshot.snapshot.batches).toHaveLength(0);
    expect(snapshot.columns?.count).toBe(12);
    expect(snapshot.columns?.detail).toBeUndefined();
    expect(recordAt(snapshot.columns!, 7)).toEqual(summary(records[7]));
    expect(snapshot.updateRateHz).toBe(60);
    expect(snapshot.snapshot.status).toBe('running');
    // The panel shares the repository's one model of the run.
    expect(repository.get(runDir)?.batches).toHaveLength(12);
    panel.receive({ type: 'requestBatch', requestId: 7, step: 4 });
    await waitFor(() => panel.of('batchDetail').length === 1, 5000, 'the batch detail');
    const [detail] = panel.of('batchDetail');
    expect(detail.inReplyTo).toBe(7);
    expect(detail.detail.step).toBe(4);
    // The full record, read back from its line of the log, as the writer wrote it.
    expect(detail.detail.record).toEqual(records[4]);
    expect(detail.detail.next?.cause).toBe('carried');
    panel.receive({ type: 'requestBatch', requestId: 8, step: 999 });
    await waitFor(() => panel.of('error').length === 1, 5000, 'the error');
    expect(panel.of('error')[0]).toMatchObject({ inReplyTo: 8 });
    panel.receive({ type: 'requestBatch', requestId: 'x', step: 1 });
    panel.receive({ type: 'bogus' });
    expect(panel.posted).toHaveLength(3);
  });

  test('selection and toolbar actions go to their handlers; anything else is refused', () => {
    panels.show(runDir);
    created[0].receive({ type: 'selected', step: 5 });
    created[0].receive({ type: 'action', action: 'resetNow' });
    created[0].receive({ type: 'action', action: 'pause' });
    created[0].receive({ type: 'action', action: 'format-disk' });
    expect(selections).toEqual([[runDir, 5]]);
    expect(actions).toEqual([
      [runDir, 'resetNow'],
      [runDir, 'pause'],
    ]);
  });

  test('reveal selects the batch now and again after the webview reloads', async () => {
    panels.reveal(runDir, 3);
    const panel = created[0];
    expect(panel.of('select')).toEqual([{ type: 'select', step: 3 }]);
    await ready(panel);
    await waitFor(() => panel.posted.length === 3, 5000, 'select after the snapshot');
    expect(panel.posted.map((m) => m.type)).toEqual(['select', 'snapshot', 'select']);
  });

  test('what the writer appends reaches the webview as coalesced deltas', async () => {
    panels.show(runDir);
    const panel = created[0];
    await ready(panel);
    await write(...next(1));
    // Leading edge: a lone batch is not delayed.
    expect(panel.of('delta')).toHaveLength(1);
    expect(panel.of('delta')[0].batches.map((b) => b.step)).toEqual([12]);
    await write(...next(5), lineOf({ t: 'state', status: 'paused', atStep: 16 }));
    expect(panel.of('delta')).toHaveLength(1);
    await sleep(120);
    const deltas = panel.of('delta');
    expect(deltas).toHaveLength(2);
    expect(deltas[1].batches.map((b) => b.step)).toEqual([13, 14, 15]);
    expect(deltas[1].epochLosses).toEqual([{ epoch: 3, meanLoss: expect.any(Number) }]);
    expect(deltas[1].resets).toEqual([{ cause: 'epoch', beforeStep: 16 }]);
    expect(deltas[1].status).toBe('paused');
    expect(deltas[1].answer).toMatch(/^stateful: .*resets: 1 at the start, 3 at epoch end; 12 batches carried state/);
    await write(lineOf({ t: 'end', status: 'finished', at: new Date().toISOString() }));
    await sleep(80);
    expect(panel.of('delta').at(-1)).toMatchObject({ status: 'finished', answer: answerForRun(readRun(runDir)) });
  });

  test('while hidden only the latest state is held, and sent when shown', async () => {
    panels.show(runDir);
    const panel = created[0];
    await ready(panel);
    panel.setVisible(false);
    await write(...next(1), lineOf({ t: 'state', status: 'paused', atStep: 13 }));
    await write(lineOf({ t: 'state', status: 'running', atStep: 13 }));
    await sleep(100);
    expect(panel.of('delta')).toHaveLength(0);
    panel.setVisible(true);
    expect(panel.of('delta')).toHaveLength(1);
    expect(panel.of('delta')[0]).toMatchObject({ status: 'running', batches: [summary(records[12])] });
  });

  test('a failed run carries its message', async () => {
    panels.show(runDir);
    await ready(created[0]);
    await write(lineOf({ t: 'end', status: 'failed', at: new Date().toISOString(), message: 'out of memory' }));
    expect(created[0].of('delta')[0]).toMatchObject({ status: 'failed', message: 'out of memory' });
  });

  test('the serializer restores a panel from its webview state and drops one without a run', async () => {
    const registration = panels.registerSerializer();
    const restored = new FakeWebviewPanel(TIMELINE_VIEW_TYPE, 'old title');
    await serializer?.deserializeWebviewPanel(restored as unknown as vscode.WebviewPanel, { runDir, selected: 2 });
    await waitFor(() => restored.title === panelTitle(readRun(runDir).manifest), 5000, 'title');
    expect(restored.webview.html).toContain('webview.js');
    panels.show(runDir);
    expect(created).toHaveLength(0);
    expect(restored.reveals).toBe(1);
    const orphan = new FakeWebviewPanel(TIMELINE_VIEW_TYPE, 'gone');
    await serializer?.deserializeWebviewPanel(orphan as unknown as vscode.WebviewPanel, {
      runDir: path.join(dir, 'deleted'),
    });
    expect(orphan.isDisposed).toBe(true);
    registration.dispose();
    expect(serializer).toBeUndefined();
  });

  test('disposing the panels closes them and stops listening', async () => {
    panels.show(runDir);
    await ready(created[0]);
    panels.dispose();
    expect(created[0].isDisposed).toBe(true);
    const before = created[0].posted.length;
    await write(...next(1));
    expect(created[0].posted).toHaveLength(before);
  });
});

describe('TimelinePanels with a real trainer', () => {
  test('snapshot + deltas reproduce exactly what the run folder holds, and end with the CLI answer', async () => {
    let panel: FakeWebviewPanel | undefined;
    let liveDir = '';
    let asked = false;
    await trainInTemp(
      smallConfig({
        data: { layout: 'continuous' },
        model: { units: 4, stateful: true },
        training: { epochs: 3 },
        resets: 'epoch',
      }),
      (e) => {
        if (e.type === 'started') {
          liveDir = e.runDir;
          panels.show(liveDir);
          panel = created.at(-1);
          panel?.receive({ type: 'ready' });
        }
        if (e.type === 'batch' && e.record.step === 2 && !asked) {
          asked = true;
          return { type: 'resetNow' };
        }
      },
    );
    // The webview's latest word on the run: the last delta, or the snapshot when the run ended before it was taken.
    const latest = () => panel!.of('delta').at(-1) ?? panel!.of('snapshot').at(-1)?.snapshot;
    await waitFor(() => latest()?.status === 'finished', 10_000, 'the end read from the folder');
    const run = readRun(liveDir);
    const [snapshot] = panel!.of('snapshot');
    const seen = [
      ...Array.from({ length: snapshot.columns?.count ?? 0 }, (_, i) => recordAt(snapshot.columns!, i)),
      ...panel!.of('delta').flatMap((d) => d.batches),
    ];
    expect(seen).toEqual(run.batches.map(summary));
    expect(seen.map((b) => b.cause)).toContain('manual');
    expect(latest()!.answer).toBe(answerForRun(run));
    expect([...snapshot.snapshot.epochLosses, ...panel!.of('delta').flatMap((d) => d.epochLosses)]).toEqual(
      run.epochs.map(({ epoch, meanLoss }) => ({ epoch, meanLoss })),
    );
    expect(panel!.of('delta').length).toBeLessThanOrEqual(run.batches.length + 2);
  });
});
