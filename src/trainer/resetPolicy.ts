/**
 * Decides why each batch's initial state is what it is. Pure: the trainer asks it once per
 * batch, before running the batch, and zeroes the states when the answer is a reset.
 */
import type { InitialStateCause } from '../shared/causes';
import type { ResetSchedule } from '../shared/config';

export interface BatchPosition {
  /** Index within the run. */
  step: number;
  /** Index within the epoch. */
  batch: number;
}

export class ResetPolicy {
  private manualPending = false;

  constructor(
    private readonly stateful: boolean,
    private schedule: ResetSchedule,
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
   * The cause of the initial state of the batch at `position`, consuming a pending manual reset.
   * When several resets coincide, the user's own command is the one recorded, then epoch, then schedule.
   */
  causeFor({ step, batch }: BatchPosition): InitialStateCause {
    if (!this.stateful) return 'auto';
    if (step === 0) {
      this.manualPending = false;
      return 'first';
    }
    if (this.manualPending) {
      this.manualPending = false;
      return 'manual';
    }
    if (this.schedule === 'epoch' && batch === 0) return 'epoch';
    if (typeof this.schedule === 'object' && step % this.schedule.everyBatches === 0) return 'schedule';
    return 'carried';
  }
}
