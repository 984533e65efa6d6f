/** Entry of the extension host: wires the run manager, Runs tree, panels, commands, diagnostics and status bar. */
import * as path from 'path';
import * as vscode from 'vscode';
import { registerCommands } from './commands/registerCommands';
import type { Services } from './commands/services';
import { ConfigCodeLens } from './diagnostics/configCodeLens';
import { ConfigDiagnostics } from './diagnostics/configDiagnostics';
import { TimelinePanels } from './panel/timelinePanels';
import { PanelHostAdapter } from './run/panelHostAdapter';
import { RunManager } from './run/runManager';
import { readSettings, updateIntervalMs } from './settings';
import { RunFolders } from './tree/runFolders';
import { RunsTreeProvider } from './tree/runsTreeProvider';
import type { RunsTreeNode } from './tree/treeNodes';
import { trackContextKeys } from './ui/contextKeys';
import { notifyRunEnded } from './ui/runNotifications';
import { RunStatusBar } from './ui/runStatusBar';
import { panelAction, syncSelection } from './wiring';

/** Time a trainer gets to exit after SIGTERM when the window closes, before SIGKILL. */
const DEACTIVATE_GRACE_MS = 2000;

let runs: RunManager | undefined;

/** Activation: creates everything once and registers it for disposal. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('LSTM State Timeline', { log: true });
  // Read once and on change of `lstmState.updateRateHz`: the tree, status bar and progress read it on every batch.
  let interval = updateIntervalMs(readSettings());
  const intervalMs = () => interval;
  runs = new RunManager(log);
  const folders = new RunFolders(context.workspaceState);
  const tree = new RunsTreeProvider(runs, () => folders.listRunDirs(), intervalMs());
  const treeView = vscode.window.createTreeView<RunsTreeNode>('lstmState.runs', { treeDataProvider: tree, showCollapseAll: true });
  // `services` is filled before any handler can run; the adapter only needs it lazily.
  const services = {} as Services;
  const host = new PanelHostAdapter(runs, (runDir, action) => panelAction(services, runDir, action), (runDir, step) => syncSelection.fromPanel(services, runDir, step));
  const panels = new TimelinePanels(context.extensionUri, host);
  Object.assign(services, {
    context, runs, folders, tree, treeView, panels, log, intervalMs,
    trainerPath: path.join(context.extensionPath, 'dist', 'trainer.js'),
  } satisfies Services);
  const manager = runs;
  context.subscriptions.push(
    log, manager, folders, tree, treeView, panels,
    panels.registerSerializer(),
    folders.onDidChange(() => tree.refresh()),
    new RunStatusBar(manager, intervalMs),
    trackContextKeys(manager),
    manager.onDidChangeSession((session) => {
      if (!session.isLive) void notifyRunEnded(session, () => log.show(true));
    }),
    new ConfigDiagnostics(),
    vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: '**/*.lstm.json' }, new ConfigCodeLens(manager)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('lstmState.updateRateHz')) return;
      interval = updateIntervalMs(readSettings());
      tree.queue.intervalMs = interval;
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
