/**
 * A comparison panel: the runs' snapshots (batches as columns), sent again at most once a second while
 * one is live. Restored after a window reload by compareSerializer.ts.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import {
  WEBVIEW_PROTOCOL_VERSION,
  isFromWebview,
  type CompareRun,
  type ToWebview,
} from '../../shared/channels/webviewChannel';
import { Disposable } from '../dispose';
import type { RunModel } from '../runs/runModel';
import type { RunRepository } from '../runs/runRepository';
import { localResourceRoots, panelHtml } from './panelHtml';
import { snapshotOfModel } from './runMessages';

/** The webview panel type of comparisons (also named in package.json `activationEvents` via onWebviewPanel). */
export const COMPARE_VIEW_TYPE = 'lstmState.compare';
const RESEND_MS = 1000;

export class ComparePanel extends Disposable {
  private models: RunModel[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly runDirs: string[],
    extensionUri: vscode.Uri,
    private readonly runs: RunRepository,
  ) {
    super();
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) };
    webview.html = panelHtml(webview, extensionUri, panel.title, undefined, 'compare');
    this._register(
      webview.onDidReceiveMessage((message: unknown) => {
        if (!isFromWebview(message)) return;
        if (message.type === 'ready') void this.send();
        else if (message.type === 'exportReport')
          void vscode.commands.executeCommand('lstmState.exportReport', this.runDirs);
      }),
    );
    this._register(panel.onDidDispose(() => this.dispose()));
  }

  override dispose(): void {
    if (this.isDisposed) return;
    clearTimeout(this.timer);
    super.dispose();
    this.panel.dispose();
  }

  /** Reads every run (once) and sends them all. */
  private async send(): Promise<void> {
    try {
      if (!this.models.length) {
        this.models = await Promise.all(this.runDirs.map((dir) => this.runs.open(dir)));
        for (const model of this.models) this._register(model.onDidChange(() => this.resendSoon()));
      }
      const runs: CompareRun[] = await Promise.all(this.models.map(snapshotOfModel));
      const message: ToWebview = { type: 'compare', protocolVersion: WEBVIEW_PROTOCOL_VERSION, runs };
      if (!this.isDisposed) await this.panel.webview.postMessage(message);
    } catch (error) {
      void vscode.window.showErrorMessage(
        `LSTM: cannot compare ${this.runDirs.map((d) => path.basename(d)).join(', ')}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** A live run grew: send everything again, at most once a second. */
  private resendSoon(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.send();
    }, RESEND_MS);
  }
}

/** "LSTM: compare a vs b": the run folders' names without their time stamps. */
export function comparisonTitle(runDirs: string[]): string {
  return `LSTM: compare ${runDirs.map(shortName).join(' vs ')}`;
}

/** A run folder's name without its time stamp. */
export const shortName = (runDir: string) => path.basename(runDir).replace(/^\d{8}-\d{6}-\d{3}-/, '');

/** Opens a comparison of `runDirs` in a new panel. */
export function openComparison(extensionUri: vscode.Uri, runs: RunRepository, runDirs: string[]): ComparePanel {
  const panel = vscode.window.createWebviewPanel(
    COMPARE_VIEW_TYPE,
    comparisonTitle(runDirs),
    { viewColumn: vscode.ViewColumn.Active },
    { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) },
  );
  return new ComparePanel(
    panel,
    runDirs.map((d) => path.resolve(d)),
    extensionUri,
    runs,
  );
}
