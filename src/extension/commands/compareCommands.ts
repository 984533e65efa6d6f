/** Compare Runs… (two or more runs side by side) and Export HTML Report… (one run, or a comparison), from the palette, the tree and the panels. */
import * as path from 'path';
import * as vscode from 'vscode';
import { openComparison } from '../panel/comparePanel';
import { isTreeNode, pickRunDir, runDirOf, type CommandTarget } from './pickers';
import type { Services } from './services';
import { isAbortError } from '../../jobs/runJobs';
import { abortSignalOf } from './abortSignal';

/** The run folders of the tree items a command got (the clicked one, and the selection when several are selected). */
function selectedRunDirs(target: unknown, selection: unknown): string[] {
  const nodes = Array.isArray(selection) && selection.length ? selection : [target];
  const dirs = nodes.filter((n) => isTreeNode(n) && n.kind === 'run').map((n) => runDirOf(n as CommandTarget)!);
  return [...new Set(dirs)];
}

/** Opens a comparison of the selected runs, or of runs picked from the tree's list. */
export async function compareRuns(services: Services, target?: unknown, selection?: unknown): Promise<void> {
  let runDirs = selectedRunDirs(target, selection);
  if (runDirs.length < 2) {
    const all = (await services.folders.listRunDirs()).sort((a, b) => path.basename(b).localeCompare(path.basename(a)));
    const picked = await vscode.window.showQuickPick(
      all.map((dir) => ({
        label: path.basename(dir),
        description: vscode.workspace.asRelativePath(path.dirname(dir)),
        picked: runDirs.includes(dir),
        dir,
      })),
      { title: 'Compare Runs', placeHolder: 'Pick two or more runs', canPickMany: true },
    );
    if (!picked) return;
    runDirs = picked.map((p) => p.dir);
  }
  if (runDirs.length < 2) {
    void vscode.window.showInformationMessage('LSTM: pick two or more runs to compare.');
    return;
  }
  openComparison(services.context.extensionUri, services.repository, runDirs);
}

/** Writes a standalone HTML report of a run (or a comparison of runs, given their folders) where the user says. */
export async function exportReport(services: Services, target?: unknown, selection?: unknown): Promise<void> {
  let runDirs = Array.isArray(target)
    ? target.filter((t): t is string => typeof t === 'string')
    : selectedRunDirs(target, selection);
  if (!runDirs.length) {
    const single = await pickRunDir(
      typeof target === 'string' ? target : undefined,
      () => services.folders.listRunDirs(),
      'Export HTML Report',
    );
    if (!single) return;
    runDirs = [single];
  }
  const name = runDirs.map((d) => path.basename(d)).join('-vs-');
  const picked = await vscode.window.showSaveDialog({
    title:
      runDirs.length > 1
        ? 'Export the comparison as an HTML report'
        : `Export ${path.basename(runDirs[0])} as an HTML report`,
    saveLabel: 'Export Report',
    filters: { 'HTML report': ['html'] },
    defaultUri: vscode.Uri.file(
      path.join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? path.dirname(runDirs[0]), `${name}.html`),
    ),
  });
  if (!picked) return;
  try {
    // Read, rendered and written in a worker: a long run's report must not stall the editor.
    const { bytes } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'LSTM: writing the HTML report…', cancellable: true },
      (_progress, token) => services.jobs.report(runDirs, picked.fsPath, abortSignalOf(token)),
    );
    const open = 'Open in Browser';
    const choice = await vscode.window.showInformationMessage(
      `LSTM: wrote ${path.basename(picked.fsPath)} (${(bytes / 1048576).toFixed(2)} MB)`,
      open,
    );
    if (choice === open) await vscode.env.openExternal(picked);
  } catch (error) {
    if (isAbortError(error)) void vscode.window.showInformationMessage(`LSTM: report cancelled: nothing was written.`);
    else
      void vscode.window.showErrorMessage(
        `LSTM: cannot write the report: ${error instanceof Error ? error.message : String(error)}`,
      );
  }
}
