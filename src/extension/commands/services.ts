/** What the command handlers share, created once in `activate`. */
import type * as vscode from 'vscode';
import type { RunJobs } from '../../jobs/runJobs';
import type { RunManager } from '../run/runManager';
import type { RunRepository } from '../runs/runRepository';
import type { RunFolders } from '../tree/runFolders';
import type { RunsTreeProvider } from '../tree/runsTreeProvider';
import type { RunsTreeNode } from '../tree/treeNodes';
import type { PanelVisibility } from '../ui/runProgress';

/** The parts of the timeline panels (panel/timelinePanels.ts) the commands use. */
export interface Panels {
  show(runDir: string): void;
  reveal(runDir: string, step: number): void;
}

/** Shared objects handed to every command handler. */
export interface Services {
  context: vscode.ExtensionContext;
  /** Every run read from its folder. */
  repository: RunRepository;
  /** The runs this window started (their processes). */
  runs: RunManager;
  folders: RunFolders;
  tree: RunsTreeProvider;
  treeView: vscode.TreeView<RunsTreeNode>;
  panels: Panels;
  /** Whether a run's timeline panel is on screen: the run's progress then stays out of its way. */
  panelVisibility: PanelVisibility;
  log: vscode.LogOutputChannel;
  /** NumPy exports and HTML reports, each in a worker thread. */
  jobs: RunJobs;
  /** The trainer bundle forked for each run. */
  trainerPath: string;
  /** Milliseconds between UI refreshes (from `lstmState.updateRateHz`). */
  intervalMs(): number;
}
