/** Asks the host for a batch's tensors (request/reply with a timeout, shared with every channel) and keeps a small cache. */
import { PendingRequests, type Reply } from '../../src/shared/channels/requests';
import type { BatchDetail, FromWebview } from '../../src/shared/channels/webviewChannel';
import type { DetailResult } from '../state/panelStore';

const TIMEOUT_MS = 15_000;
const CACHE_SIZE = 24;

/** Requests in flight by step, and the most recently used details. */
export class DetailRequests {
  private readonly requests = new PendingRequests<BatchDetail>(TIMEOUT_MS);
  private readonly inFlight = new Set<number>();
  private readonly cache = new Map<number, BatchDetail>();

  constructor(
    private readonly post: (message: FromWebview) => void,
    private readonly onResult: (step: number, result: DetailResult) => void,
  ) {}

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
    if (this.inFlight.has(step)) return;
    this.inFlight.add(step);
    const onReply = (reply: Reply<BatchDetail>) => {
      this.inFlight.delete(step);
      if (reply.ok) {
        this.cache.set(step, reply.value);
        if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as number);
      }
      this.onResult(step, reply.ok ? { ok: true, detail: reply.value } : reply);
    };
    this.requests.request(
      (requestId) => this.post({ type: 'requestBatch', requestId, step }),
      onReply,
      `batch ${step} from the extension host`,
    );
  }

  /** Handles `batchDetail` / `error` replies. */
  reply(inReplyTo: number, result: DetailResult): void {
    this.requests.settle(inReplyTo, result.ok ? { ok: true, value: result.detail } : result);
  }

  /** Drops a cached detail (e.g. its `next` batch has arrived since). */
  forget(step: number): void {
    this.cache.delete(step);
  }

  /** Drops every cached detail (a new snapshot replaced the run). */
  clear(): void {
    this.cache.clear();
  }
}
