/** Batches counted by cause for each (epoch, phase) group and for each phase, in the order they first occurred. */
import { emptyCauseCounts, type CauseCounts, type InitialStateCause } from '../../src/shared/causes';
import type { Phase } from '../../src/shared/runFormat';

/** The counts of the batches of one phase of one epoch. */
export interface CountGroup {
  epoch: number;
  phase: Phase;
  counts: CauseCounts;
}

/** Groups of an epoch and phase, and per-phase totals. */
export class CountTable {
  readonly groups: CountGroup[] = [];
  readonly byPhase = new Map<Phase, CauseCounts>();
  private readonly index = new Map<string, CountGroup>();
  /** The group and phase total of the last batch: the next batch is almost always of the same. */
  private last: { group: CountGroup; total: CauseCounts } | undefined;

  add(epoch: number, phase: Phase, cause: InitialStateCause): void {
    const last = this.last;
    if (last && last.group.epoch === epoch && last.group.phase === phase) {
      last.group.counts[cause]++;
      last.total[cause]++;
      return;
    }
    const key = `${epoch}:${phase}`;
    let group = this.index.get(key);
    if (!group) {
      group = { epoch, phase, counts: emptyCauseCounts() };
      this.index.set(key, group);
      this.groups.push(group);
    }
    group.counts[cause]++;
    let total = this.byPhase.get(phase);
    if (!total) this.byPhase.set(phase, (total = emptyCauseCounts()));
    total[cause]++;
    this.last = { group, total };
  }
}
