/** A cancellable progress notification per live run; cancel = stop (finish the batch, keep the run). */
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunSession } from '../run/runSession';
import { progressText } from './runStatusBar';

/** Shows progress until the session ends; `intervalMs` throttles the updates. */
export function showRunProgress(
  session: RunSession,
  intervalMs: () => number,
  onCancel: (session: RunSession) => void,
): void {
  const title = `LSTM: training ${path.basename(session.configPath)}`;
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (progress, token) =>
      new Promise<void>((resolve) => {
        let reported = 0;
        let last = 0;
        token.onCancellationRequested(() => onCancel(session));
        const update = (force: boolean) => {
          const now = Date.now();
          if (!force && now - last < intervalMs()) return;
          last = now;
          const { epochs, batchesPerEpoch } = session.manifest ?? {};
          // A recorded script may not know its plan: then there is no percentage.
          const total = epochs && batchesPerEpoch ? epochs * batchesPerEpoch : 0;
          const done = total && session.lastBatch ? ((session.lastBatch.step + 1) / total) * 100 : 0;
          progress.report({
            message: `${session.state === 'running' ? '' : `${session.state} · `}${progressText(session)}`,
            increment: done - reported,
          });
          reported = done;
        };
        if (!session.isLive) return resolve();
        const subscription = session.onDidChange(() => {
          if (session.isLive) return update(session.state !== 'running');
          subscription.dispose();
          resolve();
        });
        update(true);
      }),
  );
}
