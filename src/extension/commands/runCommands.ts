/** Commands on runs, live or saved: open the timeline, open a saved run folder, export to NumPy. */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { listRunDirs } from '../../runStore/listRuns';
import { RUN_FILES } from '../../shared/runFormat';
import { isTreeNode, pickRunDir, runDirOf, type CommandTarget } from './pickers';
import type { Services } from './services';
import { isAbortError } from '../../jobs/runJobs';
import { abortSignalOf } from './abortSignal';

/** Opens the timeline of the target run, the live run, the selected run, or a picked one. */
export async function openTimeline(services: Services, target: CommandTarget): Promise<void> {
  const live = services.runs.liveRuns().filter((session) => session.runDir);
  const selected = services.treeView.selection[0];
  const runDir =
    runDirOf(target) ??
    (live.length === 1 ? live[0].runDir : undefined) ??
    selected?.runDir ??
    (await pickRunDir(undefined, () => services.folders.listRunDirs(), 'Open State Timeline'));
  if (!runDir) return;
  services.panels.show(runDir);
  if (isTreeNode(target) && target.kind === 'batch') services.panels.reveal(runDir, target.step);
}

/** Opens a run folder from disk (or picks one inside a folder of runs) and lists it in the tree. */
export async function openSavedRun(services: Services): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Open Saved Run',
    openLabel: 'Open Run',
    canSelectFolders: true,
    canSelectFiles: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  const folder = picked?.[0]?.fsPath;
  if (!folder) return;
  let runDir: string | undefined = folder;
  if (!fs.existsSync(path.join(folder, RUN_FILES.manifest))) {
    // A folder of runs (such as .lstm-runs): let the user choose one of them.
    const inside = listRunDirs(folder);
    if (inside.length === 0) {
      void vscode.window.showErrorMessage(
        `LSTM: ${folder} is not a run folder (it has no ${RUN_FILES.manifest}) and holds no runs.`,
      );
      return;
    }
    runDir = await pickRunDir(undefined, async () => inside, 'Open Saved Run');
    if (!runDir) return;
  }
  await services.folders.rememberRun(runDir);
  services.tree.refresh();
  services.panels.show(runDir);
}

/** Exports a run as NumPy files into `<chosen folder>/<run>-npy/` (in a worker: the editor stays responsive). */
export async function exportRun(services: Services, target: CommandTarget): Promise<void> {
  const runDir = await pickRunDir(target, () => services.folders.listRunDirs(), 'Export Run');
  if (!runDir) return;
  const picked = await vscode.window.showOpenDialog({
    title: `Export ${path.basename(runDir)} as NumPy files`,
    openLabel: 'Export Here',
    canSelectFolders: true,
    canSelectFiles: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(path.dirname(runDir)),
  });
  if (!picked?.[0]) return;
  // Its own subfolder: an export is a dozen files and must not spill into the chosen folder.
  const outDir = path.join(picked[0].fsPath, `${path.basename(runDir)}-npy`);
  try {
    const summary = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `LSTM: exporting ${path.basename(runDir)}…`,
        cancellable: true,
      },
      (_progress, token) => services.jobs.exportNpy(runDir, outDir, abortSignalOf(token)),
    );
    const live = services.runs.isLive(runDir)
      ? ' (the run is still training: this is what it had recorded so far)'
      : '';
    const reveal = 'Reveal Folder';
    const choice = await vscode.window.showInformationMessage(
      `LSTM: exported ${summary.batches} batches (${summary.capturedBatches} with full tensors) to ${outDir}${live}`,
      reveal,
    );
    if (choice === reveal) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(outDir));
  } catch (error) {
    if (isAbortError(error))
      void vscode.window.showInformationMessage(
        `LSTM: export of ${path.basename(runDir)} cancelled: nothing was written.`,
      );
    else
      void vscode.window.showErrorMessage(
        `LSTM: export of ${path.basename(runDir)} failed: ${(error as Error).message}`,
      );
  }
}
