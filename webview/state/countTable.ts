/** Batches counted by cause for each (epoch, phase) group and for each phase, in the order they first occurred. */
import { emptyCauseCounts, type CauseCounts, type InitialStateCause } from '../../src/shared/causes';

const ZERO_COUNTS = emptyCauseCounts();
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

  /** Counts `count` batches (1 unless given) of `cause` in the group of `epoch` and `phase`. */
  add(epoch: number, phase: Phase, cause: InitialStateCause, count = 1): void {
    const last = this.last;
    if (last && last.group.epoch === epoch && last.group.phase === phase) {
      last.group.counts[cause] += count;
      last.total[cause] += count;
      return;
    }
    const key = `${epoch}:${phase}`;
    let group = this.index.get(key);
    if (!group) {
      group = { epoch, phase, counts: { ...ZERO_COUNTS } };
      this.index.set(key, group);
      this.groups.push(group);
    }
    group.counts[cause] += count;
    let total = this.byPhase.get(phase);
    if (!total) this.byPhase.set(phase, (total = { ...ZERO_COUNTS }));
    total[cause] += count;
    this.last = { group, total };
  }
}
