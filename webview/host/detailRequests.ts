/** Asks the host for a batch's tensors: one request id each, a timeout, and a small cache. */
import type { BatchDetail, FromWebview } from '../../src/shared/protocol';
import type { DetailResult } from '../state/panelStore';

const TIMEOUT_MS = 15_000;
const CACHE_SIZE = 24;

/** Requests in flight by id, and the most recently used details. */
export class DetailRequests {
  private nextId = 1;
  private readonly pending = new Map<number, { step: number; timer: ReturnType<typeof setTimeout> }>();
  private readonly cache = new Map<number, BatchDetail>();

  constructor(private readonly post: (message: FromWebview) => void, private readonly onResult: (step: number, result: DetailResult) => void) {}

  /** The cached detail of a step, refreshed as most recently used. */
  cached(step: number): BatchDetail | undefined {
    const detail = this.cache.get(step);
    if (detail) {
      this.cache.delete(step);
      this.cache.set(step, detail);
    }
    return detail;
  }

  /** Sends a request unless one for this step is in flight. */
  request(step: number): void {
    for (const pending of this.pending.values()) if (pending.step === step) return;
    const requestId = this.nextId++;
    const timer = setTimeout(() => this.settle(requestId, { ok: false, message: `No answer for batch ${step} from the extension host.` }), TIMEOUT_MS);
    this.pending.set(requestId, { step, timer });
    this.post({ type: 'requestBatch', requestId, step });
  }

  /** Handles `batchDetail` / `error` replies. */
  reply(inReplyTo: number, result: DetailResult): void {
    this.settle(inReplyTo, result);
  }

  /** Drops a cached detail (e.g. its `next` batch has arrived since). */
  forget(step: number): void {
    this.cache.delete(step);
  }

  /** Drops every cached detail (a new snapshot replaced the run). */
  clear(): void {
    this.cache.clear();
  }

  private settle(requestId: number, result: DetailResult): void {
    const pending = this.pending.get(requestId);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(requestId);
    if (result.ok) {
      this.cache.set(pending.step, result.detail);
      if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as number);
    }
    this.onResult(pending.step, result);
  }
}
