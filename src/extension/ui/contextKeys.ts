/**
 * Keeps the `lstmState.running/paused/stateful` context keys in step with the live runs (for `when`
 * clauses): this window's sessions and the live runs of other writers that take commands from
 * their control file. `stateful` means some live run can be reset (a recorded script can).
 */
import * as vscode from 'vscode';
import type { RunManager } from '../run/runManager';

/** Sets the context keys now and on every change of a live run; dispose to stop. */
export function trackContextKeys(runs: RunManager): vscode.Disposable {
  let last: Record<string, boolean> = {};
  const update = () => {
    const state = runs.contextState();
    for (const [key, value] of Object.entries(state)) {
      if (last[key] !== value) void vscode.commands.executeCommand('setContext', `lstmState.${key}`, value);
    }
    last = state;
  };
  update();
  return vscode.Disposable.from(runs.onDidChangeSession(update), runs.onDidChangeFolderRun(update));
}
