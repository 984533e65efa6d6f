/** The host inside a VS Code webview: `acquireVsCodeApi` and window messages. */
import { isToWebview, type FromWebview } from '../../src/shared/channels/webviewChannel';
import type { UiState } from '../state/uiState';
import type { HostApi } from './hostApi';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): VsCodeApi;
}

/** A host that posts to the extension and keeps the UI state with VS Code's `setState`. */
export function vscodeHost(): HostApi {
  const api = acquireVsCodeApi();
  return {
    mode: 'panel',
    post: (message) => api.postMessage(message),
    onMessage: (listener) =>
      window.addEventListener(
        'message',
        (event: MessageEvent<unknown>) => isToWebview(event.data) && listener(event.data),
      ),
    getState: () => (api.getState() as UiState | undefined) ?? undefined,
    setState: (state) => api.setState(state),
  };
}
