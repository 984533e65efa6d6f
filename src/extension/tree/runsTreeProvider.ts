/**
 * The Runs tree: runs → epochs → (ranges →) batches, read from the run repository. Children are
 * made only when a node is expanded; a run's new records update the one node whose children
 * changed, coalesced by FireQueue.
 */
import * as fs from 'fs';
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import type { Phase } from '../../shared/runFormat';
import type { BatchGroup, RunChange, RunModel } from '../runs/runModel';
import { runKey, type RunRepository } from '../runs/runRepository';
import { allOf, isBatchFilter, matchesFilter, matchingOf, type BatchFilter, type EpochView } from './batchFilter';
import { FireQueue } from './fireQueue';
import { changedOnAppend, groupChildren, MAX_CHILDREN, rangesTo, topSpan } from './grouping';
import { batchItem, epochItem, phaseItem, rangeItem, runItem } from './treeItems';
import { NodeCache, type BatchNode, type RunsTreeNode } from './treeNodes';

/** TreeDataProvider of the `lstmState.runs` view. */
export class RunsTreeProvider extends Disposable implements vscode.TreeDataProvider<RunsTreeNode> {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<RunsTreeNode | RunsTreeNode[] | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly nodes = new NodeCache();
  /** The filtered view of each group, by the filter and the group's size it was made for. */
  private readonly views = new WeakMap<BatchGroup, { key: string; length: number; view: EpochView }>();
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
    switch (node.kind) {
      case 'run':
        return this.runChildren(model);
      case 'epoch': {
        // The epoch's training batches, then its other phases (validation, evaluation, prediction).
        const train = model.epochs[node.epoch];
        const batches = train ? this.groupChildren(model, train, 0, undefined) : [];
        const phases = model
          .phasesOf(node.epoch)
          .filter((group) => this.shown(model, group))
          .map((group) => this.nodes.phase(model.runDir, group.epoch, group.phase));
        return [...batches, ...phases];
      }
      case 'phase': {
        const group = model.group(node.epoch, node.phase);
        return group ? this.groupChildren(model, group, 0, undefined) : [];
      }
      case 'range': {
        const group = model.group(node.epoch, node.phase);
        return group ? this.groupChildren(model, group, node.start, node.span) : [];
      }
      case 'batch':
        return [];
    }
  }

  getTreeItem(node: RunsTreeNode): vscode.TreeItem {
    const model = this.runs.get(node.runDir);
    if (!model) return new vscode.TreeItem('(run no longer available)');
    switch (node.kind) {
      case 'run':
        return runItem(node.id, model, model.loaded ? model.answer() : undefined, this.filterOf(node.runDir));
      case 'epoch':
        return epochItem(node.id, model, node.epoch);
      case 'phase':
        return phaseItem(node.id, model, model.group(node.epoch, node.phase));
      case 'range': {
        const group = model.group(node.epoch, node.phase);
        const view = group ? this.viewOf(model, group) : allOf(0);
        const end = Math.min(view.count, node.start + node.span * MAX_CHILDREN);
        const batchAt = (position: number) =>
          group ? model.batches.batchOf(group.steps.at(view.indexAt(position))) : 0;
        return rangeItem(node.id, batchAt(node.start), batchAt(end - 1) + 1, end - node.start);
      }
      case 'batch': {
        const record = model.batches.at(node.step);
        if (!record) return new vscode.TreeItem('(batch no longer available)');
        // Row sources are not in the columns: such a batch's tooltip is made when it is hovered (resolveTreeItem).
        return batchItem(node, model, record, model.batches.hasRowSources(node.step) ? 'later' : 'now');
      }
    }
  }

  /** A batch with row sources gets its tooltip from its full record, read from the log when it is hovered. */
  async resolveTreeItem(item: vscode.TreeItem, node: RunsTreeNode): Promise<vscode.TreeItem> {
    const model = this.runs.get(node.runDir);
    if (node.kind !== 'batch' || item.tooltip || !model) return item;
    try {
      item.tooltip = batchItem(node, model, await model.record(node.step), 'now').tooltip;
    } catch (error) {
      item.tooltip = `cannot read batch ${node.step}: ${error instanceof Error ? error.message : String(error)}`;
    }
    return item;
  }

  getParent(node: RunsTreeNode): RunsTreeNode | undefined {
    if (node.kind === 'run') return undefined;
    if (node.kind === 'epoch') return this.nodes.run(node.runDir);
    const model = this.runs.get(node.runDir);
    // A phase hangs under its epoch, or under the run when the epoch has no training batches (a prediction after training).
    if (node.kind === 'phase')
      return model?.epochs[node.epoch] ? this.nodes.epoch(node.runDir, node.epoch) : this.nodes.run(node.runDir);
    const container = (epoch: number, phase: Phase): RunsTreeNode =>
      phase === 'train' ? this.nodes.epoch(node.runDir, epoch) : this.nodes.phase(node.runDir, epoch, phase);
    const group = model?.group(node.epoch, node.phase);
    const view = model && group ? this.viewOf(model, group) : allOf(0);
    const position = node.kind === 'batch' ? view.positionOf(node.index) : node.start;
    const path = rangesTo(Math.max(position, 0), view.count);
    // A range's parent is the range one level up from it; a batch's is the innermost range.
    const ranges = node.kind === 'range' ? path.filter((r) => r.span > node.span) : path;
    const parent = ranges[ranges.length - 1];
    return parent
      ? this.nodes.range(node.runDir, node.epoch, node.phase, parent.start, parent.span)
      : container(node.epoch, node.phase);
  }

  /** The node of batch `step` (loading the run if needed), for `TreeView.reveal`. */
  async batchNode(runDir: string, step: number): Promise<BatchNode | undefined> {
    const model = await this.runs.open(runDir);
    if (!(step >= 0 && step < model.batches.length)) return undefined;
    const filter = this.filterOf(runDir);
    // A batch the run's filter hides has no node to reveal.
    if (filter && !matchesFilter(filter, model.batches.causeOf(step))) return undefined;
    return this.nodes.batch(
      model.runDir,
      model.batches.epochOf(step),
      model.batches.phaseOf(step),
      model.positionOf(step),
      step,
    );
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

  /** Under a run: its epochs, and the phases of epochs without training batches (a prediction after training). */
  private runChildren(model: RunModel): RunsTreeNode[] {
    const children: RunsTreeNode[] = [];
    for (const epoch of model.epochNumbers()) {
      const train = model.epochs[epoch];
      const others = model.phasesOf(epoch).filter((group) => this.shown(model, group));
      if (train && (this.shown(model, train) || others.length)) children.push(this.nodes.epoch(model.runDir, epoch));
      else if (!train) children.push(...others.map((group) => this.nodes.phase(model.runDir, epoch, group.phase)));
    }
    return children;
  }

  /** The children of a group's positions [start, start + span · max): ranges, or batches. */
  private groupChildren(model: RunModel, group: BatchGroup, start: number, span: number | undefined): RunsTreeNode[] {
    const view = this.viewOf(model, group);
    const [from, to, childSpan] =
      span === undefined
        ? [0, view.count, topSpan(view.count)]
        : [start, Math.min(view.count, start + span * MAX_CHILDREN), span];
    return groupChildren(from, to, childSpan).map((child) => {
      if (child.kind === 'range')
        return this.nodes.range(model.runDir, group.epoch, group.phase, child.start, child.span);
      const index = view.indexAt(child.index);
      return this.nodes.batch(model.runDir, group.epoch, group.phase, index, group.steps.at(index));
    });
  }

  /** Whether the tree shows a group at all (under a filter, only groups with a matching batch). */
  private shown(model: RunModel, group: BatchGroup): boolean {
    return !this.filterOf(model.runDir) || this.viewOf(model, group).count > 0;
  }

  /** The positions the tree shows of a group: every batch, or those the run's filter keeps (kept until the group grows). */
  private viewOf(model: RunModel, group: BatchGroup): EpochView {
    const filter = this.filterOf(model.runDir);
    if (!filter) return allOf(group.steps.length);
    const key = JSON.stringify(filter);
    const kept = this.views.get(group);
    if (kept && kept.key === key && kept.length === group.steps.length) return kept.view;
    const positions: number[] = [];
    for (let position = 0; position < group.steps.length; position++)
      if (matchesFilter(filter, model.batches.causeOf(group.steps.at(position)))) positions.push(position);
    const view = matchingOf(positions);
    this.views.set(group, { key, length: group.steps.length, view });
    return view;
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
    if (this.filterOf(runDir) || model.batches.length - batchesFrom > MAX_CHILDREN) {
      // A filtered run is redrawn from the run node when it gains batches: its ranges count matches, not batches.
      // So is a run that gained many at once (its first read): one refresh instead of a look at each batch.
      if (batchesFrom < model.batches.length || epochsEnded.length) this.queue.add(this.nodes.run(runDir));
      return;
    }
    for (let step = batchesFrom; step < model.batches.length; step++) {
      const epoch = model.batches.epochOf(step);
      const phase = model.batches.phaseOf(step);
      const position = model.positionOf(step);
      if (position === 0) {
        // A new group: a new epoch (the run's children change) or a new phase of an epoch (the epoch's).
        const parent =
          phase === 'train' || !model.epochs[epoch] ? this.nodes.run(runDir) : this.nodes.epoch(runDir, epoch);
        this.queue.add(parent);
        continue;
      }
      const changed = changedOnAppend(position);
      const groupNode = phase === 'train' ? this.nodes.epoch(runDir, epoch) : this.nodes.phase(runDir, epoch, phase);
      if (changed.kind === 'run' || changed.kind === 'epoch') this.queue.add(groupNode);
      else this.queue.add(this.nodes.range(runDir, epoch, phase, changed.start, changed.span));
    }
    for (const ended of epochsEnded) {
      this.queue.add(this.nodes.epoch(runDir, ended.epoch));
      if (ended.validation && model.group(ended.epoch, 'validate'))
        this.queue.add(this.nodes.phase(runDir, ended.epoch, 'validate'));
    }
  }
}

const FILTERS_KEY = 'lstmState.runFilters';

function baseName(runDir: string): string {
  return runDir.split(/[\\/]/).pop() ?? runDir;
}
