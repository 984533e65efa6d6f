/**
 * Commands that arrive while training — from the editor over IPC, from CLI stdin, or appended to
 * the run folder's control.jsonl by anyone — applied only at batch boundaries: the loop calls
 * `atBoundary()` before each batch. What they change is announced through `publish`, which
 * also records it in the run folder (pauses, resumes, resets, schedule changes).
 */
import * as fs from 'fs';
import { isTrainerCommand, type TrainerCommand } from '../shared/channels/trainerChannel';
import type { TrainerProgress } from './progress';
import type { ResetPolicy } from './resetPolicy';

export class TrainingControls {
  private paused = false;
  private stopRequested = false;
  private wake: (() => void) | undefined;
  private readonly queue: TrainerCommand[] = [];
  private controlFile: { path: string; offset: number } | undefined;
  private reason: string | undefined;

  constructor(private readonly emit: (event: TrainerProgress) => void) {}

  get stopping(): boolean {
    return this.stopRequested;
  }

  get isPaused(): boolean {
    return this.paused && !this.stopRequested;
  }

  /** Why the run was stopped, when the one who stopped it said (written in the end record). */
  get stopReason(): string | undefined {
    return this.reason;
  }

  /** Stops the run at the next batch boundary (waking a paused one), recording why. */
  stop(reason: string): void {
    this.reason ??= reason;
    this.submit({ type: 'stop' });
  }

  /** Also takes commands appended to this file (the run folder's control.jsonl) from now on. */
  readControlFile(path: string): void {
    this.controlFile = { path, offset: 0 };
  }

  /** Queues a command; pause/resume/stop act at once on the flags so a paused loop can wake. */
  submit(command: TrainerCommand): void {
    switch (command.type) {
      case 'pause':
        this.paused = true;
        break;
      case 'resume':
        this.paused = false;
        this.wake?.();
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
   * Called between batches: yields to the event loop (so IPC and stdin are read), reads the control
   * file, waits while paused (announcing the pause and the resume), and applies queued resets and
   * schedule changes. Returns false when the run must stop.
   */
  async atBoundary(
    policy: ResetPolicy,
    nextStep: number,
    publish: (event: TrainerProgress) => void = this.emit,
  ): Promise<boolean> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.readCommands();
    if (this.paused && !this.stopRequested) {
      publish({ type: 'state', status: 'paused', atStep: nextStep });
      while (this.paused && !this.stopRequested) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          // The control file has no event of its own: look at it now and then while paused.
          setTimeout(resolve, 250);
        });
        this.readCommands();
      }
      this.wake = undefined;
      if (!this.stopRequested) publish({ type: 'state', status: 'running', atStep: nextStep });
    }
    for (const command of this.queue.splice(0)) {
      if (command.type === 'resetNow' && !policy.requestReset()) {
        publish({
          type: 'notice',
          message: 'This LSTM is stateless: every batch already starts from zero states, so there is nothing to reset.',
        });
      }
      if (command.type === 'setResetSchedule') {
        policy.setSchedule(command.schedule);
        publish({ type: 'schedule', schedule: command.schedule, fromStep: nextStep });
      }
    }
    return !this.stopRequested;
  }

  /** Submits the complete lines appended to the control file since the last look. */
  private readCommands(): void {
    const file = this.controlFile;
    if (!file) return;
    let bytes: Buffer;
    try {
      const size = fs.statSync(file.path).size;
      if (size <= file.offset) return;
      bytes = Buffer.alloc(size - file.offset);
      const fd = fs.openSync(file.path, 'r');
      try {
        fs.readSync(fd, bytes, 0, bytes.length, file.offset);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return; // no control file yet
    }
    const end = bytes.lastIndexOf(0x0a);
    if (end < 0) return;
    file.offset += end + 1;
    for (const line of bytes.subarray(0, end).toString('utf8').split('\n')) {
      try {
        const command: unknown = JSON.parse(line);
        if (isTrainerCommand(command)) this.submit(command);
      } catch {
        // not a command: ignored, as a human typing into the file may leave a stray line
      }
    }
  }
}
