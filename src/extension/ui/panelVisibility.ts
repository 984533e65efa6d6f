/**
 * Which runs' timeline panels are on screen, read from the editor tabs: a panel is visible when
 * it is the active tab of its group. Its tab is told apart by its title (panel/panelTitle.ts).
 * A stand-in until the timeline panels report their own visibility (PanelVisibility).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import { panelTitle } from '../panel/panelTitle';
import { TIMELINE_VIEW_TYPE } from '../panel/timelinePanels';
import type { RunRepository } from '../runs/runRepository';
import type { PanelVisibility } from './runProgress';

/** PanelVisibility from `vscode.window.tabGroups`. */
export class TabPanelVisibility extends Disposable implements PanelVisibility {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<string>());
  readonly onDidChangeVisibility = this.changeEmitter.event;
  /** The visibility last told, per run folder of a live run. */
  private readonly told = new Map<string, boolean>();

  constructor(private readonly runs: RunRepository) {
    super();
    const check = () => this.check();
    this._register(vscode.window.tabGroups.onDidChangeTabs(check));
    this._register(vscode.window.tabGroups.onDidChangeTabGroups(check));
  }

  isVisible(runDir: string): boolean {
    const titles = this.titlesOf(runDir);
    return vscode.window.tabGroups.all.some((group) => {
      const tab = group.activeTab;
      const viewType = (tab?.input as { viewType?: unknown } | undefined)?.viewType;
      // The workbench prefixes an extension's view type ("mainThreadWebview-lstmState.timeline").
      return typeof viewType === 'string' && viewType.endsWith(TIMELINE_VIEW_TYPE) && titles.includes(tab!.label);
    });
  }

  /** Tells each live run whose panel's visibility changed. */
  private check(): void {
    for (const model of this.runs.known()) {
      if (!model.live) {
        this.told.delete(model.runDir);
        continue;
      }
      const visible = this.isVisible(model.runDir);
      if (this.told.get(model.runDir) === visible) continue;
      this.told.set(model.runDir, visible);
      this.changeEmitter.fire(model.runDir);
    }
  }

  /** The titles the run's panel has: the folder's name until its manifest is read, then panelTitle. */
  private titlesOf(runDir: string): string[] {
    const manifest = this.runs.get(runDir)?.manifest;
    return [`LSTM: ${path.basename(runDir)}`, ...(manifest ? [panelTitle(manifest)] : [])];
  }
}
