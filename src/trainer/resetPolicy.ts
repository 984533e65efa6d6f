/**
 * Decides why each batch's initial state is what it is. Pure: the trainer asks it once per
 * batch, before running the batch, and tells it about the boundaries between phases (a
 * validation pass, an epoch's end, the prediction); the answer is a zero start, a restore of
 * the saved training state, or a carry from the batch before.
 */
import type { InitialStateCause } from '../shared/causes';
import type { ResetSchedule, ValidationState } from '../shared/config';
import type { Phase } from '../shared/runFormat';

export interface BatchPosition {
  /** Index within the run. */
  step: number;
  phase: Phase;
  /** Training batches run before this one (the `everyBatches` schedule counts training batches only). */
  trainIndex: number;
}

/** A boundary between phases: where validation's state handling and the epoch-end reset act. */
export type PhaseBoundary = 'beforeValidation' | 'afterValidation' | 'epochEnd' | 'beforePredict';

export class ResetPolicy {
  private manualPending = false;
  /** A zero start waiting for the next batch, set at a boundary. */
  private zeroPending: 'epoch' | 'phase' | undefined;
  private restorePending = false;

  constructor(
    private readonly stateful: boolean,
    private schedule: ResetSchedule,
    private readonly validationState: ValidationState = 'shared',
    private readonly predictReset = false,
  ) {}

  /** A manual reset lands at the next batch boundary; returns false on a stateless layer, which has nothing to reset. */
  requestReset(): boolean {
    if (!this.stateful) return false;
    this.manualPending = true;
    return true;
  }

  setSchedule(schedule: ResetSchedule): void {
    this.schedule = schedule;
  }

  /**
   * A phase boundary was reached. Validation `reset` zeroes before and after validation, `isolated`
   * puts the saved training state back after it; the epoch-end reset (resets "epoch") acts after
   * validation, as Keras's on_epoch_end does; predict.reset zeroes before prediction.
   */
  boundary(boundary: PhaseBoundary): void {
    if (!this.stateful) return;
    switch (boundary) {
      case 'beforeValidation':
        if (this.validationState === 'reset') this.zeroPending ??= 'phase';
        break;
      case 'afterValidation':
        if (this.validationState === 'reset') this.zeroPending ??= 'phase';
        if (this.validationState === 'isolated') this.restorePending = true;
        break;
      case 'epochEnd':
        // The later reset is the one recorded: the epoch end comes after validation's.
        if (this.schedule === 'epoch') this.zeroPending = 'epoch';
        break;
      case 'beforePredict':
        if (this.predictReset) this.zeroPending ??= 'phase';
        break;
    }
  }

  /**
   * The cause of the initial state of the batch at `position`, consuming what is pending. When
   * several zero starts coincide, the user's own command is the one recorded, then the epoch
   * end, then the schedule, then a phase boundary; any zero start wins over a restore.
   */
  causeFor({ step, phase, trainIndex }: BatchPosition): InitialStateCause {
    if (!this.stateful) return 'auto';
    const manual = this.manualPending;
    const zero = this.zeroPending;
    const restore = this.restorePending;
    this.manualPending = false;
    this.zeroPending = undefined;
    this.restorePending = false;
    if (step === 0) return 'first';
    if (manual) return 'manual';
    if (zero === 'epoch') return 'epoch';
    const { schedule } = this;
    if (phase === 'train' && typeof schedule === 'object' && trainIndex > 0 && trainIndex % schedule.everyBatches === 0)
      return 'schedule';
    if (zero === 'phase') return 'phase';
    if (restore) return 'restored';
    return 'carried';
  }
}
