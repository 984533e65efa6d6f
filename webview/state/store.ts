/**
 * A small store: one state object, updates that replace parts of it, and subscribers that repaint
 * what they show. Every change is coalesced into at most one repaint per animation frame, in which
 * each subscriber runs only if the slice of state it selected changed since it last ran. Updates a
 * live run makes can be paced to fewer frames per second (the user's own stay at every frame).
 */

/** A subscriber's handle: `invalidate` repaints it next frame whatever its slice (its own size or hover changed). */
export interface Subscription {
  invalidate(): void;
}

interface Subscriber<S> {
  select(state: S): unknown;
  paint(state: S): void;
  last: unknown;
  dirty: boolean;
  /** Least ms between its repaints for paced updates (0: whenever its slice changes). */
  atMostEveryMs: number;
  lastPaint: number;
}

/** How a subscriber is repainted. */
export interface SubscribeOptions {
  /**
   * While only a live run's batches change its slice, repaint it at most this often (tables of
   * counts need not follow 200 batches a second frame by frame); a user's change repaints it at once.
   */
  atMostEveryMs?: number;
}

/** Equal slices: the same value, or arrays of the same values. */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((value, i) => Object.is(value, b[i]));
}

/** State plus subscribe, repainting per animation frame; subclasses add the actions that call `update`. */
export class Store<S extends object> {
  private current: S;
  private readonly subscribers: Subscriber<S>[] = [];
  private readonly paintedListeners: Array<(started: number) => void> = [];
  private scheduled = false;
  /** Least ms between frames that only paced updates (a live run's batches) asked for; 0: every frame. */
  private pace = 0;
  /** Whether an update since the last frame was not paced (the user's): it is painted in the next frame. */
  private urgent = false;
  private lastFrame = Number.NEGATIVE_INFINITY;

  constructor(initial: S) {
    this.current = initial;
  }

  /** The state now (replaced as a whole on every update; never mutate it). */
  get state(): S {
    return this.current;
  }

  /**
   * Replaces some fields and schedules a repaint; an empty patch only schedules (after in-place changes
   * such as the run's). A `paced` update (new live batches) waits for the pace set by `setPace`.
   */
  protected update(patch: Partial<S>, paced = false): void {
    this.current = { ...this.current, ...patch };
    if (!paced) this.urgent = true;
    this.schedule();
  }

  /** At most `perSecond` repaints per second for paced updates (lstmState.updateRateHz); undefined or 0: every frame. */
  setPace(perSecond: number | undefined): void {
    this.pace = perSecond && perSecond > 0 ? 1000 / perSecond : 0;
  }

  /**
   * Calls `paint` in the next frame, then in every frame where `select`'s result differs from the last
   * one (compared with Object.is, element-wise for arrays). Subscribers run in the order they subscribed,
   * so one may update the state for those after it within the same frame.
   */
  subscribe(
    select: (state: S) => unknown,
    paint: (state: S) => void,
    { atMostEveryMs = 0 }: SubscribeOptions = {},
  ): Subscription {
    const subscriber: Subscriber<S> = {
      select,
      paint,
      last: undefined,
      dirty: true,
      atMostEveryMs,
      lastPaint: Number.NEGATIVE_INFINITY,
    };
    this.subscribers.push(subscriber);
    this.schedule();
    return {
      invalidate: () => {
        subscriber.dirty = true;
        this.schedule();
      },
    };
  }

  /** Calls `listener` after every frame in which something was painted, with the time that frame's work started. */
  onPainted(listener: (started: number) => void): void {
    this.paintedListeners.push(listener);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame((now) => this.flush(now));
  }

  private flush(now: number): void {
    // Only paced changes, and too soon for the pace: wait for a later frame (a few ms early is on time:
    // frames come at the display's rate, not exactly at the pace's).
    if (!this.urgent && now - this.lastFrame < this.pace - 4) {
      requestAnimationFrame((later) => this.flush(later));
      return;
    }
    const urgent = this.urgent;
    this.scheduled = false;
    this.urgent = false;
    this.lastFrame = now;
    const started = performance.now();
    let painted = false;
    let deferred = false;
    for (const subscriber of this.subscribers) {
      const slice = subscriber.select(this.current);
      if (!subscriber.dirty && same(slice, subscriber.last)) continue;
      // Changed by paced updates alone, and painted too recently: a later frame paints it.
      if (!urgent && !subscriber.dirty && now - subscriber.lastPaint < subscriber.atMostEveryMs) {
        deferred = true;
        continue;
      }
      subscriber.dirty = false;
      subscriber.last = slice;
      subscriber.lastPaint = now;
      subscriber.paint(this.current);
      painted = true;
    }
    if (painted) for (const listener of this.paintedListeners) listener(started);
    if (deferred) this.schedule();
  }
}
