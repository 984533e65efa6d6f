import * as fs from 'fs';
import { spawn } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import * as vscode from 'vscode';
import { RunRepository } from '../../../src/extension/runs/runRepository';
import { RunsTreeProvider } from '../../../src/extension/tree/runsTreeProvider';
import type { RunsTreeNode } from '../../../src/extension/tree/treeNodes';
import { processStartTicks } from '../../../src/runStore/runStatus';
import { MemoryLog, tempWorkspace, waitFor } from '../helpers';
import { LiveFolder, writeRunFolder } from '../runFolder';
import { memento } from '../vscodeStubs';

let provider: RunsTreeProvider | undefined;
let repository: RunRepository | undefined;
afterEach(() => {
  provider?.dispose();
  repository?.dispose();
});

function setup(runDirs: string[] = [], state?: vscode.Memento) {
  repository = new RunRepository(new MemoryLog());
  provider = new RunsTreeProvider(repository, async () => runDirs, 1_000_000, state);
  const fired: Array<RunsTreeNode[] | undefined> = [];
  provider.onDidChangeTreeData((e) => fired.push(e === undefined ? undefined : Array.isArray(e) ? e : [e]));
  return { repository, provider, fired };
}

/** A tree listing one live run (written by this process) whose folder is being followed. */
async function followedLiveRun(spec: { epochs: number; batchesPerEpoch: number; stateful?: boolean }) {
  const folder = new LiveFolder(tempWorkspace(), '20261101-000000-000-live', spec);
  const tree = setup([folder.runDir]);
  await tree.provider.getChildren();
  await tree.repository.open(folder.runDir);
  tree.provider.queue.flush();
  tree.fired.length = 0;
  /** Appends, reads the folder as the follower would, and paints. */
  const step = async (write: () => void) => {
    write();
    await tree.repository.refresh(folder.runDir);
    tree.provider.queue.flush();
  };
  return { ...tree, folder, step };
}

const label = (p: RunsTreeProvider, node: RunsTreeNode) => p.getTreeItem(node).label;
const ids = (fired: Array<RunsTreeNode[] | undefined>) =>
  fired.map((e) =>
    e === undefined
      ? 'ROOT'
      : e.map((n) => n.id.split(':').slice(0, 1).concat(n.id.split(':').slice(2)).join(':')).join(' '),
  );
const icon = (p: RunsTreeProvider, node: RunsTreeNode) => (p.getTreeItem(node).iconPath as vscode.ThemeIcon).id;

describe('Runs tree: saved runs', () => {
  it('lists runs newest first with their status icons', async () => {
    const runs = tempWorkspace();
    const a = writeRunFolder(runs, '20261101-000000-000-a', { epochs: 1, batchesPerEpoch: 2, end: 'finished' });
    const b = writeRunFolder(runs, '20261102-000000-000-b', { epochs: 1, batchesPerEpoch: 2, end: null });
    const c = writeRunFolder(runs, '20261103-000000-000-c', { epochs: 1, batchesPerEpoch: 2, end: 'failed' });
    const { provider } = setup([a, b, c, path.join(runs, 'not-a-run')]);
    const roots = await provider.getChildren();
    expect(roots.map((n) => label(provider, n))).toEqual([
      '20261103-000000-000-c',
      '20261102-000000-000-b',
      '20261101-000000-000-a',
    ]);
    expect(roots.map((n) => icon(provider, n))).toEqual(['error', 'warning', 'pass']); // failed, interrupted (no end, writer gone), finished
    expect(provider.getTreeItem(roots[1]).description).toMatch(/^interrupted · stateless/);
    expect(provider.getTreeItem(roots[0]).contextValue).toBe('run.saved');
  });

  it('run → epochs → batches with cause icons, "carried ← batch k" and tooltips', async () => {
    const runs = tempWorkspace();
    const dir = writeRunFolder(runs, '20261101-000000-000-s', {
      epochs: 2,
      batchesPerEpoch: 4,
      stateful: true,
      end: 'finished',
    });
    const { provider } = setup([dir]);
    const [run] = await provider.getChildren();
    const epochs = await provider.getChildren(run);
    expect(epochs.map((n) => label(provider, n))).toEqual(['Epoch 1', 'Epoch 2']);
    expect(provider.getTreeItem(epochs[1]).description).toBe('loss 0.5000 · 1 reset');
    const batches = await provider.getChildren(epochs[1]);
    const items = batches.map((n) => provider.getTreeItem(n));
    expect(items.map((i) => i.label)).toEqual(['Batch 1', 'Batch 2', 'Batch 3', 'Batch 4']);
    expect(items.map((i) => (i.iconPath as vscode.ThemeIcon).id)).toEqual([
      'refresh',
      'arrow-right',
      'arrow-right',
      'arrow-right',
    ]);
    expect(items[0].description).toMatch(/^zeros \(epoch-end reset\) · loss/);
    expect(items[3].description).toMatch(/^carried ← batch 3 · loss 0\.1250/);
    const tooltip = (items[3].tooltip as vscode.MarkdownString).value;
    expect(tooltip).toContain('Batch 4 of epoch 2');
    expect(tooltip).toContain('initial state: carried ← batch 3 — row i continues row i of step 6');
    expect(tooltip).toContain('| 1 | 0.0000 | 0.0000 | 0.5000 | 0.7000 |');
    expect((provider.getTreeItem(run).tooltip as vscode.MarkdownString).value).toContain(
      'stateful: row i continues row i',
    );
  });

  it('an unreadable batch says so, with no norms or tensor claim, and offers nothing to export or copy', async () => {
    const runs = tempWorkspace();
    const dir = writeRunFolder(runs, '20261101-000000-000-d', {
      epochs: 1,
      batchesPerEpoch: 3,
      stateful: true,
      end: 'finished',
    });
    const log = path.join(dir, 'log.jsonl');
    const lines = fs.readFileSync(log, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"t":"batch"') && JSON.parse(l).step === 1);
    lines[at] = lines[at].slice(0, 20);
    fs.writeFileSync(log, lines.join('\n'));
    const { provider } = setup([dir]);
    const [run] = await provider.getChildren();
    const [epoch] = await provider.getChildren(run);
    const items = (await provider.getChildren(epoch)).map((n) => provider.getTreeItem(n));
    expect(items.map((i) => i.contextValue)).toEqual(['batch.normsOnly', 'batch.unreadable', 'batch.normsOnly']);
    const tooltip = (items[1].tooltip as vscode.MarkdownString).value;
    expect(tooltip).toMatch(new RegExp(`before line ${at + 2} of the log\\\\?\\) could not be read`));
    expect(tooltip).not.toMatch(/norms only|full tensors saved|mean ‖h₀‖/);
    // package.json's menus: Export Batch and Copy Values only on batches whose data can be read.
    const menus = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')).contributes
      .menus['view/item/context'] as Array<{ command: string; when: string }>;
    for (const command of ['lstmState.exportBatch', 'lstmState.copyValues']) {
      const when = menus.find((m) => m.command === command)!.when;
      const pattern = new RegExp(/viewItem =~ \/(.*)\/$/.exec(when)![1]);
      expect(items.map((i) => pattern.test(i.contextValue!))).toEqual([true, false, true]);
    }
  });

  it('groups a large epoch into ranges, never more than 500 children, and getParent inverts getChildren', async () => {
    const runs = tempWorkspace();
    const dir = writeRunFolder(runs, '20261101-000000-000-big', {
      epochs: 1,
      batchesPerEpoch: 100_000,
      end: 'finished',
    });
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

describe('Runs tree: validation and prediction are their own nodes', () => {
  it("each epoch's validation under the epoch; the prediction after training under the run; carries across phases named", async () => {
    const runs = tempWorkspace();
    const dir = writeRunFolder(runs, '20261101-000000-000-val', {
      epochs: 2,
      batchesPerEpoch: 3,
      stateful: true,
      validationBatches: 2,
      predictBatches: 2,
      end: 'finished',
    });
    const { provider } = setup([dir]);
    const [run] = await provider.getChildren();
    const top = await provider.getChildren(run);
    expect(top.map((n) => label(provider, n))).toEqual(['Epoch 1', 'Epoch 2', 'Prediction']);
    expect(provider.getTreeItem(top[0]).description).toBe('loss 0.5000 · val 0.2500 · 1 reset');
    const epoch2 = await provider.getChildren(top[1]);
    expect(epoch2.map((n) => label(provider, n))).toEqual(['Batch 1', 'Batch 2', 'Batch 3', 'Validation']);
    expect(provider.getTreeItem(epoch2[3]).description).toBe('2 batches · loss 0.2500 · 0 resets');
    const validation = await provider.getChildren(epoch2[3]);
    expect(validation.map((n) => provider.getTreeItem(n).description?.toString().split(' · ')[0])).toEqual([
      'carried ← training batch 3 of epoch 2',
      'carried ← batch 1',
    ]);
    for (const node of validation) expect(provider.getParent(node)).toBe(epoch2[3]);
    expect(provider.getParent(epoch2[3])).toBe(top[1]);
    // Epoch 2's first training batch started from zeros (epoch reset); the prediction carries from the last validation batch.
    const prediction = await provider.getChildren(top[2]);
    expect(provider.getTreeItem(prediction[0]).description?.toString().split(' · ')[0]).toBe(
      'carried ← validation batch 2 of epoch 2',
    );
    expect(provider.getParent(top[2])).toBe(run);
    expect(await provider.batchNode(dir, 6)).toBe(epoch2[1]);
    expect(await provider.batchNode(dir, 4)).toBe(
      (await provider.getChildren((await provider.getChildren(top[0]))[3]))[1],
    );
  });
});

describe('Runs tree: a filter per run shows only the resets, or one cause', () => {
  it('finds the one manual reset of a 100-epoch run in one pick, and keeps the filter across reloads', async () => {
    const runs = tempWorkspace();
    const dir = writeRunFolder(runs, '20261101-000000-000-long', {
      epochs: 100,
      batchesPerEpoch: 20,
      stateful: true,
      manualAt: [59 * 20 + 7],
      end: 'finished',
    });
    const state = memento();
    const tree = setup([dir], state);
    const [run] = await tree.provider.getChildren();
    expect(await tree.provider.getChildren(run)).toHaveLength(100);
    await tree.provider.setFilter(dir, { kind: 'cause', cause: 'manual' });
    const [runAgain] = await tree.provider.getChildren();
    expect(tree.provider.getTreeItem(runAgain).description).toMatch(/showing zeros \(manual reset\)$/);
    const epochs = await tree.provider.getChildren(runAgain);
    expect(epochs.map((n) => label(tree.provider, n))).toEqual(['Epoch 60']);
    const batches = await tree.provider.getChildren(epochs[0]);
    expect(batches.map((n) => tree.provider.getTreeItem(n).label)).toEqual(['Batch 8']);
    expect(tree.provider.getParent(batches[0])).toBe(epochs[0]);
    expect(await tree.provider.batchNode(dir, 59 * 20 + 7)).toBe(batches[0]);
    // A batch the filter hides cannot be revealed.
    expect(await tree.provider.batchNode(dir, 59 * 20 + 8)).toBeUndefined();
    // Reloaded (a new provider on the same workspace state): the run still shows only its manual reset.
    tree.provider.dispose();
    const reloaded = setup([dir], state);
    const [run2] = await reloaded.provider.getChildren();
    expect((await reloaded.provider.getChildren(run2)).map((n) => label(reloaded.provider, n))).toEqual(['Epoch 60']);
    await reloaded.provider.setFilter(dir, undefined);
    expect(await reloaded.provider.getChildren(run2)).toHaveLength(100);
  });

  it('"resets only" of a large epoch groups the matching batches in ranges of matches', async () => {
    const runs = tempWorkspace();
    // Stateless: every batch is an automatic reset, 1200 in one epoch.
    const dir = writeRunFolder(runs, '20261101-000000-000-big', { epochs: 1, batchesPerEpoch: 1200, end: 'finished' });
    const { provider } = setup([dir], memento());
    const [run] = await provider.getChildren();
    await provider.setFilter(dir, { kind: 'resets' });
    const [epoch] = await provider.getChildren(run);
    const ranges = await provider.getChildren(epoch);
    expect(ranges.map((n) => label(provider, n))).toEqual(['Batches 1–500', 'Batches 501–1000', 'Batches 1001–1200']);
    const last = await provider.getChildren(ranges[2]);
    expect(last).toHaveLength(200);
    expect(provider.getParent(last[0])).toBe(ranges[2]);
  });
});

describe('Runs tree: a live run is followed from its folder, and only the changed element fires', () => {
  it('first batch of an epoch → run; further batches → epoch; a pause in the log → run; epoch end → epoch', async () => {
    const { provider, fired, folder, step } = await followedLiveRun({ epochs: 2, batchesPerEpoch: 3, stateful: true });
    const [run] = await provider.getChildren();
    expect(provider.getTreeItem(run).contextValue).toBe('run.live');
    await step(() => folder.batch(0, 0, 'first'));
    await step(() => folder.batch(0, 1, 'carried'));
    await step(() => folder.append({ t: 'state', status: 'paused', atStep: 2 }));
    await step(() => folder.append({ t: 'epochEnd', epoch: 0, meanLoss: 0.3, batches: 2 }));
    expect(ids(fired)).toEqual(['run', 'epoch:0', 'run', 'epoch:0']);
    expect(icon(provider, run)).toBe('debug-pause');
  });

  it('a run whose writer dies without an end record turns interrupted; one that was not listed refreshes the root', async () => {
    const writer = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    await waitFor(() => writer.pid !== undefined && processStartTicks(writer.pid) !== null, 5000, 'writer started');
    const runsDir = tempWorkspace();
    const listed = new LiveFolder(
      runsDir,
      '20261101-000000-000-listed',
      { epochs: 1, batchesPerEpoch: 2 },
      { pid: writer.pid!, hostname: os.hostname(), startTicks: processStartTicks(writer.pid!) },
    );
    const { provider, repository, fired } = setup([listed.runDir]);
    const [run] = await provider.getChildren();
    await repository.open(listed.runDir);
    expect(icon(provider, run)).toBe('sync~spin');
    writer.kill('SIGKILL');
    await new Promise((resolve) => writer.once('exit', resolve));
    await repository.refresh(listed.runDir);
    provider.queue.flush();
    expect(icon(provider, run)).toBe('warning');
    expect(ids(fired).at(-1)).toBe('run');
    // A run the list did not hold (e.g. just started elsewhere) appears by refreshing the root.
    const other = new LiveFolder(runsDir, '20261102-000000-000-other', { epochs: 1, batchesPerEpoch: 2 });
    await repository.open(other.runDir);
    other.batch(0, 0);
    await repository.refresh(other.runDir);
    provider.queue.flush();
    expect(fired.at(-1)).toBeUndefined();
    expect((await provider.getChildren()).map((n) => label(provider, n))).toEqual([
      '20261102-000000-000-other',
      '20261101-000000-000-listed',
    ]);
  });

  it('a large live epoch fires the epoch when it is regrouped, then only the last range', async () => {
    const { provider, fired, folder, step } = await followedLiveRun({ epochs: 1, batchesPerEpoch: 2000 });
    for (let batch = 0; batch < 502; batch++) await step(() => folder.batch(0, batch));
    // 500th batch (flat), 501st (regrouped into ranges), 502nd (second range grows).
    expect(ids(fired).slice(-3)).toEqual(['epoch:0', 'epoch:0', 'range:0:train:500:1']);
    const [run] = await provider.getChildren();
    const [epoch] = await provider.getChildren(run);
    const ranges = await provider.getChildren(epoch);
    expect(ranges.map((r) => label(provider, r))).toEqual(['Batches 1–500', 'Batches 501–502']);
    expect(fired.at(-1)![0]).toBe(ranges[1]);
  });

  it('coalesces: many batches between paints fire the minimal set once', async () => {
    const { fired, folder, step, provider } = await followedLiveRun({ epochs: 3, batchesPerEpoch: 5 });
    // Epoch 1 grows (epoch node queued), epoch 2 begins (run node queued): the run covers both.
    await step(() => {
      for (let i = 0; i < 7; i++) folder.batch(i < 5 ? 0 : 1, i % 5);
    });
    expect(ids(fired)).toEqual(['run']);
    provider.queue.flush();
    expect(fired).toHaveLength(1);
  });

  it('stays cheap at 100k live batches: one small refresh per read, whatever the batch rate', async () => {
    const { provider, fired, folder, step } = await followedLiveRun({ epochs: 1, batchesPerEpoch: 100_000 });
    await step(() => folder.batch(0, 0));
    fired.length = 0;
    const started = performance.now();
    for (let chunk = 0; chunk < 100; chunk++) {
      // e.g. 1000 batches written between two reads of the folder
      await step(() => folder.batches(0, Math.max(1, chunk * 1000), chunk === 0 ? 999 : 1000));
    }
    const ms = performance.now() - started;
    expect(fired).toHaveLength(100);
    expect(fired.every((elements) => elements !== undefined && elements.length === 1)).toBe(true);
    expect(ms).toBeLessThan(15_000);
    const [run] = await provider.getChildren();
    const [epoch] = await provider.getChildren(run);
    expect(await provider.getChildren(epoch)).toHaveLength(200);
  });
});
