/** Why a batch's initial state is what it is. */
export type InitialStateCause =
  /** Stateless layer: every batch starts from zeros. */
  | 'auto'
  /** Stateful: the very first batch of the run starts from zeros. */
  | 'first'
  /** Stateful: zeros because of the reset at an epoch boundary. */
  | 'epoch'
  /** Stateful: zeros because of the `everyBatches` schedule. */
  | 'schedule'
  /** Stateful: zeros because the user asked for a reset. */
  | 'manual'
  /** Stateful: row i continues row i's final state of the previous batch. */
  | 'carried';

/** Causes that a reset at a batch boundary records (stateful runs). */
export type ResetCause = Extract<InitialStateCause, 'epoch' | 'schedule' | 'manual'>;

export const CAUSES: readonly InitialStateCause[] = ['auto', 'first', 'epoch', 'schedule', 'manual', 'carried'];

/** Causes that mean "the state was zero at the start of this batch". */
export const RESET_CAUSES: readonly InitialStateCause[] = ['auto', 'first', 'epoch', 'schedule', 'manual'];

export type CauseCounts = Record<InitialStateCause, number>;

/** Number of zero-state starts (every cause except `carried`). */
export function resetCount(counts: CauseCounts): number {
  return RESET_CAUSES.reduce((sum, cause) => sum + counts[cause], 0);
}

export function emptyCauseCounts(): CauseCounts {
  return { auto: 0, first: 0, epoch: 0, schedule: 0, manual: 0, carried: 0 };
}

/** Short label for legends and trees. */
export const CAUSE_LABELS: Record<InitialStateCause, string> = {
  auto: 'zeros (automatic, stateless)',
  first: 'zeros (first batch)',
  epoch: 'zeros (epoch-end reset)',
  schedule: 'zeros (scheduled reset)',
  manual: 'zeros (manual reset)',
  carried: 'carried from previous batch',
};
