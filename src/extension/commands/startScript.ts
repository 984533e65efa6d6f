/**
 * Start Training on a python config: the config checked as the editor's diagnostics check it (in
 * the check worker: the schema is never compiled on the host's thread), the interpreter found,
 * and the launch of the recorder with the extension's own copy of python/lstm_state_timeline.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { ConfigChecker } from '../../config/check/configChecker';
import { resolvePythonConfig } from '../../config/resolvePythonConfig';
import { RECORDER_MODULE } from '../../shared/recorderArgs';
import { isPythonConfig } from '../../shared/config';
import { findInterpreter } from '../run/pythonInterpreter';
import type { ScriptLaunch } from '../run/scriptProcess';
import { readSettings } from '../settings';
import { revealField } from '../ui/runNotifications';
import type { Services } from './services';

/**
 * The recorder launch for a python config; `undefined` when the config is not a python config
 * (the trainer runs it), `null` when it is one that cannot run (the error has been shown).
 */
export async function scriptLaunchFor(
  services: Services,
  uri: vscode.Uri,
  workspaceFolder: string,
): Promise<ScriptLaunch | undefined | null> {
  let text: string;
  let value: unknown;
  try {
    text = await fs.promises.readFile(uri.fsPath, 'utf8');
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return undefined; // unreadable or not JSON: the trainer says why, with the line
  }
  if (!isPythonConfig(value)) return undefined;
  const name = path.basename(uri.fsPath);
  const problem = await checkInWorker(services, text, uri.fsPath, workspaceFolder);
  if (problem) {
    const actions = problem.field ? ['Go to Field'] : [];
    const choice = await vscode.window.showErrorMessage(`LSTM: ${name} cannot run: ${problem.message}`, ...actions);
    if (choice === 'Go to Field' && problem.field) await revealField(uri.fsPath, problem.field);
    return null;
  }
  const recorderDir = path.join(services.context.extensionPath, 'python');
  if (!fs.existsSync(path.join(recorderDir, RECORDER_MODULE, '__main__.py'))) {
    void vscode.window.showErrorMessage(
      `LSTM: the PyTorch recorder is missing from the extension (${path.join(recorderDir, RECORDER_MODULE)}). Reinstall the extension.`,
    );
    return null;
  }
  const config = resolvePythonConfig(value, uri.fsPath);
  const runsFolder = readSettings(uri).runsFolder;
  const interpreter = await findInterpreter(uri, workspaceFolder);
  return {
    python: interpreter.path,
    pythonSource: interpreter.source,
    recorderDir,
    configPath: uri.fsPath,
    workspaceFolder,
    config: runsFolder ? { ...config, runsDir: runsFolder } : config,
  };
}

/** The config's first error as the diagnostics report it, or undefined when it has none. */
async function checkInWorker(
  services: Services,
  text: string,
  configPath: string,
  workspaceFolder: string,
): Promise<{ message: string; field: string } | undefined> {
  const checker = new ConfigChecker(path.join(services.context.extensionPath, 'dist', 'configCheck.js'));
  try {
    const problems = await checker.check(configPath, text, configPath, workspaceFolder);
    return problems?.find((problem) => problem.severity === 'error');
  } finally {
    checker.dispose();
  }
}
