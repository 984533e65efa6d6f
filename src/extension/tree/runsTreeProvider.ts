/**
 * The Runs tree: runs → epochs → (ranges →) batches, read from the run repository. Children are
 * made only when a node is expanded; a run's new records update the one node whose children
 * changed, coalesced by FireQueue.
 */
import * as fs from 'fs';
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import type { RunChange, RunModel } from '../runs/runModel';
import { runKey, type RunRepository } from '../runs/runRepository';
import { FireQueue } from './fireQueue';
import { changedOnAppend, groupChildren, MAX_CHILDREN, rangesTo, topSpan } from './grouping';
import { batchItem, epochItem, rangeItem, runItem } from './treeItems';
import { NodeCache, type BatchNode, type RunsTreeNode } from './treeNodes';

/** TreeDataProvider of the `lstmState.runs` view. */
export class RunsTreeProvider extends Disposable implements vscode.TreeDataProvider<RunsTreeNode> {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<RunsTreeNode | RunsTreeNode[] | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly nodes = new NodeCache();
  /** Keys of the runs the root level last listed: a change of another run means the list changed. */
  private listed = new Set<string>();
  readonly queue: FireQueue<RunsTreeNode>;

  constructor(
    private readonly runs: RunRepository,
    private readonly listRunDirs: () => Promise<string[]>,
    updateIntervalMs: number,
  ) {
    super();
    this.queue = new FireQueue(
      (elements) => this.changeEmitter.fire(elements),
      (node) => this.getParent(node),
      updateIntervalMs,
    );
    this._register(this.queue);
    this._register(runs.onDidChangeRun((change) => this.onChange(change)));
  }

  /** Re-reads the list of runs (new or deleted folders); open runs keep their batches. */
  refresh(): void {
    this.runs.forgetHeaders();
    this.queue.add(undefined);
  }

  async getChildren(node?: RunsTreeNode): Promise<RunsTreeNode[]> {
    if (!node) return (await this.listRuns()).map((model) => this.nodes.run(model.runDir));
    const model = node.kind === 'run' ? await this.runs.open(node.runDir) : this.runs.get(node.runDir);
    if (!model) return [];
    if (node.kind === 'run') return model.epochList().map((info) => this.nodes.epoch(node.runDir, info.epoch));
    if (node.kind === 'batch') return [];
    const count = model.epochs[node.epoch]?.count ?? 0;
    const [start, end, span] =
      node.kind === 'epoch'
        ? [0, count, topSpan(count)]
        : [node.start, Math.min(count, node.start + node.span * MAX_CHILDREN), node.span];
    const first = model.epochs[node.epoch]?.firstStep ?? 0;
    return groupChildren(start, end, span).map((child) =>
      child.kind === 'range'
        ? this.nodes.range(node.runDir, node.epoch, child.start, child.span)
        : this.nodes.batch(node.runDir, node.epoch, child.index, first + child.index),
    );
  }

  getTreeItem(node: RunsTreeNode): vscode.TreeItem {
    const model = this.runs.get(node.runDir);
    if (!model) return new vscode.TreeItem('(run no longer available)');
    switch (node.kind) {
      case 'run':
        return runItem(node.id, model, model.loaded ? model.answer() : undefined);
      case 'epoch':
        return epochItem(node.id, model, model.epochs[node.epoch]);
      case 'range': {
        const count = model.epochs[node.epoch]?.count ?? 0;
        return rangeItem(node.id, node.start, Math.min(count, node.start + node.span * MAX_CHILDREN));
      }
      case 'batch':
        return batchItem(node, model, model.batches[node.step]);
    }
  }

  getParent(node: RunsTreeNode): RunsTreeNode | undefined {
    if (node.kind === 'run') return undefined;
    if (node.kind === 'epoch') return this.nodes.run(node.runDir);
    const count = this.runs.get(node.runDir)?.epochs[node.epoch]?.count ?? 0;
    const path = rangesTo(node.kind === 'batch' ? node.index : node.start, count);
    // A range's parent is the range one level up from it; a batch's is the innermost range.
    const ranges = node.kind === 'range' ? path.filter((r) => r.span > node.span) : path;
    const parent = ranges[ranges.length - 1];
    return parent
      ? this.nodes.range(node.runDir, node.epoch, parent.start, parent.span)
      : this.nodes.epoch(node.runDir, node.epoch);
  }

  /** The node of batch `step` (loading the run if needed), for `TreeView.reveal`. */
  async batchNode(runDir: string, step: number): Promise<BatchNode | undefined> {
    const model = await this.runs.open(runDir);
    const record = model.batches[step];
    if (!record) return undefined;
    return this.nodes.batch(model.runDir, record.epoch, record.step - model.epochs[record.epoch].firstStep, step);
  }

  /** Runs `work` (a `TreeView.reveal`) with live refreshes held back, so it can complete. */
  withoutRefreshes<R>(work: () => Thenable<R>): Promise<R> {
    return this.queue.hold(work);
  }

  /** Every run folder found, and every run the repository holds whose folder still exists, newest first. */
  private async listRuns(): Promise<RunModel[]> {
    const dirs = new Map((await this.listRunDirs()).map((dir) => [runKey(dir), dir]));
    for (const model of this.runs.known())
      if (!dirs.has(model.key) && fs.existsSync(model.runDir)) dirs.set(model.key, model.runDir);
    const models = await Promise.all([...dirs.values()].map((dir) => this.runs.header(dir).catch(() => undefined)));
    const listed = models
      .filter((m): m is RunModel => m !== undefined)
      .sort((a, b) => baseName(b.runDir).localeCompare(baseName(a.runDir)));
    this.listed = new Set(listed.map((model) => model.key));
    return listed;
  }

  private onChange({ model, batchesFrom, epochsEnded, statusChanged }: RunChange): void {
    if (!this.listed.has(model.key)) {
      this.queue.add(undefined);
      return;
    }
    const runDir = model.runDir;
    if (statusChanged) this.queue.add(this.nodes.run(runDir));
    for (let step = batchesFrom; step < model.batches.length; step++) {
      const record = model.batches[step];
      const changed = changedOnAppend(step - model.epochs[record.epoch].firstStep);
      if (changed.kind === 'run') this.queue.add(this.nodes.run(runDir));
      else if (changed.kind === 'epoch') this.queue.add(this.nodes.epoch(runDir, record.epoch));
      else this.queue.add(this.nodes.range(runDir, record.epoch, changed.start, changed.span));
    }
    for (const ended of epochsEnded) this.queue.add(this.nodes.epoch(runDir, ended.epoch));
  }
}

function baseName(runDir: string): string {
  return runDir.split(/[\\/]/).pop() ?? runDir;
}
