/** The panel's store and its actions: every change of selection, view, choices, run and tensors goes through here. */
import type { BatchColumns } from '../../src/shared/batchColumns';
import type { BatchDetail, DeltaMessage, PanelAction, RunSnapshot } from '../../src/shared/channels/webviewChannel';
import type { Theme } from './theme';
import { clampViewport, ensureVisible, type Viewport } from '../numbers/viewport';
import { describeBatch } from './describe';
import { initialPanelState, type Gutters, type PanelState } from './panelState';
import { Store } from './store';
import { defaultUiState, type UiState } from './uiState';

/** What the actions ask of the host side (host/hostLink.ts): the store itself never talks to the host. */
export interface PanelEffects {
  /** The user selected `step` (the host hears of it once the selection rests). */
  selected(step: number): void;
  /** The detail of `step` if it is at hand. */
  cachedDetail(step: number): BatchDetail | undefined;
  /** Fetch the detail of `step` once the selection rests on it. */
  fetchDetail(step: number): void;
  /** A toolbar action for the trainer. */
  act(action: PanelAction): void;
}

/** The choices the inspector, the loss chart and the summary table offer. */
export type Choices = Pick<UiState, 'layer' | 'tensor' | 'view' | 'smoothing' | 'summaryPage' | 'hiddenRow'>;

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
    if (step < 0 || step >= this.state.run.length) return;
    const cached = this.effects.cachedDetail(step);
    this.update({
      ui: { ...this.state.ui, selected: step },
      detail: cached ? { step, status: 'ready', detail: cached } : { step, status: 'loading' },
    });
    if (!cached) this.effects.fetchDetail(step);
    if (!fromHost) this.effects.selected(step);
  }

  /** Shows `viewport`; `byUser` stops following the newest batch unless the view still ends at the last one. */
  setViewport(viewport: Viewport, byUser: boolean): void {
    const shown = clampViewport(viewport, this.state.run.domain);
    // Scrolling away from the newest batch stops following it; scrolling back to it resumes.
    const ui = byUser
      ? { ...this.state.ui, viewport: shown, follow: shown.end >= this.state.run.length }
      : this.state.ui;
    this.update({ viewport: shown, ui });
  }

  /** The host revealed a batch (e.g. from the Runs tree): select it and scroll it into view. */
  reveal(step: number): void {
    this.select(step, true);
    this.setViewport(ensureVisible(this.state.viewport, step, this.state.run.domain), false);
  }

  /** Keep the newest batch in view from now on. */
  follow(): void {
    this.update({ ui: { ...this.state.ui, follow: true } });
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

  /** Replaces the run with the host's snapshot; `warning`, if any, is shown instead of the run's message. */
  loadRun(snapshot: RunSnapshot, columns: BatchColumns | undefined, warning?: string): void {
    const { run } = this.state;
    run.load(snapshot, columns);
    if (warning) run.message = warning;
    const ui = this.state.ui.runDir === snapshot.runDir ? this.state.ui : defaultUiState(snapshot.runDir);
    const domain = run.domain;
    let viewport = clampViewport(ui.viewport ?? { start: 0, end: domain }, domain);
    if (ui.follow && run.live) viewport = ensureVisible(viewport, run.length - 1, domain);
    this.update({ ui, viewport, detail: { step: null } });
    if (ui.selected !== null && ui.selected < run.length) this.select(ui.selected, true);
  }

  /** Adds live batches; false when some are missing (the host should send a snapshot again). */
  extendRun(delta: DeltaMessage): boolean {
    const { run } = this.state;
    // A delta that overtook the snapshot (the page was reloading) is already in the snapshot.
    if (!run.manifest) return true;
    const before = run.length;
    if (!run.applyDelta(delta)) return false;
    let viewport = this.state.viewport;
    if (this.state.ui.follow && run.length > before) viewport = ensureVisible(viewport, run.length - 1, run.domain);
    this.update({ viewport: clampViewport(viewport, run.domain) });
    return true;
  }

  /** A detail request was answered; ignored unless its batch is still the selected one. */
  detailArrived(step: number, result: DetailResult): void {
    if (step !== this.state.ui.selected) return;
    this.update({
      detail: result.ok
        ? { step, status: 'ready', detail: result.detail }
        : { step, status: 'error', message: result.message },
    });
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
