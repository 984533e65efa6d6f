/**
 * The Runs tree: runs → epochs → (ranges →) batches. Children are made only when a node is
 * expanded; live batches update the one node whose children changed, coalesced by FireQueue.
 */
import * as vscode from 'vscode';
import { answerForRun } from '../../runStore/readRun';
import type { TrainerEvent } from '../../shared/protocol';
import type { RunStatus } from '../../shared/runFormat';
import { Disposable } from '../dispose';
import { isEnded, type RunState } from '../run/runState';
import { FireQueue } from './fireQueue';
import { changedOnAppend, groupChildren, MAX_CHILDREN, rangesTo, topSpan } from './grouping';
import { RunModel } from './runModel';
import { batchItem, epochItem, rangeItem, runItem } from './treeItems';
import { NodeCache, type BatchNode, type RunsTreeNode } from './treeNodes';
import { TreeRuns } from './treeRuns';

/** What the tree needs from the run manager. */
export interface LiveRunSource {
  readonly onTrainerEvent: vscode.Event<{ runDir: string; event: TrainerEvent }>;
  readonly onDidChangeSession: vscode.Event<{ readonly runDir: string | undefined; readonly state: RunState }>;
  isLive(runDir: string): boolean;
}

/** TreeDataProvider of the `lstmState.runs` view. */
export class RunsTreeProvider extends Disposable implements vscode.TreeDataProvider<RunsTreeNode> {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<RunsTreeNode | RunsTreeNode[] | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly nodes = new NodeCache();
  private readonly runs: TreeRuns;
  readonly queue: FireQueue<RunsTreeNode>;

  constructor(private readonly live: LiveRunSource, listRunDirs: () => Promise<string[]>, updateIntervalMs: number) {
    super();
    this.runs = new TreeRuns(listRunDirs, (runDir) => live.isLive(runDir));
    this.queue = new FireQueue((elements) => this.changeEmitter.fire(elements), (node) => this.getParent(node), updateIntervalMs);
    this._register(this.queue);
    this._register(live.onTrainerEvent(({ runDir, event }) => this.onEvent(runDir, event)));
    // Crashes and terminations end a run without a trainer event: take the status from the session.
    this._register(live.onDidChangeSession(({ runDir, state }) => {
      if (runDir && isEnded(state)) this.setStatus(runDir, state as RunStatus);
    }));
  }

  /** Re-reads the list of runs (new or deleted folders); loaded runs keep their batches. */
  refresh(): void {
    this.runs.forgetHeaders();
    this.queue.add(undefined);
  }

  async getChildren(node?: RunsTreeNode): Promise<RunsTreeNode[]> {
    if (!node) return (await this.runs.list()).map((runDir) => this.nodes.run(runDir));
    const model = node.kind === 'run' ? await this.runs.load(node.runDir) : this.runs.get(node.runDir);
    if (!model) return [];
    if (node.kind === 'run') return model.epochList().map((info) => this.nodes.epoch(node.runDir, info.epoch));
    if (node.kind === 'batch') return [];
    const count = model.epochs[node.epoch]?.count ?? 0;
    const [start, end, span] = node.kind === 'epoch'
      ? [0, count, topSpan(count)]
      : [node.start, Math.min(count, node.start + node.span * MAX_CHILDREN), node.span];
    const first = model.epochs[node.epoch]?.firstStep ?? 0;
    return groupChildren(start, end, span).map((child) => child.kind === 'range'
      ? this.nodes.range(node.runDir, node.epoch, child.start, child.span)
      : this.nodes.batch(node.runDir, node.epoch, child.index, first + child.index));
  }

  getTreeItem(node: RunsTreeNode): vscode.TreeItem {
    const model = this.runs.get(node.runDir);
    if (!model) return new vscode.TreeItem('(run no longer available)');
    switch (node.kind) {
      case 'run': {
        const answer = this.runs.isLoaded(node.runDir) ? answerForRun(model, model.counts) : undefined;
        return runItem(node.id, model, this.live.isLive(node.runDir), answer);
      }
      case 'epoch': return epochItem(node.id, model, model.epochs[node.epoch]);
      case 'range': {
        const count = model.epochs[node.epoch]?.count ?? 0;
        return rangeItem(node.id, node.start, Math.min(count, node.start + node.span * MAX_CHILDREN));
      }
      case 'batch': return batchItem(node, model, model.batches[node.step]);
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
    return parent ? this.nodes.range(node.runDir, node.epoch, parent.start, parent.span) : this.nodes.epoch(node.runDir, node.epoch);
  }

  /** The node of batch `step` (loading the run if needed), for `TreeView.reveal`. */
  async batchNode(runDir: string, step: number): Promise<BatchNode | undefined> {
    const model = await this.runs.load(runDir);
    const record = model.batches[step];
    if (!record) return undefined;
    return this.nodes.batch(runDir, record.epoch, record.step - model.epochs[record.epoch].firstStep, step);
  }

  /** Runs `work` (a `TreeView.reveal`) with live refreshes held back, so it can complete. */
  withoutRefreshes<R>(work: () => Thenable<R>): Promise<R> {
    return this.queue.hold(work);
  }

  /** The tree's model of a run (loads it). */
  model(runDir: string): Promise<RunModel> {
    return this.runs.load(runDir);
  }

  private onEvent(runDir: string, event: TrainerEvent): void {
    if (event.type === 'started') {
      this.runs.started(runDir, new RunModel(runDir, event.manifest, 'running'));
      this.queue.add(undefined);
      return;
    }
    const model = this.runs.get(runDir);
    if (!model) return;
    const run = this.nodes.run(runDir);
    switch (event.type) {
      case 'batch': {
        const { epoch, index } = model.appendBatch(event.record);
        const changed = changedOnAppend(index);
        if (changed.kind === 'run') this.queue.add(run);
        else if (changed.kind === 'epoch') this.queue.add(this.nodes.epoch(runDir, epoch.epoch));
        else this.queue.add(this.nodes.range(runDir, epoch.epoch, changed.start, changed.span));
        break;
      }
      case 'epochEnd':
        model.endEpoch(event.epoch, event.meanLoss);
        this.queue.add(this.nodes.epoch(runDir, event.epoch));
        break;
      case 'state': this.setStatus(runDir, event.status); break;
      case 'finished': this.setStatus(runDir, event.status); break;
      case 'failed': model.message = event.message; this.setStatus(runDir, 'failed'); break;
    }
  }

  private setStatus(runDir: string, status: RunStatus): void {
    const model = this.runs.get(runDir);
    if (!model || model.status === status) return;
    model.status = status;
    this.queue.add(this.nodes.run(runDir));
  }
}
