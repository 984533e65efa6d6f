/**
 * Commands that arrive while training (from the extension over IPC, or from CLI stdin).
 * They are applied only at batch boundaries: the loop calls `atBoundary()` before each batch.
 */
import type { TrainerCommand, TrainerEvent } from '../shared/protocol';
import type { ResetPolicy } from './resetPolicy';

export class TrainingControls {
  private paused = false;
  private stopRequested = false;
  private wake: (() => void) | undefined;
  private readonly queue: TrainerCommand[] = [];

  constructor(private readonly emit: (event: TrainerEvent) => void) {}

  get stopping(): boolean {
    return this.stopRequested;
  }

  /** Queues a command; pause/resume/stop act at once on the flags so a paused loop can wake. */
  submit(command: TrainerCommand): void {
    switch (command.type) {
      case 'pause':
        if (!this.paused) {
          this.paused = true;
          this.emit({ type: 'state', status: 'paused' });
        }
        break;
      case 'resume':
        if (this.paused) {
          this.emit({ type: 'state', status: 'running' });
          this.paused = false;
          this.wake?.();
        }
        break;
      case 'stop':
        this.stopRequested = true;
        this.paused = false;
        this.wake?.();
        break;
      case 'resetNow':
      case 'setResetSchedule':
        this.queue.push(command);
        break;
    }
  }

  /**
   * Called between batches: yields to the event loop (so IPC and stdin are read), waits while
   * paused, and applies queued resets and schedule changes, announcing them through `publish`
   * (which also records them in the run). Returns false when the run must stop.
   */
  async atBoundary(policy: ResetPolicy, nextStep: number, publish: (event: TrainerEvent) => void = this.emit): Promise<boolean> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.paused && !this.stopRequested) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    for (const command of this.queue.splice(0)) {
      if (command.type === 'resetNow' && !policy.requestReset()) {
        publish({ type: 'notice', message: 'This LSTM is stateless: every batch already starts from zero states, so there is nothing to reset.' });
      }
      if (command.type === 'setResetSchedule') {
        policy.setSchedule(command.schedule);
        publish({ type: 'schedule', schedule: command.schedule, fromStep: nextStep });
      }
    }
    return !this.stopRequested;
  }
}
