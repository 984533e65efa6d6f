/**
 * Coalesces live changes for one webview: merged into one `delta`, sent at most once per
 * interval (leading edge, so a lone batch is not delayed), and held while the panel is hidden.
 * Pure apart from the injected clock, so it is unit-tested with fake timers.
 */
import type { DeltaMessage } from '../../shared/channels/webviewChannel';

/** Timer functions, injectable for tests. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Hidden panels keep at most this many batches; past it they only remember to send a snapshot. */
export const HIDDEN_BATCH_LIMIT = 10_000;

export class DeltaQueue {
  private pending: DeltaMessage | undefined;
  private timer: unknown;
  private lastSent = Number.NEGATIVE_INFINITY;
  private visible = true;
  /** Too much piled up while hidden: the webview needs a fresh snapshot instead. */
  private stale = false;
  /** Snapshots being built: changes after them wait until they are sent. */
  private held = 0;

  constructor(
    private readonly send: (delta: DeltaMessage) => void,
    private readonly resync: () => void,
    /** 1000 / `lstmState.updateRateHz`; a change applies from the next delta. */
    public intervalMs = 1000 / 60,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Merges a change: batches, resets and epoch losses accumulate; status, answer, message and end time take the latest. */
  push(change: DeltaMessage): void {
    if (!this.stale) {
      if (this.pending) mergeInto(this.pending, change);
      else
        this.pending = {
          ...change,
          batches: [...change.batches],
          resets: [...change.resets],
          epochLosses: [...change.epochLosses],
        };
    }
    if (!this.visible && (this.pending?.batches.length ?? 0) > HIDDEN_BATCH_LIMIT) {
      this.stale = true;
      this.pending = undefined;
    }
    this.schedule();
  }

  /** Hidden: hold everything; shown again: send what is held. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (!visible) this.cancel();
    else if (this.stale) {
      this.stale = false;
      this.resync();
    } else this.schedule();
  }

  /** Drops what is pending (a snapshot just replaced it). */
  clear(): void {
    this.pending = undefined;
    this.stale = false;
    this.cancel();
  }

  /** A change too large for a delta: a snapshot now, or when the panel is shown again. */
  pushSnapshot(): void {
    this.pending = undefined;
    this.cancel();
    if (this.visible) this.resync();
    else this.stale = true;
  }

  /** Holds every change back (while a snapshot is built over several turns of the event loop). */
  hold(): void {
    this.held++;
    this.cancel();
  }

  /** Sends what was held back, after the snapshot. */
  release(): void {
    this.held = Math.max(0, this.held - 1);
    this.schedule();
  }

  /** Whether a change is waiting (for tests and diagnostics). */
  get hasPending(): boolean {
    return this.pending !== undefined;
  }

  dispose(): void {
    this.clear();
  }

  private schedule(): void {
    if (!this.visible || this.held > 0 || !this.pending || this.timer !== undefined) return;
    const wait = this.lastSent + this.intervalMs - this.clock.now();
    if (wait <= 0) this.flush();
    else
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, wait);
  }

  private flush(): void {
    const delta = this.pending;
    if (!delta || !this.visible || this.held > 0) return;
    this.pending = undefined;
    this.lastSent = this.clock.now();
    this.send(delta);
  }

  private cancel(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * Appends `b` to `a` in place (`a` is the queue's own copy, so this stays linear while a hidden
 * panel piles up thousands of batches); status and answer take `b`'s, the message `b`'s if it has one.
 */
function mergeInto(a: DeltaMessage, b: DeltaMessage): void {
  append(a.batches, b.batches);
  append(a.resets, b.resets);
  append(a.epochLosses, b.epochLosses);
  a.status = b.status;
  a.answer = b.answer;
  a.message = b.message ?? a.message;
  a.endedAt = b.endedAt ?? a.endedAt;
}

/** `target.push(...items)` without the argument-count limit of a spread. */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
