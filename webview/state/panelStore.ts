/** The panel's store and its actions: every change of selection, view, choices, run and tensors goes through here. */
import type { BatchColumns } from '../../src/shared/batchColumns';
import type { BatchDetail, DeltaMessage, PanelAction, RunSnapshot } from '../../src/shared/channels/webviewChannel';
import type { Theme } from './theme';
import type { InitialStateCause } from '../../src/shared/causes';
import { clampViewport, ensureVisible, type Viewport } from '../numbers/viewport';
import { describeBatch } from './describe';
import { initialPanelState, type DetailState, type Gutters, type PanelState } from './panelState';
import { Store } from './store';
import { defaultUiState, type UiState } from './uiState';

/** What the actions ask of the host side (host/hostLink.ts): the store itself never talks to the host. */
export interface PanelEffects {
  /** The user selected `step` (the host hears of it once the selection rests). */
  selected(step: number): void;
  /** The detail of `step` if it is at hand. */
  cachedDetail(step: number): BatchDetail | undefined;
  /** Fetch the details of `steps` (the selected batch and its successor) once the selection rests on them. */
  fetchDetail(steps: number[]): void;
  /** A toolbar action for the trainer. */
  act(action: PanelAction): void;
}

/** The choices the inspector, the loss chart and the summary table offer. */
export type Choices = Pick<
  UiState,
  | 'layer'
  | 'tensor'
  | 'view'
  | 'smoothing'
  | 'summaryPage'
  | 'hiddenRow'
  | 'xAxis'
  | 'logY'
  | 'epochMeans'
  | 'events'
  | 'eventsPage'
>;

/** A reply to a detail request. */
export type DetailResult = { ok: true; detail: BatchDetail } | { ok: false; message: string };

/** The panel's state with the actions that change it; views subscribe to it and call its actions. */
export class PanelStore extends Store<PanelState> {
  private described: { version: number; step: number; text: string } | undefined;

  constructor(
    ui: UiState,
    theme: Theme,
    private readonly effects: PanelEffects,
  ) {
    super(initialPanelState(ui, theme));
  }

  /** Selects a batch and shows its tensors (from the cache, else fetched); `fromHost` when the host asked for it. */
  select(step: number, fromHost = false): void {
    const { run } = this.state;
    if (step < 0 || step >= run.length) return;
    const successor = run.successorOf(step);
    const missing: number[] = [];
    const why = run.unreadable.get(step);
    const detail = why
      ? ({ step, status: 'error', message: `Step ${step} could not be read: ${why}.` } as const)
      : this.detailOf(step, missing);
    this.update({
      ui: { ...this.state.ui, selected: step },
      detail,
      successor:
        successor === null || run.unreadable.has(successor) ? { step: null } : this.detailOf(successor, missing),
    });
    if (missing.length) this.effects.fetchDetail(missing);
    if (!fromHost) this.effects.selected(step);
  }

  /** The successor of the selection may have arrived since it was selected (a live run): look again. */
  refreshSuccessor(): void {
    const { ui, successor, run } = this.state;
    if (ui.selected === null || successor.step !== null) return;
    const next = run.successorOf(ui.selected);
    if (next === null) return;
    const missing: number[] = [];
    this.update({ successor: this.detailOf(next, missing) });
    if (missing.length) this.effects.fetchDetail(missing);
  }

  private detailOf(step: number, missing: number[]): DetailState {
    const cached = this.effects.cachedDetail(step);
    if (cached) return { step, status: 'ready', detail: cached };
    missing.push(step);
    return { step, status: 'loading' };
  }

  /** Shows `viewport`; `byUser` (a zoom or a pan) stops following a live run. */
  setViewport(viewport: Viewport, byUser: boolean): void {
    const shown = clampViewport(viewport, this.state.run.domain);
    const ui = byUser ? { ...this.state.ui, viewport: shown, follow: false } : this.state.ui;
    this.update({ viewport: shown, ui });
  }

  /** The host revealed a batch (e.g. from the Runs tree): select it and scroll it into view. */
  reveal(step: number): void {
    this.select(step, true);
    this.setViewport(ensureVisible(this.state.viewport, step, this.state.run.domain), false);
  }

  /** Selects `step` and scrolls it into view (Go to batch, the list of resets). */
  goTo(step: number): void {
    this.select(step);
    const { viewport, run } = this.state;
    const shown = ensureVisible(viewport, step, run.domain);
    if (shown !== viewport) this.setViewport(shown, true);
  }

  /** Fit the batches so far, and keep fitting them as a live run grows. */
  follow(): void {
    this.update({ ui: { ...this.state.ui, follow: true }, viewport: fitAll(this.state.run.domain) });
  }

  /** Highlights a cause (the legend), or none: `[` and `]` then jump between its batches. */
  highlight(cause: InitialStateCause | null): void {
    this.update({ ui: { ...this.state.ui, highlight: cause } });
  }

  choose(patch: Partial<Choices>): void {
    this.update({ ui: { ...this.state.ui, ...patch } });
  }

  setTheme(theme: Theme): void {
    this.update({ theme });
  }

  setGutters(gutters: Gutters): void {
    const { left, right } = this.state.gutters;
    if (gutters.left !== left || gutters.right !== right) this.update({ gutters });
  }

  act(action: PanelAction): void {
    this.effects.act(action);
  }

  /**
   * Replaces the run with the host's snapshot; `warning`, if any, is shown instead of the run's message;
   * `updateRateHz`: the most repaints per second while the run streams (absent: every frame).
   */
  loadRun(snapshot: RunSnapshot, columns: BatchColumns | undefined, warning?: string, updateRateHz?: number): void {
    const { run } = this.state;
    this.setPace(updateRateHz);
    run.load(snapshot, columns);
    if (warning) run.message = warning;
    const ui = this.state.ui.runDir === snapshot.runDir ? this.state.ui : defaultUiState(snapshot.runDir);
    const domain = run.domain;
    const viewport = (ui.follow && run.live) || !ui.viewport ? fitAll(domain) : clampViewport(ui.viewport, domain);
    this.update({ ui, viewport, detail: { step: null }, successor: { step: null } });
    if (ui.selected !== null && ui.selected < run.length) this.select(ui.selected, true);
  }

  /** Adds live batches; false when some are missing (the host should send a snapshot again). */
  extendRun(delta: DeltaMessage): boolean {
    const { run } = this.state;
    // A delta that overtook the snapshot (the page was reloading) is already in the snapshot.
    if (!run.manifest) return true;
    const before = run.length;
    const statusBefore = run.status;
    if (!run.applyDelta(delta)) return false;
    const following = this.state.ui.follow && run.length > before;
    // New batches wait for the pace (lstmState.updateRateHz); a control's acknowledgment — paused,
    // stopped, a manual reset — is painted in the next frame (scheduled resets keep the pace).
    const acknowledges = run.status !== statusBefore || delta.resets.some((reset) => reset.cause === 'manual');
    this.update(
      { viewport: following ? fitAll(run.domain) : clampViewport(this.state.viewport, run.domain) },
      !acknowledges,
    );
    return true;
  }

  /** A detail request was answered; ignored unless its batch is still the selected one or its successor. */
  detailArrived(step: number, result: DetailResult): void {
    const state: DetailState = result.ok
      ? { step, status: 'ready', detail: result.detail }
      : { step, status: 'error', message: result.message };
    if (step === this.state.ui.selected) this.update({ detail: state });
    if (step === this.state.successor.step) this.update({ successor: state });
  }

  /** `describeBatch` of the selected batch, computed once per change of the run or the selection (several parts show it). */
  selectionText(): string | null {
    const { run, ui } = this.state;
    if (ui.selected === null) return null;
    let d = this.described;
    if (!d || d.version !== run.version || d.step !== ui.selected)
      d = this.described = { version: run.version, step: ui.selected, text: describeBatch(run, ui.selected) };
    return d.text;
  }
}

/** The view of every batch so far. */
function fitAll(domain: number): Viewport {
  return { start: 0, end: domain };
}
