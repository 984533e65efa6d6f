/** How the webview talks to whoever feeds it: VS Code's webview API, or the data embedded in a report. */
import type { FromWebview, ToWebview } from '../../src/shared/channels/webviewChannel';

/** The webview's view of its host; `State` is what the page keeps (a timeline's UiState, a comparison's KeptComparison). */
export interface HostApi<State> {
  /** `panel` has a live host with toolbar actions; `report` is a standalone HTML file. */
  readonly mode: 'panel' | 'report';
  post(message: FromWebview): void;
  onMessage(listener: (message: ToWebview) => void): void;
  /** The kept state, already checked (after a reload it is read from disk); undefined when there is none or it is unusable. */
  getState(): State | undefined;
  setState(state: State): void;
}
