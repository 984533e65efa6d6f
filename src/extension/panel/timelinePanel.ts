/** One timeline webview panel for one run: answers its requests and feeds it coalesced live deltas. */
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import { toColumns } from '../../shared/batchColumns';
import { PROTOCOL_VERSION, type FromWebview, type PanelAction, type ToWebview, type TrainerEvent } from '../../shared/protocol';
import { DeltaQueue } from './deltaQueue';
import { LiveRun } from './liveRun';
import type { PanelHost } from './panelHost';
import { localResourceRoots, panelHtml } from './panelHtml';

const ACTIONS: readonly PanelAction[] = ['resetNow', 'pause', 'resume', 'stop', 'export'];

/** Checks a message from the webview before trusting it (the webview is a separate, untrusted page). */
export function isFromWebview(value: unknown): value is FromWebview {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready': return true;
    case 'requestBatch': return Number.isInteger(m.requestId) && Number.isInteger(m.step);
    case 'selected': return Number.isInteger(m.step);
    case 'action': return ACTIONS.includes(m.action as PanelAction);
    default: return false;
  }
}

export class TimelinePanel extends Disposable {
  private readonly live: LiveRun;
  private readonly queue: DeltaQueue;
  private readonly disposedEmitter = this._register(new vscode.EventEmitter<void>());
  /** Fired when the user closes the panel. */
  readonly onDidDispose = this.disposedEmitter.event;
  /** Shown again after every `ready` (the webview reloads when it was hidden). */
  private pendingSelect: number | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly runDir: string,
    extensionUri: vscode.Uri,
    private readonly host: PanelHost,
  ) {
    super();
    this.live = new LiveRun(runDir, () => host.isLive(runDir));
    this.queue = this._register(new DeltaQueue((delta) => this.post(delta), () => this.postSnapshot()));
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) };
    panel.title = `LSTM: ${this.live.title()}`;
    webview.html = panelHtml(webview, extensionUri, panel.title);
    this._register(webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)));
    this._register(panel.onDidChangeViewState(() => this.queue.setVisible(panel.visible)));
    this._register(panel.onDidDispose(() => this.dispose()));
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.disposedEmitter.fire();
    super.dispose();
    this.panel.dispose();
  }

  /** A live event of this panel's run. */
  handleEvent(event: TrainerEvent): void {
    const delta = this.live.apply(event);
    if (delta) this.queue.push(delta);
  }

  /** Selects a batch in the webview (from the sidebar tree). */
  select(step: number): void {
    this.pendingSelect = step;
    void this.post({ type: 'select', step });
  }

  private onMessage(message: unknown): void {
    if (!isFromWebview(message)) return;
    switch (message.type) {
      case 'ready':
        this.postSnapshot();
        if (this.pendingSelect !== undefined) void this.post({ type: 'select', step: this.pendingSelect });
        return;
      case 'requestBatch':
        try {
          void this.post({ type: 'batchDetail', inReplyTo: message.requestId, detail: this.live.detail(message.step) });
        } catch (error) {
          void this.post({ type: 'error', inReplyTo: message.requestId, message: error instanceof Error ? error.message : String(error) });
        }
        return;
      case 'selected':
        this.pendingSelect = message.step;
        this.host.batchSelected(this.runDir, message.step);
        return;
      case 'action':
        this.host.runAction(this.runDir, message.action);
        return;
    }
  }

  private postSnapshot(): void {
    // The snapshot is read after clearing, so it holds everything the dropped deltas held.
    this.queue.clear();
    try {
      const snapshot = this.live.snapshot();
      // Batches travel as typed-array columns: a 100k-batch run crosses the IPC in milliseconds.
      void this.post({ type: 'snapshot', protocolVersion: PROTOCOL_VERSION, snapshot: { ...snapshot, batches: [] }, columns: toColumns(snapshot.batches) });
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot read the run in ${this.runDir}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private post(message: ToWebview): Thenable<boolean> {
    return this.isDisposed ? Promise.resolve(false) : this.panel.webview.postMessage(message);
  }
}
