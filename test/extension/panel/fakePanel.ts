/** A stand-in for vscode.WebviewPanel: records posted messages and lets a test play the webview's part. */
import type * as vscode from 'vscode';
import { EventEmitter, Uri } from 'vscode';
import type { FromWebview, ToWebview } from '../../../src/shared/channels/webviewChannel';

export const CSP_SOURCE = 'https://fake.vscode-cdn.test';

export class FakeWebviewPanel {
  readonly posted: ToWebview[] = [];
  readonly messages = new EventEmitter<unknown>();
  readonly viewState = new EventEmitter<{ webviewPanel: FakeWebviewPanel }>();
  readonly disposed = new EventEmitter<void>();
  visible = true;
  reveals = 0;
  isDisposed = false;
  title: string;
  readonly webview = {
    options: {} as vscode.WebviewOptions,
    html: '',
    cspSource: CSP_SOURCE,
    asWebviewUri: (uri: vscode.Uri) => Uri.file(`/webview-resource${uri.path}`),
    postMessage: async (message: ToWebview) => {
      if (this.isDisposed) throw new Error('posted to a disposed panel');
      this.posted.push(message);
      return true;
    },
    onDidReceiveMessage: this.messages.event,
  };
  readonly onDidChangeViewState = this.viewState.event;
  readonly onDidDispose = this.disposed.event;

  constructor(
    readonly viewType: string,
    title: string,
    readonly showOptions?: unknown,
    readonly options?: vscode.WebviewPanelOptions & vscode.WebviewOptions,
  ) {
    this.title = title;
  }

  /** The webview sends a message to the host. */
  receive(message: FromWebview | Record<string, unknown>): void {
    this.messages.fire(message);
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.viewState.fire({ webviewPanel: this });
  }

  reveal(): void {
    this.reveals++;
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.disposed.fire();
  }

  /** Posted messages of one type. */
  of<T extends ToWebview['type']>(type: T): Array<Extract<ToWebview, { type: T }>> {
    return this.posted.filter((m): m is Extract<ToWebview, { type: T }> => m.type === type);
  }
}
