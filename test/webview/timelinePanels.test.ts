/** The panel host code against the typed vscode shim: one panel per run, protocol, live deltas, serializer, CSP. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as vscode from 'vscode';
import { provide } from '../shims/vscode';
import { TIMELINE_VIEW_TYPE, TimelinePanels } from '../../src/extension/panel/timelinePanels';
import type { PanelHost } from '../../src/extension/panel/panelHost';
import type { PanelAction, TrainerEvent } from '../../src/shared/protocol';
import { PROTOCOL_VERSION } from '../../src/shared/protocol';
import { recordAt } from '../../src/shared/batchColumns';
import type { BatchRecord } from '../../src/shared/runFormat';
import { answerForRun, readRun } from '../../src/runStore/readRun';
import { writeSyntheticRun } from '../fixtures/syntheticRun';
import { smallConfig, trainInTemp } from '../helpers/trainInTemp';
import { CSP_SOURCE, FakeWebviewPanel } from './fakePanel';

vi.mock('vscode', async (importOriginal) => ({ ...(await importOriginal<object>()), ViewColumn: { Active: -1, Beside: -2, One: 1 } }));

class FakeHost implements PanelHost {
  readonly events = new vscode.EventEmitter<{ runDir: string; event: TrainerEvent }>();
  readonly onTrainerEvent = this.events.event;
  readonly actions: Array<[string, PanelAction]> = [];
  readonly selections: Array<[string, number]> = [];
  live = true;
  isLive = () => this.live;
  runAction(runDir: string, action: PanelAction) { this.actions.push([runDir, action]); }
  batchSelected(runDir: string, step: number) { this.selections.push([runDir, step]); }
}

let dir: string;
let runDir: string;
let records: BatchRecord[];
let created: FakeWebviewPanel[];
let serializer: vscode.WebviewPanelSerializer | undefined;
let host: FakeHost;
let panels: TimelinePanels;
const extensionUri = vscode.Uri.file('/ext');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-panels-'));
  runDir = path.join(dir, 'run');
  // 3 epochs × 4 batches written; a live run that will go on to 5 epochs.
  records = writeSyntheticRun({ dir: runDir, stateful: true, epochs: 5, batchesPerEpoch: 4, batchSize: 3, units: [2], resets: 'epoch', status: 'open' }).batches;
  const log = fs.readFileSync(path.join(runDir, 'log.jsonl'), 'utf8').split('\n');
  const cut = log.findIndex((line) => line.includes('"step":12,'));
  fs.writeFileSync(path.join(runDir, 'log.jsonl'), log.slice(0, cut).join('\n') + '\n');
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
  host = new FakeHost();
  panels = new TimelinePanels(extensionUri, host);
});

afterEach(() => {
  panels.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const event = (e: TrainerEvent) => host.events.fire({ runDir, event: e });

describe('TimelinePanels', () => {
  test('one panel per run, reused; a closed panel is created anew', () => {
    panels.show(runDir);
    panels.show(runDir + path.sep);
    expect(created).toHaveLength(1);
    expect(created[0].reveals).toBe(1);
    expect(created[0].viewType).toBe(TIMELINE_VIEW_TYPE);
    expect(created[0].title).toBe('LSTM: run');
    created[0].dispose();
    panels.show(runDir);
    expect(created).toHaveLength(2);
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

  test('ready → snapshot from disk; requestBatch → batchDetail or error with the same id', () => {
    panels.show(runDir);
    const panel = created[0];
    panel.receive({ type: 'ready' });
    const [snapshot] = panel.of('snapshot');
    expect(snapshot.protocolVersion).toBe(PROTOCOL_VERSION);
    expect(snapshot.snapshot.batches).toHaveLength(0);
    expect(snapshot.columns?.count).toBe(12);
    expect(recordAt(snapshot.columns!, 7)).toEqual(records[7]);
    expect(snapshot.snapshot.status).toBe('running');
    panel.receive({ type: 'requestBatch', requestId: 7, step: 4 });
    const [detail] = panel.of('batchDetail');
    expect(detail.inReplyTo).toBe(7);
    expect(detail.detail.step).toBe(4);
    expect(detail.detail.next?.cause).toBe('carried');
    panel.receive({ type: 'requestBatch', requestId: 8, step: 999 });
    expect(panel.of('error')[0]).toMatchObject({ inReplyTo: 8 });
    panel.receive({ type: 'requestBatch', requestId: 'x', step: 1 });
    panel.receive({ type: 'bogus' });
    expect(panel.posted).toHaveLength(3);
  });

  test('selection goes to the host exactly once; actions go to the host', () => {
    panels.show(runDir);
    created[0].receive({ type: 'selected', step: 5 });
    created[0].receive({ type: 'action', action: 'resetNow' });
    created[0].receive({ type: 'action', action: 'pause' });
    created[0].receive({ type: 'action', action: 'format-disk' });
    expect(host.selections).toEqual([[runDir, 5]]);
    expect(host.actions).toEqual([[runDir, 'resetNow'], [runDir, 'pause']]);
  });

  test('reveal selects the batch now and again after the webview reloads', () => {
    panels.reveal(runDir, 3);
    const panel = created[0];
    expect(panel.of('select')).toEqual([{ type: 'select', step: 3 }]);
    panel.receive({ type: 'ready' });
    expect(panel.posted.map((m) => m.type)).toEqual(['select', 'snapshot', 'select']);
  });

  test('live events become coalesced deltas; repeats of batches already on disk are dropped', async () => {
    panels.show(runDir);
    const panel = created[0];
    panel.receive({ type: 'ready' });
    event({ type: 'batch', record: records[5] });
    event({ type: 'batch', record: records[12] });
    for (const step of [13, 14, 15]) event({ type: 'batch', record: records[step] });
    event({ type: 'epochEnd', epoch: 3, meanLoss: 0.5, resets: { auto: 0, first: 0, epoch: 1, schedule: 0, manual: 0, carried: 3 } });
    event({ type: 'reset', cause: 'epoch', beforeStep: 16, epoch: 4, batch: 0 });
    event({ type: 'state', status: 'paused' });
    expect(panel.of('delta')).toHaveLength(1);
    expect(panel.of('delta')[0].batches.map((b) => b.step)).toEqual([12]);
    await sleep(120);
    const deltas = panel.of('delta');
    expect(deltas).toHaveLength(2);
    expect(deltas[1].batches.map((b) => b.step)).toEqual([13, 14, 15]);
    expect(deltas[1].epochLosses).toEqual([{ epoch: 3, meanLoss: 0.5 }]);
    expect(deltas[1].resets).toEqual([{ cause: 'epoch', beforeStep: 16 }]);
    expect(deltas[1].status).toBe('paused');
    expect(deltas[1].answer).toMatch(/^stateful: .*resets: 1 at the start, 3 at epoch end; 12 batches carried state/);
    event({ type: 'finished', status: 'finished', runDir, resets: { auto: 0, first: 1, epoch: 3, schedule: 0, manual: 0, carried: 12 }, batches: 16, answer: 'the final answer' });
    await sleep(80);
    expect(panel.of('delta').at(-1)).toMatchObject({ status: 'finished', answer: 'the final answer' });
  });

  test('while hidden only the latest state is held, and sent when shown', async () => {
    panels.show(runDir);
    const panel = created[0];
    panel.receive({ type: 'ready' });
    panel.setVisible(false);
    event({ type: 'batch', record: records[12] });
    event({ type: 'state', status: 'paused' });
    event({ type: 'state', status: 'running' });
    await sleep(100);
    expect(panel.of('delta')).toHaveLength(0);
    panel.setVisible(true);
    expect(panel.of('delta')).toHaveLength(1);
    expect(panel.of('delta')[0]).toMatchObject({ status: 'running', batches: [records[12]] });
  });

  test('a failed run carries its message', async () => {
    panels.show(runDir);
    created[0].receive({ type: 'ready' });
    event({ type: 'failed', message: 'out of memory', runDir });
    expect(created[0].of('delta')[0]).toMatchObject({ status: 'failed', message: 'out of memory' });
  });

  test('the serializer restores a panel from its webview state and drops one without a run', async () => {
    const registration = panels.registerSerializer();
    const restored = new FakeWebviewPanel(TIMELINE_VIEW_TYPE, 'old title');
    await serializer?.deserializeWebviewPanel(restored as unknown as vscode.WebviewPanel, { runDir, selected: 2 });
    expect(restored.title).toBe('LSTM: run');
    expect(restored.webview.html).toContain('webview.js');
    panels.show(runDir);
    expect(created).toHaveLength(0);
    expect(restored.reveals).toBe(1);
    const orphan = new FakeWebviewPanel(TIMELINE_VIEW_TYPE, 'gone');
    await serializer?.deserializeWebviewPanel(orphan as unknown as vscode.WebviewPanel, { runDir: path.join(dir, 'deleted') });
    expect(orphan.isDisposed).toBe(true);
    registration.dispose();
    expect(serializer).toBeUndefined();
  });

  test('disposing the manager closes its panels and stops listening', () => {
    panels.show(runDir);
    panels.dispose();
    expect(created[0].isDisposed).toBe(true);
    event({ type: 'batch', record: records[12] });
    expect(created[0].posted).toHaveLength(0);
  });
});

describe('TimelinePanels with a real trainer', () => {
  test('snapshot + live deltas reproduce exactly what the run folder holds, and end with the CLI answer', async () => {
    let panel: FakeWebviewPanel | undefined;
    let liveDir = '';
    let asked = false;
    await trainInTemp(smallConfig({ data: { layout: 'continuous' }, model: { units: 4, stateful: true }, training: { epochs: 3 }, resets: 'epoch' }), (e) => {
      if (e.type === 'started') {
        liveDir = e.runDir;
        panels.show(liveDir);
        panel = created.at(-1);
        panel?.receive({ type: 'ready' });
      }
      host.events.fire({ runDir: liveDir, event: e });
      if (e.type === 'batch' && e.record.step === 2 && !asked) {
        asked = true;
        return { type: 'resetNow' };
      }
    });
    await sleep(120);
    const run = readRun(liveDir);
    const [snapshot] = panel!.of('snapshot');
    const seen = [...Array.from({ length: snapshot.columns?.count ?? 0 }, (_, i) => recordAt(snapshot.columns!, i)), ...panel!.of('delta').flatMap((d) => d.batches)];
    expect(seen).toEqual(run.batches);
    expect(seen.map((b) => b.cause)).toContain('manual');
    const last = panel!.of('delta').at(-1)!;
    expect(last.status).toBe('finished');
    expect(last.answer).toBe(answerForRun(run));
    expect(panel!.of('delta').flatMap((d) => d.epochLosses)).toEqual(run.epochs.map(({ epoch, meanLoss }) => ({ epoch, meanLoss })));
    // Far fewer messages than batches would be sent at a real trainer's pace; here at least no more than one each.
    expect(panel!.of('delta').length).toBeLessThanOrEqual(run.batches.length + 2);
  });
});
