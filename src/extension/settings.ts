/** The `lstmState.*` settings, read fresh each time (they may change while the window is open). */
import * as path from 'path';
import * as vscode from 'vscode';
import { isBackendChoice, type BackendChoice } from '../shared/config';

/** The settings the host acts on, resolved. */
export interface Settings {
  backend: BackendChoice;
  /** Absolute folder for run folders, or undefined for the trainer's default (beside the config). */
  runsFolder: string | undefined;
  tensorBudgetBytes: number | undefined;
  updateRateHz: number;
}

/** Settings as they apply to `resource` (a config file), resolved against its workspace folder. */
export function readSettings(resource?: vscode.Uri): Settings {
  const config = vscode.workspace.getConfiguration('lstmState', resource);
  const backend = config.get<string>('backend', 'auto');
  const runsFolder = config.get<string>('runsFolder', '').trim();
  const budget = config.get<number | null>('tensorBudgetBytes', null);
  const rate = config.get<number>('updateRateHz', 60);
  const folder = resource
    ? vscode.workspace.getWorkspaceFolder(resource)?.uri.fsPath
    : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return {
    backend: isBackendChoice(backend) ? backend : 'auto',
    runsFolder: resolveFolder(runsFolder, folder),
    tensorBudgetBytes: typeof budget === 'number' && Number.isInteger(budget) && budget >= 0 ? budget : undefined,
    updateRateHz: Number.isFinite(rate) ? Math.min(60, Math.max(1, rate)) : 60,
  };
}

/** Tree and status bar refreshes per second at most: the panel takes the full rate, these need no more than 10. */
const TREE_RATE_HZ = 10;

/** Milliseconds between tree and status bar refreshes: 1000 / min(updateRateHz, 10). */
export function updateIntervalMs(settings: Settings): number {
  return Math.round(1000 / Math.min(settings.updateRateHz, TREE_RATE_HZ));
}

/** A relative folder setting means relative to the workspace folder; without one it cannot apply. */
function resolveFolder(value: string, workspaceFolder: string | undefined): string | undefined {
  if (!value) return undefined;
  if (path.isAbsolute(value)) return value;
  return workspaceFolder ? path.resolve(workspaceFolder, value) : undefined;
}
