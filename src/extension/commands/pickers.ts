/** Turns a command's argument (tree node, file URI, run folder, or nothing) into what it acts on, asking when unclear. */
import * as path from 'path';
import * as vscode from 'vscode';
import type { LiveRun, RunManager } from '../run/runManager';
import type { RunsTreeNode } from '../tree/treeNodes';

/** Arguments commands receive: from the tree, the explorer/editor, a CodeLens, the status bar or the panel. */
export type CommandTarget = vscode.Uri | RunsTreeNode | string | undefined;

/** Whether a command argument is a Runs tree element. */
export function isTreeNode(value: unknown): value is RunsTreeNode {
  return typeof value === 'object' && value !== null && 'kind' in value && 'runDir' in value;
}

/** The run folder a target names, if it names one. */
export function runDirOf(target: CommandTarget): string | undefined {
  if (typeof target === 'string') return target;
  if (isTreeNode(target)) return target.runDir;
  return undefined;
}

/** The `*.lstm.json` to train: the given file, the active editor's, the only one, or the user's pick. */
export async function pickConfig(target: CommandTarget): Promise<vscode.Uri | undefined> {
  if (target instanceof vscode.Uri) return target;
  const active = vscode.window.activeTextEditor?.document;
  if (active?.fileName.endsWith('.lstm.json')) return active.uri;
  const configs = await vscode.workspace.findFiles('**/*.lstm.json', '**/node_modules/**', 500);
  if (configs.length === 1) return configs[0];
  if (configs.length === 0) {
    const create = 'New Training Config…';
    const choice = await vscode.window.showInformationMessage(
      'LSTM: no *.lstm.json training config in this workspace.',
      create,
    );
    if (choice === create) await vscode.commands.executeCommand('lstmState.newConfig');
    return undefined;
  }
  const items = configs
    .map((uri) => ({
      label: path.basename(uri.fsPath),
      description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)),
      uri,
    }))
    .sort((a, b) => a.description.localeCompare(b.description) || a.label.localeCompare(b.label));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Start Training',
    placeHolder: 'Training config to run',
  });
  return picked?.uri;
}

/** A live run a command is about, and the run folder the command named (a script may record several). */
export interface PickedRun {
  run: LiveRun;
  runDir?: string;
}

/** The live run a command is about: named by the target, the only live one, or the user's pick. */
export async function pickLiveRun(
  runs: RunManager,
  target: CommandTarget,
  title: string,
): Promise<PickedRun | undefined> {
  if (target instanceof vscode.Uri) {
    const session = runs.liveFor(target.fsPath);
    return session ? { run: { session } } : none();
  }
  const runDir = runDirOf(target);
  if (runDir) {
    const run = runs.liveTarget(runDir);
    return run ? { run, runDir } : none();
  }
  const live = runs.liveTargets();
  if (live.length <= 1) return live[0] ? { run: live[0] } : none();
  const picked = await vscode.window.showQuickPick(
    live.map((run) => ({ ...describeRun(run), run })),
    { title, placeHolder: 'Which run?' },
  );
  return picked && { run: picked.run };
}

/** A live run as a quick-pick item: its name and state (and who started it, when not this window). */
function describeRun({ session, model }: LiveRun): { label: string; description: string } {
  if (session)
    return { label: session.manifest?.name ?? path.basename(session.configPath), description: session.state };
  return { label: model.manifest.name, description: `${model.status} · started outside this window` };
}

function none(): undefined {
  void vscode.window.showInformationMessage('LSTM: no training is running.');
  return undefined;
}

/** A run folder: the target's, else one picked from the runs the tree lists. */
export async function pickRunDir(
  target: CommandTarget,
  listRunDirs: () => Promise<string[]>,
  title: string,
): Promise<string | undefined> {
  const given = runDirOf(target);
  if (given) return given;
  const dirs = (await listRunDirs()).sort((a, b) => path.basename(b).localeCompare(path.basename(a)));
  if (dirs.length === 0) {
    void vscode.window.showInformationMessage('LSTM: no saved runs found. Start a training or use "Open Saved Run…".');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    dirs.map((dir) => ({
      label: path.basename(dir),
      description: vscode.workspace.asRelativePath(path.dirname(dir)),
      dir,
    })),
    { title, placeHolder: 'Run' },
  );
  return picked?.dir;
}
