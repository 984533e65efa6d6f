/** The host of a standalone comparison report: answers `ready` with the embedded runs. */
import type { KeptComparison } from '../../src/shared/channels/keptComparison';
import { WEBVIEW_PROTOCOL_VERSION, type ToWebview } from '../../src/shared/channels/webviewChannel';
import type { CompareReportPayload } from '../../src/shared/reportPayload';
import type { HostApi } from './hostApi';

/** Serves the runs of a comparison report as a comparison panel's host would. */
export function compareReportHost(data: CompareReportPayload): HostApi<KeptComparison> {
  const listeners: Array<(message: ToWebview) => void> = [];
  let state: KeptComparison | undefined;
  return {
    mode: 'report',
    post(message) {
      if (message.type !== 'ready') return;
      const reply: ToWebview = { type: 'compare', protocolVersion: WEBVIEW_PROTOCOL_VERSION, runs: data.runs };
      queueMicrotask(() => listeners.forEach((listener) => listener(reply)));
    },
    onMessage: (listener) => listeners.push(listener),
    getState: () => state,
    setState: (next) => (state = next),
  };
}
