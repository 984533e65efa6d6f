/**
 * Request/reply over a message channel: each request gets an id, its reply names it in
 * `inReplyTo`, and a request without a reply settles as an error after a timeout. Replaces
 * hand-kept `requestId` bookkeeping on each side of a channel.
 */

/** A settled request: the reply's payload, or why there is none. */
export type Reply<T> = { ok: true; value: T } | { ok: false; message: string };

/** Timer functions, injectable for tests. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const globalTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The requests one side has in flight. */
export class PendingRequests<T> {
  private nextId = 1;
  private readonly pending = new Map<number, { onReply: (reply: Reply<T>) => void; timer: unknown }>();

  constructor(
    private readonly timeoutMs: number,
    private readonly timers: Timers = globalTimers,
  ) {}

  /**
   * Sends a request (`send` gets its id); `onReply` gets its reply, or a timeout error — called
   * synchronously from `settle`, so a reply is handled in the same turn as the message that brought it.
   */
  request(send: (requestId: number) => void, onReply: (reply: Reply<T>) => void, describe = 'the request'): number {
    const requestId = this.nextId++;
    const timer = this.timers.setTimeout(
      () =>
        this.settle(requestId, {
          ok: false,
          message: `No answer to ${describe} within ${Math.round(this.timeoutMs / 1000)} s.`,
        }),
      this.timeoutMs,
    );
    this.pending.set(requestId, { onReply, timer });
    send(requestId);
    return requestId;
  }

  /** Settles the request `inReplyTo` (a reply to an unknown or settled id is ignored). */
  settle(inReplyTo: number, reply: Reply<T>): void {
    const entry = this.pending.get(inReplyTo);
    if (!entry) return;
    this.timers.clearTimeout(entry.timer);
    this.pending.delete(inReplyTo);
    entry.onReply(reply);
  }

  /** Settles every open request with `message` (the channel closed). */
  cancelAll(message: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { ok: false, message });
  }

  get size(): number {
    return this.pending.size;
  }
}
