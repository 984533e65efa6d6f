/** Elements of the Runs tree. One object per node, reused, so events and `reveal` can name them. */
import type { Phase } from '../../shared/runFormat';

/** A run folder. */
export type RunNode = { kind: 'run'; id: string; runDir: string };
/** Epoch `epoch` (0-based, shown 1-based) of a run: its training batches, and its other phases. */
export type EpochNode = { kind: 'epoch'; id: string; runDir: string; epoch: number };
/** The batches of another phase of an epoch: its validation, prediction or evaluation. */
export type PhaseNode = { kind: 'phase'; id: string; runDir: string; epoch: number; phase: Phase };
/** Positions [start, start + span * max) of a group's shown batches; children have span `span`. */
export type RangeNode = {
  kind: 'range';
  id: string;
  runDir: string;
  epoch: number;
  phase: Phase;
  start: number;
  span: number;
};
/** The batch at `index` in its group (epoch and phase); `step` is its index in the run. */
export type BatchNode = {
  kind: 'batch';
  id: string;
  runDir: string;
  epoch: number;
  phase: Phase;
  index: number;
  step: number;
};

/** Any element of the Runs tree. */
export type RunsTreeNode = RunNode | EpochNode | PhaseNode | RangeNode | BatchNode;

/**
 * Hands out the same node object for the same place in the tree. Batch nodes (a run has millions)
 * are held weakly: the same object while VS Code or anyone holds it, and forgotten once nobody
 * does, so a live run shown in an expanded tree does not keep a node for every batch it showed.
 */
export class NodeCache {
  private readonly nodes = new Map<string, RunsTreeNode>();
  private readonly batches = new Map<string, WeakRef<BatchNode>>();
  private readonly forget = new FinalizationRegistry<string>((id) => {
    if (!this.batches.get(id)?.deref()) this.batches.delete(id);
  });

  run(runDir: string): RunNode {
    return this.get(`run:${runDir}`, (id) => ({ kind: 'run', id, runDir }));
  }

  epoch(runDir: string, epoch: number): EpochNode {
    return this.get(`epoch:${runDir}:${epoch}`, (id) => ({ kind: 'epoch', id, runDir, epoch }));
  }

  phase(runDir: string, epoch: number, phase: Phase): PhaseNode {
    return this.get(`phase:${runDir}:${epoch}:${phase}`, (id) => ({ kind: 'phase', id, runDir, epoch, phase }));
  }

  range(runDir: string, epoch: number, phase: Phase, start: number, span: number): RangeNode {
    return this.get(`range:${runDir}:${epoch}:${phase}:${start}:${span}`, (id) => ({
      kind: 'range',
      id,
      runDir,
      epoch,
      phase,
      start,
      span,
    }));
  }

  batch(runDir: string, epoch: number, phase: Phase, index: number, step: number): BatchNode {
    const id = `batch:${runDir}:${step}`;
    let node = this.batches.get(id)?.deref();
    if (!node) {
      node = { kind: 'batch', id, runDir, epoch, phase, index, step };
      this.batches.set(id, new WeakRef(node));
      this.forget.register(node, id);
    }
    return node;
  }

  /** Forgets every node of a run (it was deleted or reloaded). */
  dropRun(runDir: string): void {
    for (const [id, node] of this.nodes) if (node.runDir === runDir) this.nodes.delete(id);
    for (const [id, ref] of this.batches) if ((ref.deref()?.runDir ?? runDir) === runDir) this.batches.delete(id);
  }

  private get<T extends RunsTreeNode>(id: string, make: (id: string) => T): T {
    let node = this.nodes.get(id);
    if (!node) this.nodes.set(id, (node = make(id)));
    return node as T;
  }
}
