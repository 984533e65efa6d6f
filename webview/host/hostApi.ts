/** How the webview talks to whoever feeds it: VS Code's webview API, or the data embedded in a report. */
import { isToWebview, type BatchDetail, type FromWebview, type RunSnapshot, type ToWebview } from '../../src/shared/channels/webviewChannel';
import type { UiState } from '../uiState';

/** The webview's view of its host. */
export interface HostApi {
  /** `panel` has a live host with toolbar actions; `report` is a standalone HTML file. */
  readonly mode: 'panel' | 'report';
  post(message: FromWebview): void;
  onMessage(listener: (message: ToWebview) => void): void;
  getState(): UiState | undefined;
  setState(state: UiState): void;
}

/** What `renderReportHtml` embeds as `window.__LSTM_REPORT__`. */
export interface ReportData {
  snapshot: RunSnapshot;
  details: Record<number, BatchDetail>;
  /** Why some batches have no embedded detail (e.g. the size cap), shown in the inspector. */
  note?: string;
}

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  interface Window {
    __LSTM_REPORT__?: ReportData;
  }
  function acquireVsCodeApi(): VsCodeApi;
}

/** The host inside a VS Code webview: `acquireVsCodeApi` and window messages. */
export function vscodeHost(): HostApi {
  const api = acquireVsCodeApi();
  return {
    mode: 'panel',
    post: (message) => api.postMessage(message),
    onMessage: (listener) => window.addEventListener('message', (event: MessageEvent<unknown>) => isToWebview(event.data) && listener(event.data)),
    getState: () => (api.getState() as UiState | undefined) ?? undefined,
    setState: (state) => api.setState(state),
  };
}
