/** One timeline webview panel for one run: answers its requests and feeds it coalesced deltas from the run's model. */
import * as vscode from 'vscode';
import { toColumns } from '../../shared/batchColumns';
import {
  WEBVIEW_PROTOCOL_VERSION,
  isFromWebview,
  type DeltaMessage,
  type FromWebview,
  type PanelAction,
  type ToWebview,
} from '../../shared/channels/webviewChannel';
import { batchDetailOf, snapshotOf } from '../../runStore/snapshot';
import { Disposable } from '../dispose';
import type { RunChange, RunModel } from '../runs/runModel';
import type { RunRepository } from '../runs/runRepository';
import { DeltaQueue } from './deltaQueue';
import { localResourceRoots, panelHtml } from './panelHtml';
import { panelTitle } from './panelTitle';

/** What a panel's toolbar and selection do outside the panel. */
export interface PanelHandlers {
  /** A toolbar button was pressed in the panel of this run. */
  action(runDir: string, action: PanelAction): void;
  /** The user selected a batch in the panel (the tree reveals it). */
  selected(runDir: string, step: number): void;
}

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
  ) {
    super();
    this.queue = this._register(
      new DeltaQueue(
        (delta) => this.post(delta),
        () => void this.postSnapshot(),
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
      requestBatch: ({ requestId, step }) => {
        try {
          if (!this.model) throw new Error('the run is still being read');
          void this.post({ type: 'batchDetail', inReplyTo: requestId, detail: batchDetailOf(this.model.view(), step) });
        } catch (error) {
          void this.post({
            type: 'error',
            inReplyTo: requestId,
            message: error instanceof Error ? error.message : String(error),
          });
        }
      },
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
      // The snapshot is taken after clearing, so it holds everything the dropped deltas held.
      this.queue.clear();
      const snapshot = snapshotOf(model.view(), { counts: model.counts, flags: model.flags, tally: model.tally });
      // Batches travel as typed-array columns: a 100k-batch run crosses the IPC in milliseconds.
      void this.post({
        type: 'snapshot',
        protocolVersion: WEBVIEW_PROTOCOL_VERSION,
        snapshot: { ...snapshot, batches: [] },
        columns: toColumns(snapshot.batches),
      });
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
      this._register(model.onDidChange((change) => this.queue.push(deltaOf(change))));
    }
    return this.model;
  }

  private post(message: ToWebview): Thenable<boolean> {
    return this.isDisposed ? Promise.resolve(false) : this.panel.webview.postMessage(message);
  }
}

/** What a change of the run adds for the webview. */
function deltaOf({ model, batchesFrom, resets, epochsEnded }: RunChange): DeltaMessage {
  return {
    type: 'delta',
    batches: model.batches.slice(batchesFrom),
    resets: resets.map(({ cause, beforeStep }) => ({ cause, beforeStep })),
    epochLosses: epochsEnded.map(({ epoch, meanLoss, validation }) => ({
      epoch,
      meanLoss,
      ...(validation ? { validation } : {}),
    })),
    status: model.status,
    answer: model.answer(),
    message: model.message,
    ...(model.log.end ? { endedAt: model.log.end.at } : {}),
  };
}
