/**
 * Status bar items of the latest live run: epoch/batch, loss, resets so far (click opens its
 * timeline), and beside it, while the run is live, a Stop button: the run's one-click cancel
 * (finish the batch, keep the run) when its progress is not a notification.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import type { RunManager } from '../run/runManager';
import type { RunSession } from '../run/runSession';
import { resetCount } from '../../shared/causes';
import { showNumber } from '../../shared/showNumber';
import { escapeMarkdown } from './markdown';

/** Hide an ended run's item after this long; its result stays in the tree. */
const LINGER_MS = 15_000;

/** "e 2/10 · b 3/5 · loss 0.0123 · resets 7" for a session (pure, for tests and tooltips). */
export function progressText(session: RunSession): string {
  const manifest = session.manifest;
  const batch = session.lastBatch;
  // Before the trainer started (e.g. a config error) there is no run yet: name the config.
  if (!manifest) return session.state === 'starting' ? 'starting…' : path.basename(session.configPath);
  // "/N" only where the plan is known (a recorded script may not say how many epochs it runs).
  const of = (total: number | null) => (total === null ? '' : `/${total}`);
  const parts = [
    `epoch ${batch ? batch.epoch + 1 : 1}${of(manifest.epochs)}`,
    `batch ${batch ? batch.batch + 1 : 0}${of(manifest.batchesPerEpoch)}`,
  ];
  if (batch) parts.push(`loss ${showNumber(batch.loss, (v) => v.toPrecision(4))}`);
  parts.push(`resets ${resetCount(session.counts)}`);
  return parts.join(' · ');
}

const ICONS: Record<string, string> = {
  starting: 'loading~spin',
  running: 'sync~spin',
  paused: 'debug-pause',
  stopping: 'loading~spin',
  finished: 'pass',
  stopped: 'debug-stop',
  failed: 'error',
  interrupted: 'warning',
};

/** The status bar item; throttled to the update rate while a run is running. */
export class RunStatusBar extends Disposable {
  private readonly item = this._register(
    vscode.window.createStatusBarItem('lstmState.run', vscode.StatusBarAlignment.Left, 50),
  );
  private readonly stopItem = this._register(
    vscode.window.createStatusBarItem('lstmState.stop', vscode.StatusBarAlignment.Left, 49),
  );
  private shown: RunSession | undefined;
  /** The state and manual resets in the text shown: a change of either shows at once, not at the next repaint. */
  private shownState = '';
  private shownManual = 0;
  private timer: NodeJS.Timeout | undefined;
  private hideTimer: NodeJS.Timeout | undefined;

  constructor(
    runs: RunManager,
    private readonly intervalMs: () => number,
  ) {
    super();
    this.item.name = 'LSTM State Timeline: training';
    this.stopItem.name = 'LSTM State Timeline: stop training';
    this.stopItem.text = '$(debug-stop)';
    this.stopItem.tooltip = 'Stop Training: finish the current batch and keep every recorded batch';
    this._register(runs.onDidChangeSession((session) => this.onChange(session)));
    this._register({ dispose: () => (clearTimeout(this.timer), clearTimeout(this.hideTimer)) });
  }

  private onChange(session: RunSession): void {
    // The newest live run owns the item; an ended one keeps it until another run shows.
    if (this.shown !== session && !session.isLive && this.shown?.isLive) return;
    this.shown = session;
    // Batches arrive fast: at most one repaint per interval. State changes and manual resets show at once.
    const same = session.state === this.shownState && session.counts.manual === this.shownManual;
    if (session.state === 'running' && same) {
      this.timer ??= setTimeout(() => this.render(), this.intervalMs());
      return;
    }
    clearTimeout(this.timer);
    this.render();
  }

  private render(): void {
    this.timer = undefined;
    const session = this.shown;
    if (!session) return;
    clearTimeout(this.hideTimer);
    this.shownState = session.state;
    this.shownManual = session.counts.manual;
    const name = session.manifest?.name ?? session.configPath;
    this.item.text = `$(${ICONS[session.state]}) LSTM ${session.isLive ? '' : `${session.state} · `}${progressText(session)}`;
    const tooltip = new vscode.MarkdownString(
      `**${escapeMarkdown(name)}** — ${session.state}\n\n${escapeMarkdown(session.answer ?? session.failure?.message ?? '')}\n\nClick to open the state timeline.`,
    );
    this.item.tooltip = tooltip;
    this.item.command = session.runDir
      ? { title: 'Open State Timeline', command: 'lstmState.openTimeline', arguments: [session.runDir] }
      : { title: 'Show Log', command: 'lstmState.showLog' };
    this.item.backgroundColor =
      session.state === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
    this.renderStop(session);
    if (!session.isLive) this.hideTimer = setTimeout(() => this.item.hide(), LINGER_MS);
  }

  /** The Stop button, while the run can still be stopped (not while it stops, nor after). */
  private renderStop(session: RunSession): void {
    if (session.state !== 'running' && session.state !== 'paused') return this.stopItem.hide();
    this.stopItem.command = {
      title: 'Stop Training',
      command: 'lstmState.stopTraining',
      arguments: session.runDir ? [session.runDir] : [],
    };
    this.stopItem.show();
  }
}
