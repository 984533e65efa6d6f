/** One timeline webview panel for one run: answers its requests and feeds it coalesced deltas from the run's model. */
import * as vscode from 'vscode';
import {
  WEBVIEW_PROTOCOL_VERSION,
  isFromWebview,
  type FromWebview,
  type PanelAction,
  type ToWebview,
} from '../../shared/channels/webviewChannel';
import { Disposable } from '../dispose';
import type { RunModel } from '../runs/runModel';
import type { RunRepository } from '../runs/runRepository';
import { DeltaQueue } from './deltaQueue';
import { localResourceRoots, panelHtml } from './panelHtml';
import { panelTitle } from './panelTitle';
import { batchDetailOfModel, deltaOf, snapshotOfModel } from './runMessages';

/** What a panel's toolbar and selection do outside the panel. */
export interface PanelHandlers {
  /** A toolbar button was pressed in the panel of this run. */
  action(runDir: string, action: PanelAction): void;
  /** The user selected a batch in the panel (the tree reveals it). */
  selected(runDir: string, step: number): void;
}

/** A change that adds more batches than this is sent as a fresh snapshot rather than a delta of records. */
const SNAPSHOT_OVER = 10_000;

export class TimelinePanel extends Disposable {
  private readonly queue: DeltaQueue;
  private readonly disposedEmitter = this._register(new vscode.EventEmitter<void>());
  /** Fired when the user closes the panel. */
  readonly onDidDispose = this.disposedEmitter.event;
  /** Shown again after every `ready` (the webview reloads when it was hidden). */
  private pendingSelect: number | undefined;
  private model: RunModel | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly runDir: string,
    extensionUri: vscode.Uri,
    private readonly runs: RunRepository,
    private readonly handlers: PanelHandlers,
    /** How many times per second the panel is sent new batches and repaints (`lstmState.updateRateHz`). */
    private updateRateHz = 60,
  ) {
    super();
    this.queue = this._register(
      new DeltaQueue(
        (delta) => this.post(delta),
        () => void this.postSnapshot(),
        1000 / updateRateHz,
      ),
    );
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) };
    webview.html = panelHtml(webview, extensionUri, panel.title);
    this._register(webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)));
    this._register(panel.onDidChangeViewState(() => this.queue.setVisible(panel.visible)));
    this._register(panel.onDidDispose(() => this.dispose()));
    void runs.header(runDir).then(
      (model) => (panel.title = panelTitle(model.manifest)),
      () => undefined,
    );
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.disposedEmitter.fire();
    super.dispose();
    this.panel.dispose();
  }

  /** The setting changed: deltas follow the new rate at once, the webview's repaint rate with its next snapshot. */
  setUpdateRate(updateRateHz: number): void {
    this.updateRateHz = updateRateHz;
    this.queue.intervalMs = 1000 / updateRateHz;
  }

  /** Selects a batch in the webview (from the sidebar tree). */
  select(step: number): void {
    this.pendingSelect = step;
    void this.post({ type: 'select', step });
  }

  private onMessage(message: unknown): void {
    if (!isFromWebview(message)) return;
    const handle: { [K in FromWebview['type']]: (m: Extract<FromWebview, { type: K }>) => void } = {
      ready: () =>
        void this.postSnapshot().then(
          () => this.pendingSelect !== undefined && this.post({ type: 'select', step: this.pendingSelect }),
        ),
      requestBatch: ({ requestId, step }) =>
        void (async () => {
          if (!this.model) throw new Error('the run is still being read');
          return batchDetailOfModel(this.model, step);
        })().then(
          (detail) => this.post({ type: 'batchDetail', inReplyTo: requestId, detail }),
          (error: unknown) =>
            this.post({
              type: 'error',
              inReplyTo: requestId,
              message: error instanceof Error ? error.message : String(error),
            }),
        ),
      selected: ({ step }) => {
        this.pendingSelect = step;
        this.handlers.selected(this.runDir, step);
      },
      action: ({ action }) => this.handlers.action(this.runDir, action),
      exportReport: () => void vscode.commands.executeCommand('lstmState.exportReport', this.runDir),
    };
    (handle[message.type] as (m: FromWebview) => void)(message);
  }

  /** Everything the model holds now; later changes arrive as deltas. */
  private async postSnapshot(): Promise<void> {
    try {
      const model = await this.open();
      // The snapshot is taken after clearing, so it holds everything the dropped deltas held; the
      // changes while its columns are copied wait for it (they hold the batches after it).
      this.queue.clear();
      this.queue.hold();
      try {
        // Batches travel as typed-array columns without detail: a million batches cross the IPC as ~85 MB of buffers.
        void this.post({
          type: 'snapshot',
          protocolVersion: WEBVIEW_PROTOCOL_VERSION,
          ...(await snapshotOfModel(model)),
          updateRateHz: this.updateRateHz,
        });
      } finally {
        this.queue.release();
      }
    } catch (error) {
      void vscode.window.showErrorMessage(
        `LSTM: cannot read the run in ${this.runDir}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async open(): Promise<RunModel> {
    if (this.model) return this.model;
    const model = await this.runs.open(this.runDir);
    if (!this.model) {
      this.model = model;
      this._register(
        model.onDidChange((change) =>
          // A change of many batches at once (a read that caught up) is sent as a snapshot, built in steps.
          change.model.batches.length - change.batchesFrom > SNAPSHOT_OVER
            ? this.queue.pushSnapshot()
            : this.queue.push(deltaOf(change)),
        ),
      );
    }
    return this.model;
  }

  private post(message: ToWebview): Thenable<boolean> {
    return this.isDisposed ? Promise.resolve(false) : this.panel.webview.postMessage(message);
  }
}
