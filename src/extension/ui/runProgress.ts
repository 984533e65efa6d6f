/**
 * The long-running progress of a live run, where it does not cover the work: in the window's
 * progress (status bar) while the run's timeline panel is visible, as a cancellable notification
 * (cancel = stop: finish the batch, keep the run) only while the panel is hidden. While in the
 * status bar, the status bar's own Stop item is the one-click cancel.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunSession } from '../run/runSession';
import { progressText } from './runStatusBar';

/** Whether a run's timeline panel is on screen, and when that changes (the timeline panels provide it). */
export interface PanelVisibility {
  isVisible(runDir: string): boolean;
  /** Fires with the run folder whose panel was shown, hidden, opened or closed. */
  readonly onDidChangeVisibility: vscode.Event<string>;
}

/** Shows progress until the session ends; `intervalMs` throttles the updates; moves with the panel's visibility. */
export function showRunProgress(
  session: RunSession,
  intervalMs: () => number,
  onCancel: (session: RunSession) => void,
  panels: PanelVisibility,
): void {
  const title = `LSTM: training ${path.basename(session.configPath)}`;
  // Until the run's panel has been heard of (it opens once the run folder exists), the window's
  // progress: a notification then would flash over the panel that is about to open.
  let panelKnown = false;
  const location = () =>
    !panelKnown || !session.runDir || panels.isVisible(session.runDir)
      ? vscode.ProgressLocation.Window
      : vscode.ProgressLocation.Notification;
  let shown: { location: vscode.ProgressLocation; end: () => void; update: (force: boolean) => void } | undefined;
  let reported = 0;
  let last = 0;

  const show = () => {
    const where = location();
    if (shown?.location === where) return;
    shown?.end();
    let end!: () => void;
    const done = new Promise<void>((resolve) => (end = resolve));
    let report: (value: { message?: string; increment?: number }) => void = () => undefined;
    shown = {
      location: where,
      end,
      update: (force) => {
        const now = Date.now();
        if (!force && now - last < intervalMs()) return;
        last = now;
        const { epochs, batchesPerEpoch } = session.manifest ?? {};
        // A recorded script may not know its plan: then there is no percentage.
        const total = epochs && batchesPerEpoch ? epochs * batchesPerEpoch : 0;
        const percent = total && session.lastBatch ? ((session.lastBatch.step + 1) / total) * 100 : 0;
        report({
          message: `${session.state === 'running' ? '' : `${session.state} · `}${progressText(session)}`,
          increment: percent - reported,
        });
        reported = percent;
      },
    };
    const cancellable = where === vscode.ProgressLocation.Notification;
    void vscode.window.withProgress({ location: where, title, cancellable }, (progress, token) => {
      // A fresh progress starts from 0 %: report the whole fraction again.
      reported = 0;
      report = (value) => progress.report(value);
      token.onCancellationRequested(() => onCancel(session));
      shown?.update(true);
      return done;
    });
  };

  if (!session.isLive) return;
  const subscriptions = [
    session.onDidChange(() => {
      if (!session.isLive) return finish();
      show();
      shown?.update(session.state !== 'running');
    }),
    panels.onDidChangeVisibility((runDir) => {
      if (!session.runDirs.includes(runDir)) return;
      panelKnown = true;
      show();
    }),
  ];
  const finish = () => {
    subscriptions.forEach((subscription) => subscription.dispose());
    shown?.end();
    shown = undefined;
  };
  show();
}
