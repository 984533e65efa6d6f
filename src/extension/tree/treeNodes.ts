/** Elements of the Runs tree. One object per node, reused, so events and `reveal` can name them. */

/** A run folder. */
export type RunNode = { kind: 'run'; id: string; runDir: string };
/** Epoch `epoch` (0-based, shown 1-based) of a run. */
export type EpochNode = { kind: 'epoch'; id: string; runDir: string; epoch: number };
/** Batches [start, start + span * max) of an epoch (indices within the epoch); children have span `span`. */
export type RangeNode = { kind: 'range'; id: string; runDir: string; epoch: number; start: number; span: number };
/** Batch `index` of its epoch; `step` is its index in the run. */
export type BatchNode = { kind: 'batch'; id: string; runDir: string; epoch: number; index: number; step: number };

/** Any element of the Runs tree. */
export type RunsTreeNode = RunNode | EpochNode | RangeNode | BatchNode;

/** Hands out the same node object for the same place in the tree. */
export class NodeCache {
  private readonly nodes = new Map<string, RunsTreeNode>();

  run(runDir: string): RunNode {
    return this.get(`run:${runDir}`, (id) => ({ kind: 'run', id, runDir }));
  }

  epoch(runDir: string, epoch: number): EpochNode {
    return this.get(`epoch:${runDir}:${epoch}`, (id) => ({ kind: 'epoch', id, runDir, epoch }));
  }

  range(runDir: string, epoch: number, start: number, span: number): RangeNode {
    return this.get(`range:${runDir}:${epoch}:${start}:${span}`, (id) => ({
      kind: 'range',
      id,
      runDir,
      epoch,
      start,
      span,
    }));
  }

  batch(runDir: string, epoch: number, index: number, step: number): BatchNode {
    return this.get(`batch:${runDir}:${step}`, (id) => ({ kind: 'batch', id, runDir, epoch, index, step }));
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
