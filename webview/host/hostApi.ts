/** How the webview talks to whoever feeds it: VS Code's webview API, or the data embedded in a report. */
import type { BatchDetail, FromWebview, RunSnapshot, ToWebview } from '../../src/shared/channels/webviewChannel';
import type { UiState } from '../state/uiState';

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

declare global {
  interface Window {
    __LSTM_REPORT__?: ReportData;
  }
}
