/** Keeps the `lstmState.running/paused/stateful` context keys in step with the live runs (for `when` clauses). */
import * as vscode from 'vscode';
import type { RunManager } from '../run/runManager';

/** Sets the context keys now and on every session change; dispose to stop. */
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
  return runs.onDidChangeSession(update);
}
