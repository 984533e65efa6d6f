/**
 * The contract between the timeline panels (issue: timeline panel) and the rest of the
 * extension host (run manager, tree, commands). The run manager implements `PanelHost`;
 * `TimelinePanels` (panel/timelinePanels.ts) consumes it.
 */
import type * as vscode from 'vscode';
import type { PanelAction, TrainerEvent } from '../../shared/protocol';

export interface PanelHost {
  /** Live trainer events of every live run, tagged with the run folder. */
  readonly onTrainerEvent: vscode.Event<{ runDir: string; event: TrainerEvent }>;
  /** Whether the run in this folder is live (its trainer process is running). */
  isLive(runDir: string): boolean;
  /** A toolbar button was pressed in the panel of this run. */
  runAction(runDir: string, action: PanelAction): void;
  /** The user selected a batch in the panel (the tree reveals it). */
  batchSelected(runDir: string, step: number): void;
}
