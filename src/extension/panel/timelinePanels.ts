/** All timeline panels: one per run, reused, restored after a window reload. */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import { runKey, type RunRepository } from '../runs/runRepository';
import { localResourceRoots } from './panelHtml';
import { TimelinePanel, type PanelHandlers } from './timelinePanel';

/** The webview panel type (also named in package.json `activationEvents` via onWebviewPanel). */
export const TIMELINE_VIEW_TYPE = 'lstmState.timeline';

export class TimelinePanels extends Disposable implements vscode.Disposable {
  private readonly panels = new Map<string, TimelinePanel>();
  private readonly visibilityEmitter = this._register(new vscode.EventEmitter<string>());
  /** Fires with the run folder whose panel was opened, shown, hidden or closed (a run's progress moves with it). */
  readonly onDidChangeVisibility = this.visibilityEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly runs: RunRepository,
    private readonly handlers: PanelHandlers,
    /** `lstmState.updateRateHz`: how many times per second a panel is sent new batches. */
    private updateRateHz = 60,
  ) {
    super();
  }

  /** The setting changed: every open panel follows it. */
  setUpdateRate(updateRateHz: number): void {
    this.updateRateHz = updateRateHz;
    for (const panel of this.panels.values()) panel.setUpdateRate(updateRateHz);
  }

  /** Whether the run's panel is on screen. */
  isVisible(runDir: string): boolean {
    return this.panels.get(runKey(runDir))?.panel.visible ?? false;
  }

  /** Opens the run's panel, or brings the existing one to the front. */
  show(runDir: string): void {
    const existing = this.panels.get(runKey(runDir));
    if (existing) {
      existing.panel.reveal(undefined, false);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      TIMELINE_VIEW_TYPE,
      `LSTM: ${path.basename(runDir)}`,
      { viewColumn: vscode.ViewColumn.Active },
      {
        enableScripts: true,
        localResourceRoots: localResourceRoots(this.extensionUri),
      },
    );
    this.attach(panel, runDir);
  }

  /** Opens the run's panel and selects a batch in it. */
  reveal(runDir: string, step: number): void {
    this.show(runDir);
    this.panels.get(runKey(runDir))?.select(step);
  }

  /** Restores panels after a reload; their webview state holds the run folder. */
  registerSerializer(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        const runDir = (state as { runDir?: unknown } | undefined)?.runDir;
        if (typeof runDir === 'string' && runDir && fs.existsSync(runDir) && !this.panels.has(runKey(runDir)))
          this.attach(panel, runDir);
        else panel.dispose();
      },
    });
  }

  override dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    super.dispose();
  }

  private attach(panel: vscode.WebviewPanel, runDir: string): void {
    const key = runKey(runDir);
    const timeline = new TimelinePanel(
      panel,
      path.resolve(runDir),
      this.extensionUri,
      this.runs,
      this.handlers,
      this.updateRateHz,
    );
    this.panels.set(key, timeline);
    const told = path.resolve(runDir);
    timeline.onDidDispose(() => {
      if (this.panels.get(key) === timeline) this.panels.delete(key);
      this.visibilityEmitter.fire(told);
    });
    panel.onDidChangeViewState(() => this.visibilityEmitter.fire(told));
    this.visibilityEmitter.fire(told);
  }
}
