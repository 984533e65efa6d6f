/** How the webview talks to whoever feeds it: VS Code's webview API, or the data embedded in a report. */
import type { FromWebview, ToWebview } from '../../src/shared/channels/webviewChannel';
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
