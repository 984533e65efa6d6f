/** The host of a standalone report: answers `ready` and `requestBatch` from the embedded data. */
import { WEBVIEW_PROTOCOL_VERSION, type BatchDetail, type ToWebview } from '../../src/shared/channels/webviewChannel';
import type { UiState } from '../state/uiState';
import type { HostApi, ReportData } from './hostApi';

/** Serves a report's embedded snapshot and batch details as if a panel host had sent them. */
export function reportHost(data: ReportData): HostApi {
  const listeners: Array<(message: ToWebview) => void> = [];
  let state: UiState | undefined;
  // Answers are delivered asynchronously, like real messages, so the app sees the same ordering.
  const send = (message: ToWebview) => queueMicrotask(() => listeners.forEach((listener) => listener(message)));
  return {
    mode: 'report',
    post(message) {
      if (message.type === 'ready')
        send({ type: 'snapshot', protocolVersion: WEBVIEW_PROTOCOL_VERSION, snapshot: data.snapshot });
      else if (message.type === 'requestBatch') {
        const detail = data.details[message.step];
        if (detail) send({ type: 'batchDetail', inReplyTo: message.requestId, detail: withNext(data, detail) });
        else
          send({
            type: 'error',
            inReplyTo: message.requestId,
            message: data.note ?? `batch ${message.step} is not embedded in this report`,
          });
      }
    },
    onMessage: (listener) => listeners.push(listener),
    getState: () => state,
    setState: (next) => (state = next),
  };
}

/** Reports leave `next` out to halve their size; it is the following batch's initial state, so rebuild it. */
export function withNext(data: ReportData, detail: BatchDetail): BatchDetail {
  if (detail.next) return detail;
  const step = detail.step + 1;
  const record = data.snapshot.batches[step];
  if (!record) return detail;
  const following = data.details[step];
  const layers = detail.layers.map((_, i) => {
    const layer = following?.layers[i];
    return layer ? { h0: layer.h0, c0: layer.c0 } : null;
  });
  return { ...detail, next: { step, cause: record.cause, layers } };
}
