/** Entry of the extension host: wires the run repository, run manager, Runs tree, panels, commands, diagnostics and status bar. */
import * as path from 'path';
import * as vscode from 'vscode';
import { RunJobs } from '../jobs/runJobs';
import { panelActionHandler, registerCommands } from './commands/registerCommands';
import type { Services } from './commands/services';
import { ConfigCodeLens } from './diagnostics/configCodeLens';
import { ConfigDiagnostics } from './diagnostics/configDiagnostics';
import { registerCompareSerializer } from './panel/compareSerializer';
import { TimelinePanels } from './panel/timelinePanels';
import { RunManager } from './run/runManager';
import { RunRepository } from './runs/runRepository';
import { readSettings, updateIntervalMs } from './settings';
import { RunFolders } from './tree/runFolders';
import { RunsTreeProvider } from './tree/runsTreeProvider';
import { TreeReveal } from './tree/treeReveal';
import type { RunsTreeNode } from './tree/treeNodes';
import { trackContextKeys } from './ui/contextKeys';
import { notifyRunEnded } from './ui/runNotifications';
import { RunStatusBar } from './ui/runStatusBar';

/** Time a trainer gets to exit after SIGTERM when the window closes, before SIGKILL. */
const DEACTIVATE_GRACE_MS = 2000;

let runs: RunManager | undefined;

/** Activation: creates everything once and registers it for disposal. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('LSTM State Timeline', { log: true });
  // Read once and on change of `lstmState.updateRateHz`: the tree, status bar and progress read it on every batch.
  let interval = updateIntervalMs(readSettings());
  const intervalMs = () => interval;
  const repository = new RunRepository(log);
  const manager = (runs = new RunManager(log, repository));
  const folders = new RunFolders(context.workspaceState);
  const tree = new RunsTreeProvider(repository, () => folders.listRunDirs(), intervalMs(), context.workspaceState);
  const treeView = vscode.window.createTreeView<RunsTreeNode>('lstmState.runs', {
    treeDataProvider: tree,
    showCollapseAll: true,
    // Several runs can be selected to compare them (LSTM: Compare Runs…).
    canSelectMany: true,
  });
  const reveal = new TreeReveal(tree, treeView, log);
  // The handlers run only after activation, when `services` exists.
  const panels = new TimelinePanels(
    context.extensionUri,
    repository,
    {
      action: (runDir, action) => panelAction(runDir, action),
      selected: (runDir, step) => void reveal.batch(runDir, step),
    },
    readSettings().updateRateHz,
  );
  const jobs = new RunJobs(path.join(context.extensionPath, 'dist', 'runJobs.js'));
  const services: Services = {
    context,
    repository,
    runs: manager,
    folders,
    tree,
    treeView,
    panels,
    panelVisibility: panels,
    log,
    jobs,
    intervalMs,
    trainerPath: path.join(context.extensionPath, 'dist', 'trainer.js'),
  };
  const panelAction = panelActionHandler(services);
  context.subscriptions.push(
    log,
    manager,
    jobs,
    repository,
    folders,
    tree,
    treeView,
    panels,
    panels.registerSerializer(),
    registerCompareSerializer(context.extensionUri, repository),
    folders.onDidChange(() => tree.refresh()),
    new RunStatusBar(manager, intervalMs),
    trackContextKeys(manager),
    manager.onDidChangeSession((session) => {
      if (!session.isLive) void notifyRunEnded(session, () => log.show(true));
    }),
    new ConfigDiagnostics(),
    vscode.languages.registerCodeLensProvider(
      { scheme: 'file', pattern: '**/*.lstm.json' },
      new ConfigCodeLens(manager),
    ),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('lstmState.updateRateHz')) return;
      interval = updateIntervalMs(readSettings());
      tree.queue.intervalMs = interval;
      panels.setUpdateRate(readSettings().updateRateHz);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => tree.refresh()),
    ...registerCommands(services),
  );
}

/** Window closing or extension stopping: SIGTERM every trainer, SIGKILL after a grace period; runs read as interrupted. */
export async function deactivate(): Promise<void> {
  await runs?.terminateAll(DEACTIVATE_GRACE_MS);
  runs = undefined;
}
