/**
 * Coalesces tree refreshes to at most one per interval (the `lstmState.updateRateHz` setting):
 * a 50-batches-per-second run must not repaint the tree 50 times a second. A queued ancestor
 * covers its descendants, and a root refresh covers everything.
 */
export class FireQueue<T> {
  private readonly pending = new Set<T>();
  private root = false;
  private timer: NodeJS.Timeout | undefined;
  private holds = 0;

  constructor(
    private readonly fire: (elements: T[] | undefined) => void,
    private readonly parentOf: (element: T) => T | undefined,
    public intervalMs: number,
  ) {}

  /** Queues `element`, or the whole tree when undefined. */
  add(element: T | undefined): void {
    if (element === undefined) this.root = true;
    else this.pending.add(element);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /**
   * Runs `work` with refreshes held back (queued, fired when it ends, or after `maxMs`).
   * VS Code's `TreeView.reveal` waits for the tree's pending refreshes to settle, so on a tree
   * refreshed several times a second by a live run it would never complete.
   */
  async hold<R>(work: () => Thenable<R>, maxMs = 2000): Promise<R> {
    this.holds++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0) this.flush();
    };
    const guard = setTimeout(release, maxMs);
    try {
      return await work();
    } finally {
      clearTimeout(guard);
      release();
    }
  }

  /** Fires now: the whole tree, or the queued elements none of whose ancestors is queued. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.holds > 0) return;
    if (this.root) {
      this.root = false;
      this.pending.clear();
      this.fire(undefined);
      return;
    }
    if (this.pending.size === 0) return;
    const elements = [...this.pending].filter((element) => !this.hasQueuedAncestor(element));
    this.pending.clear();
    this.fire(elements);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.pending.clear();
  }

  private hasQueuedAncestor(element: T): boolean {
    for (let parent = this.parentOf(element); parent !== undefined; parent = this.parentOf(parent)) {
      if (this.pending.has(parent)) return true;
    }
    return false;
  }
}
