/** "Start Training": trust check, config choice, one live run per config, then progress and the timeline. */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunSession } from '../run/runSession';
import { readSettings } from '../settings';
import { showRunProgress } from '../ui/runProgress';
import { pickConfig, type CommandTarget } from './pickers';
import type { Services } from './services';
import { scriptLaunchFor } from './startScript';

/** How long a stop may take before the trainer is terminated. */
export const STOP_GRACE_MS = 3000;

/** Training runs code on the workspace's files: refuse it, with a way out, in an untrusted workspace. */
export async function requireTrust(): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(
    "LSTM: training needs a trusted workspace (it runs the trainer, or your Python script, on this workspace's configs and data). Saved runs can still be viewed.",
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

/** Starts a run of the target (or chosen) config: the trainer, or the recorder for a python config; undefined when refused or cancelled. */
export async function startTraining(services: Services, target: CommandTarget): Promise<RunSession | undefined> {
  if (!(await requireTrust())) return undefined;
  const uri = await pickConfig(target);
  if (!uri) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) {
    void vscode.window.showErrorMessage(
      `LSTM: ${path.basename(uri.fsPath)} is outside the workspace folders. Open the folder that holds it (its data paths are checked against that folder).`,
    );
    return undefined;
  }
  // The writer reads the file from disk: unsaved edits would silently not apply.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) await open.save();
  const script = await scriptLaunchFor(services, uri, folder.uri.fsPath);
  if (script === null) return undefined;
  if (!script && !fs.existsSync(services.trainerPath)) {
    void vscode.window.showErrorMessage(
      `LSTM: the trainer bundle is missing (${services.trainerPath}). Run "npm run build".`,
    );
    return undefined;
  }
  if (!(await settleLiveRun(services, uri.fsPath))) return undefined;
  const settings = readSettings(uri);
  const session = script
    ? services.runs.startScript(script)
    : services.runs.start({
        trainerPath: services.trainerPath,
        configPath: uri.fsPath,
        workspaceFolder: folder.uri.fsPath,
        runsDir: settings.runsFolder,
        backend: settings.backend,
        tensorBudgetBytes: settings.tensorBudgetBytes,
      });
  showRunProgress(session, services.intervalMs, (s) => stopSession(s), services.panelVisibility);
  const started = session.onDidStart((model) => {
    started.dispose();
    void services.folders.rememberRoot(model.runDir);
    services.panels.show(model.runDir);
  });
  return session;
}

/** Graceful stop; terminate if the trainer has not ended within the grace period. */
export function stopSession(session: RunSession): void {
  void session.stopGracefully(STOP_GRACE_MS);
}

/** A config may have one live run: ask before stopping it for a new one. */
async function settleLiveRun(services: Services, configPath: string): Promise<boolean> {
  const live = services.runs.liveFor(configPath);
  if (!live) return true;
  const restart = 'Stop and Start Again';
  const choice = await vscode.window.showWarningMessage(
    `LSTM: ${path.basename(configPath)} is already training (${live.state}). Stop that run and start a new one?`,
    { modal: true, detail: 'The current run is stopped gracefully; everything it recorded stays in its run folder.' },
    restart,
  );
  if (choice !== restart) return false;
  await services.runs.stopAndWait(configPath, STOP_GRACE_MS);
  return !services.runs.liveFor(configPath);
}
