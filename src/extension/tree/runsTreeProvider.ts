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
import { allOf, isBatchFilter, matchesFilter, matchingOf, type BatchFilter, type EpochView } from './batchFilter';
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
    /** Where each run's filter is kept across reloads (the workspace state). */
    private readonly state?: vscode.Memento,
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
    if (node.kind === 'run') {
      const epochs = model.epochList().map((info) => info.epoch);
      // Filtered: only the epochs that hold a matching batch.
      const shown = this.filterOf(node.runDir) ? epochs.filter((epoch) => this.viewOf(model, epoch).count > 0) : epochs;
      return shown.map((epoch) => this.nodes.epoch(node.runDir, epoch));
    }
    if (node.kind === 'batch') return [];
    // Ranges and positions count the batches the tree shows (all, or those the filter keeps).
    const view = this.viewOf(model, node.epoch);
    const [start, end, span] =
      node.kind === 'epoch'
        ? [0, view.count, topSpan(view.count)]
        : [node.start, Math.min(view.count, node.start + node.span * MAX_CHILDREN), node.span];
    const first = model.epochs[node.epoch]?.firstStep ?? 0;
    return groupChildren(start, end, span).map((child) => {
      if (child.kind === 'range') return this.nodes.range(node.runDir, node.epoch, child.start, child.span);
      const index = view.indexAt(child.index);
      return this.nodes.batch(node.runDir, node.epoch, index, first + index);
    });
  }

  /** The run's filter, if the tree shows only some of its batches. */
  filterOf(runDir: string): BatchFilter | undefined {
    const stored = this.state?.get<Record<string, unknown>>(FILTERS_KEY, {})[runKey(runDir)];
    return isBatchFilter(stored) ? stored : undefined;
  }

  /** Shows only the batches `filter` keeps under the run (undefined: all); kept across reloads. */
  async setFilter(runDir: string, filter: BatchFilter | undefined): Promise<void> {
    const filters = { ...this.state?.get<Record<string, unknown>>(FILTERS_KEY, {}) };
    if (filter) filters[runKey(runDir)] = filter;
    else delete filters[runKey(runDir)];
    await this.state?.update(FILTERS_KEY, filters);
    // The run's nodes below it change shape: forget them and redraw the run.
    const model = this.runs.get(runDir);
    if (model) this.nodes.dropRun(model.runDir);
    this.queue.add(model ? this.nodes.run(model.runDir) : undefined);
    this.queue.flush();
  }

  /** The positions the tree shows of an epoch: every batch, or those the run's filter keeps. */
  private viewOf(model: RunModel, epoch: number): EpochView {
    const info = model.epochs[epoch];
    const count = info?.count ?? 0;
    const filter = this.filterOf(model.runDir);
    if (!filter || !info) return allOf(count);
    const indices: number[] = [];
    for (let i = 0; i < count; i++) if (matchesFilter(filter, model.batches[info.firstStep + i])) indices.push(i);
    return matchingOf(indices);
  }

  getTreeItem(node: RunsTreeNode): vscode.TreeItem {
    const model = this.runs.get(node.runDir);
    if (!model) return new vscode.TreeItem('(run no longer available)');
    switch (node.kind) {
      case 'run':
        return runItem(node.id, model, model.loaded ? model.answer() : undefined, this.filterOf(node.runDir));
      case 'epoch':
        return epochItem(node.id, model, model.epochs[node.epoch]);
      case 'range': {
        const view = this.viewOf(model, node.epoch);
        const end = Math.min(view.count, node.start + node.span * MAX_CHILDREN);
        return rangeItem(node.id, view.indexAt(node.start), view.indexAt(end - 1) + 1, end - node.start);
      }
      case 'batch':
        return batchItem(node, model, model.batches[node.step]);
    }
  }

  getParent(node: RunsTreeNode): RunsTreeNode | undefined {
    if (node.kind === 'run') return undefined;
    if (node.kind === 'epoch') return this.nodes.run(node.runDir);
    const model = this.runs.get(node.runDir);
    const view = model ? this.viewOf(model, node.epoch) : allOf(0);
    const position = node.kind === 'batch' ? view.positionOf(node.index) : node.start;
    const path = rangesTo(Math.max(position, 0), view.count);
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
    const filter = this.filterOf(runDir);
    // A batch the run's filter hides has no node to reveal.
    if (!record || (filter && !matchesFilter(filter, record))) return undefined;
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
    if (this.filterOf(runDir)) {
      // A filtered run is redrawn from the run node when it gains batches: its ranges count matches, not batches.
      if (batchesFrom < model.batches.length || epochsEnded.length) this.queue.add(this.nodes.run(runDir));
      return;
    }
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

const FILTERS_KEY = 'lstmState.runFilters';

function baseName(runDir: string): string {
  return runDir.split(/[\\/]/).pop() ?? runDir;
}
