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

/** Hands out the same node object for the same place in the tree. */
export class NodeCache {
  private readonly nodes = new Map<string, RunsTreeNode>();

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
    return this.get(`batch:${runDir}:${step}`, (id) => ({ kind: 'batch', id, runDir, epoch, phase, index, step }));
  }

  /** Forgets every node of a run (it was deleted or reloaded). */
  dropRun(runDir: string): void {
    for (const [id, node] of this.nodes) if (node.runDir === runDir) this.nodes.delete(id);
  }

  private get<T extends RunsTreeNode>(id: string, make: (id: string) => T): T {
    let node = this.nodes.get(id);
    if (!node) this.nodes.set(id, (node = make(id)));
    return node as T;
  }
}
