/** The timeline widget: its canvas (drawn by canvas/timelineDraw.ts), the tooltip, and mouse and keyboard handling. */
import { html, render } from 'lit';
import { drawTimeline, timelineBuffers, TIMELINE_HEIGHT, type TimelineLayout } from '../canvas/timelineDraw';
import { CAUSE_CODE, MARKER_MASK, RARE_MASK } from '../numbers/causeCodes';
import { batchAt, ensureVisible, panBy, wheelViewport, type Viewport } from '../numbers/viewport';
import { describeRange } from '../state/describe';
import type { PanelState } from '../state/panelState';
import type { PanelStore } from '../state/panelStore';
import type { Subscription } from '../state/store';
import { elementOf } from './elementOf';
import { timelineKey } from './timelineKeys';

const LABEL =
  'Batch timeline: arrow keys step through batches, Home and End jump to the first and last, Page Up and Page Down by epoch, [ and ] to the previous and next reset (or batch of the cause picked in the legend), + and − zoom';

/** The timeline widget, repainted when the run, view, selection, theme or gutters change (or its size or hover). */
export class TimelineView {
  readonly element = elementOf<HTMLDivElement>(
    html` <div
      class="timeline"
      data-testid="timeline"
      tabindex="0"
      role="slider"
      aria-label=${LABEL}
      aria-describedby="timeline-tooltip"
      @wheel=${{ handleEvent: (e: WheelEvent) => this.onWheel(e), passive: false }}
      @pointerdown=${(e: PointerEvent) => this.onPointerDown(e)}
      @pointermove=${(e: PointerEvent) => this.onPointerMove(e)}
      @pointerup=${(e: PointerEvent) => this.onPointerUp(e)}
      @pointerleave=${() => this.setHover(null)}
      @keydown=${(e: KeyboardEvent) => this.onKey(e)}
    >
      <canvas aria-hidden="true"></canvas>
      <div class="tooltip" role="tooltip" id="timeline-tooltip" hidden></div>
    </div>`,
  );
  private readonly canvas = this.element.querySelector('canvas')!;
  private readonly tooltip = this.element.querySelector<HTMLElement>('.tooltip')!;
  private readonly ctx: CanvasRenderingContext2D;
  /** The downsampled columns and stack geometry of the last frame, reused by the next. */
  private readonly buffers = timelineBuffers();
  private size = { width: 600, dpr: 1 };
  private hover: number | null = null;
  private frames = 0;
  private drag: { x: number; start: Viewport; moved: boolean } | null = null;
  private readonly painter: Subscription;

  constructor(private readonly store: PanelStore) {
    const ctx = this.canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('no 2D canvas context');
    this.ctx = ctx;
    this.painter = store.subscribe(
      (s) => [s.run.version, s.viewport, s.ui.selected, s.ui.highlight, s.theme, s.gutters],
      (s) => this.draw(s),
    );
    new ResizeObserver(() => this.resize()).observe(this.element);
    // A 2D canvas can lose its backing store (a GPU reset, memory pressure) and come back blank: since
    // a frame that changes nothing draws nothing, the next one must draw everything.
    this.canvas.addEventListener('contextrestored', () => {
      this.buffers.drawnKey = '';
      this.painter.invalidate();
    });
  }

  private layout({ gutters }: PanelState): TimelineLayout {
    return { ...this.size, height: TIMELINE_HEIGHT, left: gutters.left, right: gutters.right };
  }

  private draw(state: PanelState): void {
    const {
      run,
      viewport,
      ui: { selected, highlight },
      theme,
    } = state;
    const drawn = drawTimeline(
      this.ctx,
      this.layout(state),
      { model: run, viewport, selected, hover: this.hover, highlight, palette: theme.palette, font: theme.font },
      this.buffers,
    );
    // For tests: frames that drew (a frame with the same pixels as the last draws nothing).
    if (drawn) this.element.dataset.frames = String(++this.frames);
    this.element.dataset.plotLeft = String(state.gutters.left);
    this.element.dataset.plotRight = String(state.gutters.right);
    // For tests: where the epoch labels were drawn (device pixels).
    this.element.dataset.epochLabels = JSON.stringify(
      this.buffers.labels.map((l) => [Math.round(l.x), Math.round(l.width)]),
    );
    this.element.setAttribute('aria-valuemin', '0');
    this.element.setAttribute('aria-valuemax', String(Math.max(0, run.length - 1)));
    if (selected !== null) {
      this.element.setAttribute('aria-valuenow', String(selected));
      this.element.setAttribute('aria-valuetext', this.store.selectionText() ?? '');
    }
  }

  private resize(): void {
    const width = Math.max(100, Math.floor(this.element.clientWidth));
    const dpr = window.devicePixelRatio || 1;
    this.size = { width, dpr };
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(TIMELINE_HEIGHT * dpr);
    // CSSOM, not a style attribute: allowed by the panel's CSP.
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${TIMELINE_HEIGHT}px`;
    // Setting the canvas's size cleared it: the next frame draws everything, whatever it was before.
    this.buffers.drawnKey = '';
    this.painter.invalidate();
  }

  /** 0..1 across the plot area for a pointer event. */
  private fraction(e: MouseEvent): number {
    const rect = this.canvas.getBoundingClientRect();
    const { left, right } = this.store.state.gutters;
    return (e.clientX - rect.left - left) / Math.max(1, rect.width - left - right);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const { viewport, run } = this.store.state;
    this.store.setViewport(wheelViewport(viewport, e, this.fraction(e), run.domain), true);
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.element.setPointerCapture(e.pointerId);
    this.drag = { x: e.clientX, start: this.store.state.viewport, moved: false };
  }

  private onPointerMove(e: PointerEvent): void {
    if (this.drag) {
      const dx = e.clientX - this.drag.x;
      if (Math.abs(dx) > 3) this.drag.moved = true;
      if (this.drag.moved) {
        const v = this.drag.start;
        const { gutters, run } = this.store.state;
        const plot = this.size.width - gutters.left - gutters.right;
        this.store.setViewport(panBy(v, (-dx / Math.max(1, plot)) * (v.end - v.start), run.domain), true);
        return;
      }
    }
    this.setHover(e);
  }

  private onPointerUp(e: PointerEvent): void {
    const drag = this.drag;
    this.drag = null;
    if (drag && !drag.moved) {
      const step = this.stepAt(e);
      if (step !== null) this.store.select(step);
    }
  }

  /** The batch under the pointer; when zoomed out, the reset in the column if there is one (so markers are clickable). */
  private stepAt(e: MouseEvent): number | null {
    const f = this.fraction(e);
    const { run } = this.store.state;
    if (f < 0 || f > 1 || !run.length) return null;
    const range = this.rangeAt(f);
    if (!range) return null;
    const highlight = this.store.state.ui.highlight;
    const mask = highlight ? 1 << CAUSE_CODE[highlight] : MARKER_MASK | RARE_MASK;
    for (let i = range[0]; i <= range[1]; i++) if (mask & (1 << run.cause[i])) return i;
    return range[0];
  }

  /** The batches under x = `f` (0..1 across the plot): a pixel column's when zoomed out, else one batch. */
  private rangeAt(f: number): [number, number] | null {
    const columns = this.buffers.columns;
    if (columns) {
      const col = Math.min(columns.width - 1, Math.max(0, Math.floor(f * columns.width)));
      const first = columns.first[col];
      return first < 0 ? null : [first, first + columns.count[col] - 1];
    }
    const { viewport, run } = this.store.state;
    const step = batchAt(viewport, f);
    return step >= 0 && step < run.length ? [step, step] : null;
  }

  private setHover(e: MouseEvent | null): void {
    const range = e ? this.rangeAt(this.fraction(e)) : null;
    const hover = range ? range[0] : null;
    if (hover !== this.hover) {
      this.hover = hover;
      this.painter.invalidate();
    }
    if (!range || !e) {
      this.tooltip.hidden = true;
      return;
    }
    render(
      describeRange(this.store.state.run, range[0], range[1]).map((line) => html`<div>${line}</div>`),
      this.tooltip,
    );
    this.tooltip.hidden = false;
    const rect = this.element.getBoundingClientRect();
    const x = e.clientX - rect.left;
    // CSSOM, not a style attribute: allowed by the panel's CSP.
    this.tooltip.style.left = `${Math.min(x + 12, rect.width - this.tooltip.offsetWidth - 4)}px`;
    this.tooltip.style.top = `${TIMELINE_HEIGHT + 2}px`;
  }

  private onKey(e: KeyboardEvent): void {
    // The pointer's tooltip would describe another batch than the one the keys select.
    this.setHover(null);
    const { run, ui, viewport } = this.store.state;
    const n = run.length;
    if (!n) return;
    const outcome = timelineKey(e.key, e.shiftKey, run, ui.selected, viewport, ui.highlight);
    if (!outcome) return;
    e.preventDefault();
    if (outcome.viewport) this.store.setViewport(outcome.viewport, true);
    if (outcome.follow) this.store.follow();
    if (outcome.step === undefined) return;
    const next = Math.min(Math.max(outcome.step, 0), n - 1);
    this.store.select(next);
    const shown = ensureVisible(this.store.state.viewport, next, run.domain);
    // Scrolling to the selection is the user's move (it stops following), staying put is not.
    if (shown !== this.store.state.viewport) this.store.setViewport(shown, !outcome.follow);
  }
}
