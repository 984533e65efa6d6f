/** Wires the model, the views and the host together; owns selection, viewport and UI state. */
import { WEBVIEW_PROTOCOL_VERSION, type BatchDetail, type PanelAction, type ToWebview } from '../src/shared/channels/webviewChannel';
import type { HostApi } from './host/hostApi';
import { RunModel } from './model/runModel';
import { clampViewport, ensureVisible, panBy, zoomAt, type Viewport } from './model/viewport';
import { defaultUiState, type UiState } from './uiState';
import { Banner } from './view/banner';
import { DetailRequests } from './view/detailRequests';
import { describeBatch } from './view/describe';
import { h } from './view/dom';
import { FrameLoop, type Part } from './view/frameLoop';
import { Inspector, type DetailState } from './view/inspector';
import { LossChart } from './view/lossChart';
import { SummaryTable } from './view/summaryTable';
import { readPalette, watchTheme, type Palette } from './view/theme';
import { TimelineView } from './view/timelineView';
import { Toolbar } from './view/toolbar';

const ALL: Part[] = ['timeline', 'loss', 'summaryFull', 'banner', 'toolbar', 'inspector', 'state'];

export class App {
  readonly model = new RunModel();
  private uiState: UiState;
  private view: Viewport = { start: 0, end: 1 };
  private pal: Palette;
  private fontFamily: string;
  private readonly loop = new FrameLoop((parts, started) => this.render(parts, started));
  private readonly details: DetailRequests;
  private detailState: DetailState = { step: null };
  private readonly banner: Banner;
  private readonly toolbar: Toolbar | undefined;
  private readonly timeline: TimelineView;
  private readonly lossChart: LossChart;
  private readonly inspector: Inspector;
  private readonly summary: SummaryTable;
  private readonly readout = h('p', { class: 'readout', 'data-testid': 'selection-readout' });
  private requestTimer: ReturnType<typeof setTimeout> | undefined;
  private selectedTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: HostApi, root: HTMLElement) {
    this.uiState = host.getState() ?? defaultUiState('');
    this.pal = readPalette();
    this.fontFamily = getComputedStyle(document.body).fontFamily || 'sans-serif';
    this.details = new DetailRequests((m) => host.post(m), (step, result) => this.onDetail(step, result));
    this.banner = new Banner(this.model);
    this.toolbar = host.mode === 'panel' ? new Toolbar(this.model, (action) => this.act(action)) : undefined;
    this.lossChart = new LossChart(this, () => this.loop.invalidate('loss', 'timeline'));
    this.timeline = new TimelineView(this, () => this.loop.invalidate('timeline'));
    this.inspector = new Inspector(this);
    this.summary = new SummaryTable(this.model, () => this.uiState.summaryPage, (page) => this.update({ summaryPage: page }));
    document.body.classList.toggle('lstm-report', host.mode === 'report');
    root.replaceChildren(h('main', { class: 'app' },
      this.banner.element,
      this.toolbar?.element,
      h('section', { class: 'timeline-section', 'aria-label': 'Timeline of batches and loss' }, this.timeline.element, this.readout, this.lossChart.element),
      h('div', { class: 'lower' }, this.inspector.element, this.summary.element),
      host.mode === 'report' ? h('footer', { class: 'muted' }, 'Standalone report of a recorded run: everything shown was read from the run folder.') : null,
    ));
    watchTheme(() => this.loop.invalidate('restyle'));
  }

  /** Starts listening and asks the host for a snapshot. */
  start(): void {
    this.host.onMessage((message) => this.receive(message));
    this.host.post({ type: 'ready' });
  }

  // ------------------------------------------------------------ controller API used by the views

  viewport(): Viewport { return this.view; }
  selected(): number | null { return this.uiState.selected; }
  palette(): Palette { return this.pal; }
  font(): string { return this.fontFamily; }
  ui(): UiState { return this.uiState; }
  smoothing(): number { return this.uiState.smoothing; }

  setSmoothing(value: number): void {
    this.update({ smoothing: value });
  }

  setViewport(viewport: Viewport, byUser: boolean): void {
    this.view = clampViewport(viewport, this.model.domain);
    // Scrolling away from the newest batch stops following it; scrolling back to it resumes.
    if (byUser) this.uiState = { ...this.uiState, viewport: this.view, follow: this.view.end >= this.model.length };
    this.loop.invalidate('timeline', 'loss', 'state');
  }

  follow(): void {
    this.uiState = { ...this.uiState, follow: true };
  }

  wheel(e: WheelEvent, fraction: number): void {
    const v = this.view;
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) this.setViewport(panBy(v, ((e.shiftKey ? e.deltaY : e.deltaX) / 500) * (v.end - v.start), this.model.domain), true);
    else this.setViewport(zoomAt(v, Math.min(Math.max(fraction, 0), 1), Math.exp(e.deltaY * 0.0015), this.model.domain), true);
  }

  select(step: number, fromHost = false): void {
    if (step < 0 || step >= this.model.length) return;
    this.uiState = { ...this.uiState, selected: step };
    const cached = this.details.cached(step);
    this.detailState = cached ? { step, status: 'ready', detail: cached } : { step, status: 'loading' };
    if (!cached) {
      // Holding an arrow key must not flood the host: ask once the selection rests.
      clearTimeout(this.requestTimer);
      this.requestTimer = setTimeout(() => this.uiState.selected === step && this.details.request(step), 60);
    }
    if (!fromHost) {
      clearTimeout(this.selectedTimer);
      this.selectedTimer = setTimeout(() => this.host.post({ type: 'selected', step }), 150);
    }
    this.loop.invalidate('timeline', 'inspector', 'state');
  }

  update(patch: Partial<UiState>): void {
    this.uiState = { ...this.uiState, ...patch };
    const parts: Part[] = ['state'];
    if ('smoothing' in patch) parts.push('loss');
    if ('summaryPage' in patch) parts.push('summary');
    if ('layer' in patch || 'tensor' in patch || 'view' in patch || 'hiddenRow' in patch) parts.push('inspector');
    this.loop.invalidate(...parts);
  }

  // ------------------------------------------------------------ messages

  private receive(message: ToWebview): void {
    switch (message.type) {
      case 'snapshot': return this.onSnapshot(message);
      case 'delta': return this.onDelta(message);
      case 'batchDetail': return this.details.reply(message.inReplyTo, { ok: true, detail: message.detail });
      case 'error': return this.details.reply(message.inReplyTo, { ok: false, message: message.message });
      case 'select':
        this.select(message.step, true);
        this.setViewport(ensureVisible(this.view, message.step, this.model.domain), false);
        return;
    }
  }

  private onSnapshot(message: Extract<ToWebview, { type: 'snapshot' }>): void {
    this.model.load(message.snapshot, message.columns);
    if (message.protocolVersion !== WEBVIEW_PROTOCOL_VERSION) {
      this.model.message = `This panel speaks protocol ${WEBVIEW_PROTOCOL_VERSION} but the extension sent ${message.protocolVersion}; reload the window.`;
    }
    this.details.clear();
    if (this.uiState.runDir !== message.snapshot.runDir) this.uiState = defaultUiState(message.snapshot.runDir);
    const domain = this.model.domain;
    this.view = clampViewport(this.uiState.viewport ?? { start: 0, end: domain }, domain);
    if (this.uiState.follow && this.model.live) this.view = ensureVisible(this.view, this.model.length - 1, domain);
    const selected = this.uiState.selected;
    if (selected !== null && selected < this.model.length) this.select(selected, true);
    else this.detailState = { step: null };
    this.loop.invalidate(...ALL);
  }

  private onDelta(message: Extract<ToWebview, { type: 'delta' }>): void {
    // A delta that overtook the snapshot (the page was reloading) is already in the snapshot.
    if (!this.model.manifest) return;
    const before = this.model.length;
    if (!this.model.applyDelta(message)) {
      // A gap in the steps: start over from a fresh snapshot.
      this.host.post({ type: 'ready' });
      return;
    }
    const n = this.model.length;
    if (this.uiState.follow && n > before) this.view = ensureVisible(this.view, n - 1, this.model.domain);
    this.view = clampViewport(this.view, this.model.domain);
    const selected = this.uiState.selected;
    const shown = this.detailState.step === selected && this.detailState.step !== null && 'detail' in this.detailState ? this.detailState.detail : undefined;
    if (selected !== null && shown && shown.next === null && n > selected + 1) {
      // The batch after the selected one has arrived: fetch again for the continuity view.
      this.details.forget(selected);
      this.details.request(selected);
    }
    this.loop.invalidate('timeline', 'loss', 'summary', 'banner', 'toolbar');
  }

  private onDetail(step: number, result: { ok: true; detail: BatchDetail } | { ok: false; message: string }): void {
    if (step !== this.uiState.selected) return;
    this.detailState = result.ok ? { step, status: 'ready', detail: result.detail } : { step, status: 'error', message: result.message };
    this.loop.invalidate('inspector');
  }

  private act(action: PanelAction): void {
    this.host.post({ type: 'action', action });
  }

  // ------------------------------------------------------------ painting (once per frame)

  private render(parts: ReadonlySet<Part>, started: number): void {
    if (parts.has('restyle')) {
      this.pal = readPalette();
      this.fontFamily = getComputedStyle(document.body).fontFamily || 'sans-serif';
      this.lossChart.restyle();
      this.inspector.restyle();
    }
    if (parts.has('banner')) this.banner.update();
    if (parts.has('toolbar')) this.toolbar?.update();
    if (parts.has('summary') || parts.has('summaryFull')) this.summary.update(this.model.takeDirtyEpochs(), parts.has('summaryFull'));
    if (parts.has('loss') || parts.has('restyle')) this.lossChart.draw();
    const gutters = this.lossChart.gutters();
    if (gutters) this.timeline.setGutters(gutters.left, gutters.right);
    if (parts.has('timeline') || parts.has('restyle') || parts.has('loss')) {
      // Described once per frame, for the readout and the timeline's aria-valuetext alike.
      const selected = this.uiState.selected;
      const description = selected === null ? null : describeBatch(this.model, selected);
      this.timeline.draw(description);
      this.readout.textContent = description ?? 'No batch selected.';
    }
    if (parts.has('inspector')) this.inspector.setState(this.detailState);
    if (parts.has('state')) this.host.setState({ ...this.uiState, viewport: this.view });
    // For benchmarks and tests: this frame's drawing is done, and how long it took.
    window.dispatchEvent(new CustomEvent('lstm:painted', { detail: { batches: this.model.length, ms: performance.now() - started } }));
  }
}
