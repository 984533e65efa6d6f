import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import * as vscode from 'vscode';
import type { RunState } from '../../src/extension/run/runState';
import { RunsTreeProvider, type LiveRunSource } from '../../src/extension/tree/runsTreeProvider';
import type { RunsTreeNode } from '../../src/extension/tree/treeNodes';
import type { TrainerEvent } from '../../src/shared/protocol';
import { tempWorkspace } from './helpers';
import { batchRecord, manifestOf, writeRunFolder } from './runFolder';

class FakeLive implements LiveRunSource {
  readonly events = new vscode.EventEmitter<{ runDir: string; event: TrainerEvent }>();
  readonly sessions = new vscode.EventEmitter<{ runDir: string | undefined; state: RunState }>();
  readonly onTrainerEvent = this.events.event;
  readonly onDidChangeSession = this.sessions.event;
  readonly live = new Set<string>();
  isLive(runDir: string): boolean { return this.live.has(runDir); }
  emit(runDir: string, event: TrainerEvent): void { this.events.fire({ runDir, event }); }
}

let provider: RunsTreeProvider | undefined;
afterEach(() => provider?.dispose());

function setup(runDirs: string[] = []) {
  const live = new FakeLive();
  provider = new RunsTreeProvider(live, async () => runDirs, 1_000_000);
  const fired: Array<RunsTreeNode[] | undefined> = [];
  provider.onDidChangeTreeData((e) => fired.push(e === undefined ? undefined : Array.isArray(e) ? e : [e]));
  return { live, provider, fired };
}

/** A tree watching one live run whose `started` event has already been flushed. */
function startedLiveRun(spec: Parameters<typeof manifestOf>[1]) {
  const runDir = path.join(tempWorkspace(), 'r');
  const tree = setup();
  tree.live.live.add(runDir);
  tree.live.emit(runDir, { type: 'started', protocolVersion: 1, runDir, manifest: manifestOf('r', spec) });
  tree.provider.queue.flush();
  return { ...tree, runDir };
}

const label = (p: RunsTreeProvider, node: RunsTreeNode) => p.getTreeItem(node).label;
const ids = (fired: Array<RunsTreeNode[] | undefined>) => fired.map((e) => (e === undefined ? 'ROOT' : e.map((n) => n.id.split(':').slice(0, 1).concat(n.id.split(':').slice(2)).join(':')).join(' ')));

describe('Runs tree: saved runs', () => {
  it('lists runs newest first with their status icons', async () => {
    const runs = tempWorkspace();
    const a = writeRunFolder(runs, '20261101-000000-000-a', { epochs: 1, batchesPerEpoch: 2, end: 'finished' });
    const b = writeRunFolder(runs, '20261102-000000-000-b', { epochs: 1, batchesPerEpoch: 2, end: null });
    const c = writeRunFolder(runs, '20261103-000000-000-c', { epochs: 1, batchesPerEpoch: 2, end: 'failed' });
    const { provider } = setup([a, b, c, path.join(runs, 'not-a-run')]);
    const roots = await provider.getChildren();
    expect(roots.map((n) => label(provider, n))).toEqual(['20261103-000000-000-c', '20261102-000000-000-b', '20261101-000000-000-a']);
    const icons = roots.map((n) => (provider.getTreeItem(n).iconPath as vscode.ThemeIcon).id);
    expect(icons).toEqual(['error', 'warning', 'pass']); // failed, interrupted (no end, pid gone), finished
    expect(provider.getTreeItem(roots[1]).description).toMatch(/^interrupted · stateless/);
    expect(provider.getTreeItem(roots[0]).contextValue).toBe('run.saved');
  });

  it('run → epochs → batches with cause icons, "carried ← batch k" and tooltips', async () => {
    const runs = tempWorkspace();
    const dir = writeRunFolder(runs, '20261101-000000-000-s', { epochs: 2, batchesPerEpoch: 4, stateful: true, end: 'finished' });
    const { provider } = setup([dir]);
    const [run] = await provider.getChildren();
    const epochs = await provider.getChildren(run);
    expect(epochs.map((n) => label(provider, n))).toEqual(['Epoch 1', 'Epoch 2']);
    expect(provider.getTreeItem(epochs[1]).description).toBe('loss 0.5000 · 1 reset');
    const batches = await provider.getChildren(epochs[1]);
    const items = batches.map((n) => provider.getTreeItem(n));
    expect(items.map((i) => i.label)).toEqual(['Batch 1', 'Batch 2', 'Batch 3', 'Batch 4']);
    expect(items.map((i) => (i.iconPath as vscode.ThemeIcon).id)).toEqual(['refresh', 'arrow-right', 'arrow-right', 'arrow-right']);
    expect(items[0].description).toMatch(/^zeros \(epoch-end reset\) · loss/);
    expect(items[3].description).toMatch(/^carried ← batch 3 · loss 0\.1250/);
    const tooltip = (items[3].tooltip as vscode.MarkdownString).value;
    expect(tooltip).toContain('Batch 4 of epoch 2');
    expect(tooltip).toContain('carried from previous batch');
    expect(tooltip).toContain('| 1 | 0.0000 | 0.0000 | 0.5000 | 0.7000 |');
    expect((provider.getTreeItem(run).tooltip as vscode.MarkdownString).value).toContain('stateful: row i continues row i');
  });

  it('groups a large epoch into ranges, never more than 500 children, and getParent inverts getChildren', async () => {
    const runs = tempWorkspace();
    const dir = writeRunFolder(runs, '20261101-000000-000-big', { epochs: 1, batchesPerEpoch: 100_000, end: 'finished' });
    const { provider } = setup([dir]);
    const [run] = await provider.getChildren();
    const started = Date.now();
    const [epoch] = await provider.getChildren(run);
    const loadMs = Date.now() - started;
    const ranges = await provider.getChildren(epoch);
    expect(ranges).toHaveLength(200);
    expect(label(provider, ranges[0])).toBe('Batches 1–500');
    expect(label(provider, ranges[199])).toBe('Batches 99501–100000');
    const batches = await provider.getChildren(ranges[199]);
    expect(batches).toHaveLength(500);
    expect(label(provider, batches[499])).toBe('Batch 100000');
    for (const child of [ranges[0], ranges[199]]) expect(provider.getParent(child)).toBe(epoch);
    for (const child of batches) expect(provider.getParent(child)).toBe(ranges[199]);
    expect(provider.getParent(epoch)).toBe(run);
    // The same node object comes back for the same batch (reveal and change events rely on it).
    expect(await provider.batchNode(dir, 99_999)).toBe(batches[499]);
    expect(loadMs).toBeLessThan(10_000);
  });
});

describe('Runs tree: live updates fire only the changed element', () => {
  it('new run → root; first batch of an epoch → run; further batches → epoch; state → run', async () => {
    const runs = tempWorkspace();
    const runDir = path.join(runs, '20261101-000000-000-live');
    const { live, provider, fired } = setup();
    live.live.add(runDir);
    const manifest = manifestOf('live', { epochs: 2, batchesPerEpoch: 3, stateful: true });
    live.emit(runDir, { type: 'started', protocolVersion: 1, runDir, manifest });
    provider.queue.flush();
    const [run] = await provider.getChildren();
    expect(provider.getTreeItem(run).contextValue).toBe('run.live');
    live.emit(runDir, { type: 'batch', record: batchRecord(0, 0, 0, 'first') });
    provider.queue.flush();
    live.emit(runDir, { type: 'batch', record: batchRecord(1, 0, 1, 'carried') });
    provider.queue.flush();
    live.emit(runDir, { type: 'state', status: 'paused' });
    provider.queue.flush();
    live.emit(runDir, { type: 'epochEnd', epoch: 0, meanLoss: 0.3, resets: { auto: 0, first: 1, epoch: 0, schedule: 0, manual: 0, carried: 1 } });
    provider.queue.flush();
    expect(ids(fired)).toEqual(['ROOT', `run`, `epoch:0`, `run`, `epoch:0`]);
    expect((provider.getTreeItem(run).iconPath as vscode.ThemeIcon).id).toBe('debug-pause');
    // A crash or terminate (no trainer event) still updates the run's status.
    live.sessions.fire({ runDir, state: 'interrupted' });
    provider.queue.flush();
    expect((provider.getTreeItem(run).iconPath as vscode.ThemeIcon).id).toBe('warning');
  });

  it('a large live epoch fires the epoch when it is regrouped, then only the last range', async () => {
    const { live, provider, fired, runDir } = startedLiveRun({ epochs: 1, batchesPerEpoch: 2000 });
    for (let step = 0; step < 502; step++) {
      live.emit(runDir, { type: 'batch', record: batchRecord(step, 0, step, 'auto') });
      provider.queue.flush();
    }
    // 500th batch (flat), 501st (regrouped into ranges), 502nd (second range grows).
    expect(ids(fired).slice(-3)).toEqual(['epoch:0', 'epoch:0', 'range:0:500:1']);
    const [run] = await provider.getChildren();
    const [epoch] = await provider.getChildren(run);
    const ranges = await provider.getChildren(epoch);
    expect(ranges.map((r) => label(provider, r))).toEqual(['Batches 1–500', 'Batches 501–502']);
    expect(fired.at(-1)![0]).toBe(ranges[1]);
  });

  it('coalesces: many batches between paints fire the minimal set once', async () => {
    const { live, provider, fired, runDir } = startedLiveRun({ epochs: 3, batchesPerEpoch: 5 });
    fired.length = 0;
    // Epoch 1 grows (epoch node queued), epoch 2 begins (run node queued): the run covers both.
    for (let step = 0; step < 7; step++) live.emit(runDir, { type: 'batch', record: batchRecord(step, step < 5 ? 0 : 1, step % 5, 'auto') });
    provider.queue.flush();
    expect(ids(fired)).toEqual(['run']);
    provider.queue.flush();
    expect(fired).toHaveLength(1);
  });

  it('stays cheap at 100k live batches: one small refresh per interval, whatever the batch rate', async () => {
    const { live, provider, fired, runDir } = startedLiveRun({ epochs: 1, batchesPerEpoch: 100_000 });
    fired.length = 0;
    const started = performance.now();
    for (let step = 0; step < 100_000; step++) {
      live.emit(runDir, { type: 'batch', record: batchRecord(step, 0, step, 'auto') });
      if (step % 1000 === 999) provider.queue.flush(); // e.g. 1000 batches per 100 ms paint
    }
    const ms = performance.now() - started;
    expect(fired).toHaveLength(100);
    expect(fired.every((elements) => elements !== undefined && elements.length === 1)).toBe(true);
    expect(ms).toBeLessThan(3000);
    const [run] = await provider.getChildren();
    const [epoch] = await provider.getChildren(run);
    expect(await provider.getChildren(epoch)).toHaveLength(200);
  });
});
