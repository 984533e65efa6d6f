/**
 * Which Python records a script: the setting `lstmState.pythonPath`, else the interpreter selected
 * in the Python extension (ms-python.python) when it is installed, else `python3` on PATH.
 */
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';

/** An interpreter and where it came from (for the log and for messages). */
export interface Interpreter {
  path: string;
  source: string;
}

/** The parts of ms-python.python's API used here (its `environments` API, 2023 and later). */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string } | undefined;
    resolveEnvironment?(environment: {
      id: string;
      path: string;
    }): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

export const PYTHON_EXTENSION_ID = 'ms-python.python';
/** The Python extension may take a while to activate; after this we do without it. */
const EXTENSION_TIMEOUT_MS = 10_000;

/** The interpreter for a config in `workspaceFolder`. */
export async function findInterpreter(resource: vscode.Uri, workspaceFolder: string): Promise<Interpreter> {
  const setting = vscode.workspace.getConfiguration('lstmState', resource).get<string>('pythonPath', '').trim();
  if (setting) return { path: resolveSetting(setting, workspaceFolder), source: 'setting lstmState.pythonPath' };
  const selected = await selectedInPythonExtension(resource);
  if (selected) return { path: selected, source: 'the interpreter selected in the Python extension' };
  return { path: 'python3', source: 'python3 on PATH (lstmState.pythonPath is not set)' };
}

/** `~` and `${workspaceFolder}` expanded; a relative path with a folder in it is relative to the workspace folder; a bare name is looked up on PATH. */
export function resolveSetting(value: string, workspaceFolder: string): string {
  const expanded = value.replace(/\$\{workspaceFolder\}/g, workspaceFolder).replace(/^~(?=$|[/\\])/, os.homedir());
  if (path.isAbsolute(expanded) || !/[/\\]/.test(expanded)) return expanded;
  return path.resolve(workspaceFolder, expanded);
}

/** The Python extension's active interpreter for the resource; undefined when it is absent, fails or takes too long. */
async function selectedInPythonExtension(resource: vscode.Uri): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
  if (!extension) return undefined;
  try {
    const api = await withTimeout(extension.isActive ? Promise.resolve(extension.exports) : extension.activate());
    const environments = api?.environments;
    const active = environments?.getActiveEnvironmentPath(resource);
    if (!active) return undefined;
    const resolved = await withTimeout(environments?.resolveEnvironment?.(active) ?? Promise.resolve(undefined));
    return resolved?.executable?.uri?.fsPath ?? active.path;
  } catch {
    return undefined;
  }
}

function withTimeout<T>(promise: Thenable<T>): Promise<T | undefined> {
  return Promise.race([
    Promise.resolve(promise),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), EXTENSION_TIMEOUT_MS).unref?.()),
  ]);
}
