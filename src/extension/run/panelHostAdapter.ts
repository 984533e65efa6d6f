/** The run manager as the timeline panels see it (`PanelHost`): live events, toolbar actions, selection. */
import type * as vscode from 'vscode';
import type { PanelAction, TrainerEvent } from '../../shared/protocol';
import type { PanelHost } from '../panel/panelHost';
import type { RunManager } from './runManager';

/** What the toolbar buttons do: the same handlers as the palette commands, aimed at one run folder. */
export type PanelActionHandler = (runDir: string, action: PanelAction) => void;

/** Implements PanelHost over the run manager. */
export class PanelHostAdapter implements PanelHost {
  readonly onTrainerEvent: vscode.Event<{ runDir: string; event: TrainerEvent }>;

  constructor(
    private readonly runs: RunManager,
    private readonly onAction: PanelActionHandler,
    private readonly onSelected: (runDir: string, step: number) => void,
  ) {
    this.onTrainerEvent = runs.onTrainerEvent;
  }

  isLive(runDir: string): boolean {
    return this.runs.isLive(runDir);
  }

  runAction(runDir: string, action: PanelAction): void {
    this.onAction(runDir, action);
  }

  batchSelected(runDir: string, step: number): void {
    this.onSelected(runDir, step);
  }
}
