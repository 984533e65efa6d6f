/** VS Code's cancellation as the standard AbortSignal that the run jobs (src/jobs) take. */
import type * as vscode from 'vscode';

/** A signal that aborts when `token` is cancelled (the Cancel button of a progress notification). */
export function abortSignalOf(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
