/** The host inside a VS Code webview: `acquireVsCodeApi` and window messages. */
import { isToWebview, type FromWebview } from '../../src/shared/channels/webviewChannel';
import type { HostApi } from './hostApi';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): VsCodeApi;
}

/**
 * A host that posts to the extension and keeps the page's state with VS Code's `setState`. The
 * state comes back from disk after a reload, possibly from an older version: `read` checks it.
 */
export function vscodeHost<State>(read: (kept: unknown) => State | undefined): HostApi<State> {
  const api = acquireVsCodeApi();
  return {
    mode: 'panel',
    post: (message) => api.postMessage(message),
    onMessage: (listener) =>
      window.addEventListener(
        'message',
        (event: MessageEvent<unknown>) => isToWebview(event.data) && listener(event.data),
      ),
    getState: () => read(api.getState()),
    setState: (state) => api.setState(state),
  };
}
