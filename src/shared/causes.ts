/**
 * Why a batch's initial state is what it is (docs/run-format.md, "The causes"): one type for the
 * trainer, the PyTorch recorder's runs, the reader and every view.
 */
export type InitialStateCause =
  /** No state given: zeros (a stateless layer; PyTorch `hx=None`). */
  | 'auto'
  /** Stateful: the very first batch of the run starts from zeros. */
  | 'first'
  /** Stateful: zeros because of the reset at an epoch boundary. */
  | 'epoch'
  /** Stateful: zeros because of the `everyBatches` schedule. */
  | 'schedule'
  /** Stateful: zeros because the user asked for a reset. */
  | 'manual'
  /** Stateful: zeroed at a phase boundary (validationState "reset", predict.reset). */
  | 'phase'
  /** The script passed an explicit all-zero state. */
  | 'zeros'
  /** Row i continues row i's final state of `carriedFrom`. */
  | 'carried'
  /** A saved state put back (validation `isolated`): the final state of `carriedFrom`. */
  | 'restored'
  /** The rows of `carriedFrom`'s final state in another order (`rowSources`). */
  | 'permuted'
  /** The batch size changed: some rows continue a row of `carriedFrom`. */
  | 'partial'
  /** Non-zero and equal to no earlier final state (a learned or random initial state). */
  | 'other'
  /** The batch's record in the log could not be read: the reader kept its place in the run, nothing else. */
  | 'unreadable';

/** Causes that a reset at a batch boundary records (stateful runs). */
export type ResetCause = Extract<InitialStateCause, 'epoch' | 'schedule' | 'manual'>;

/** Every cause, zero starts first; the order of summary columns and typed-array codes. */
export const CAUSES: readonly InitialStateCause[] = [
  'auto',
  'first',
  'epoch',
  'schedule',
  'manual',
  'phase',
  'zeros',
  'carried',
  'restored',
  'permuted',
  'partial',
  'other',
  'unreadable',
];

/** Causes that mean "the state was zero at the start of this batch". */
export const RESET_CAUSES: readonly InitialStateCause[] = [
  'auto',
  'first',
  'epoch',
  'schedule',
  'manual',
  'phase',
  'zeros',
];

/** Causes whose initial state is (partly) the final state of an earlier batch, named by `carriedFrom`. */
export const CARRIED_CAUSES: readonly InitialStateCause[] = ['carried', 'restored', 'permuted', 'partial'];

/** The causes a Keras-style (trainer) run can have; the views always show these, and any other that occurs. */
export const TRAINER_CAUSES: readonly InitialStateCause[] = ['auto', 'first', 'epoch', 'schedule', 'manual', 'carried'];

export type CauseCounts = Record<InitialStateCause, number>;

/** Number of zero-state starts. */
export function resetCount(counts: CauseCounts): number {
  return RESET_CAUSES.reduce((sum, cause) => sum + counts[cause], 0);
}

export function emptyCauseCounts(): CauseCounts {
  return Object.fromEntries(CAUSES.map((cause) => [cause, 0])) as CauseCounts;
}

/** The causes a view shows for counts: the trainer's six, then any other that occurred. */
export function shownCauses(counts: CauseCounts): InitialStateCause[] {
  return CAUSES.filter((cause) => TRAINER_CAUSES.includes(cause) || counts[cause] > 0);
}

/** Short label for legends and trees. */
export const CAUSE_LABELS: Record<InitialStateCause, string> = {
  auto: 'zeros (automatic: no state given)',
  first: 'zeros (first batch)',
  epoch: 'zeros (epoch-end reset)',
  schedule: 'zeros (scheduled reset)',
  manual: 'zeros (manual reset)',
  phase: 'zeros (phase boundary: validation or prediction)',
  zeros: 'zeros (given by the script)',
  carried: 'carried from previous batch',
  restored: 'restored (saved state put back)',
  permuted: 'carried, rows permuted',
  partial: 'partly carried (batch size changed)',
  other: 'other (learned or random initial state)',
  unreadable: 'unreadable record (skipped)',
};
