/**
 * A small store: one state object, updates that replace parts of it, and subscribers that repaint
 * what they show. Every change is coalesced into at most one repaint per animation frame, in which
 * each subscriber runs only if the slice of state it selected changed since it last ran.
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

  constructor(initial: S) {
    this.current = initial;
  }

  /** The state now (replaced as a whole on every update; never mutate it). */
  get state(): S {
    return this.current;
  }

  /** Replaces some fields and schedules a repaint; an empty patch only schedules (after in-place changes such as the run's). */
  protected update(patch: Partial<S>): void {
    this.current = { ...this.current, ...patch };
    this.schedule();
  }

  /**
   * Calls `paint` in the next frame, then in every frame where `select`'s result differs from the last
   * one (compared with Object.is, element-wise for arrays). Subscribers run in the order they subscribed,
   * so one may update the state for those after it within the same frame.
   */
  subscribe(select: (state: S) => unknown, paint: (state: S) => void): Subscription {
    const subscriber: Subscriber<S> = { select, paint, last: undefined, dirty: true };
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
    requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const started = performance.now();
    let painted = false;
    for (const subscriber of this.subscribers) {
      const slice = subscriber.select(this.current);
      if (!subscriber.dirty && same(slice, subscriber.last)) continue;
      subscriber.dirty = false;
      subscriber.last = slice;
      subscriber.paint(this.current);
      painted = true;
    }
    if (painted) for (const listener of this.paintedListeners) listener(started);
  }
}
