/** The timeline element: canvas, tooltip, and its mouse and keyboard handling. */
import type { Columns } from '../model/downsample';
import { MARKER_MASK } from '../model/causeCodes';
import type { RunModel } from '../model/runModel';
import { batchAt, ensureVisible, panBy, zoomAt, type Viewport } from '../model/viewport';
import { h, setChildren } from './dom';
import { describeBatch, describeRange } from './describe';
import { drawTimeline, TIMELINE_HEIGHT, type TimelineLayout } from './timelineDraw';
import type { Palette } from './theme';

/** What the timeline needs from the app. */
export interface TimelineController {
  readonly model: RunModel;
  viewport(): Viewport;
  /** `byUser` turns off following the newest batch unless the view still ends at the last batch. */
  setViewport(viewport: Viewport, byUser: boolean): void;
  selected(): number | null;
  select(step: number): void;
  /** Jump to the newest batch and keep it in view. */
  follow(): void;
  /** Wheel: zoom around `fraction` (0..1 across the plot); with Shift or sideways, pan. */
  wheel(e: WheelEvent, fraction: number): void;
  palette(): Palette;
  font(): string;
}

export class TimelineView {
  readonly element: HTMLDivElement;
  private readonly canvas = h('canvas', { 'aria-hidden': 'true' });
  private readonly tooltip = h('div', { class: 'tooltip', role: 'tooltip', id: 'timeline-tooltip', hidden: true });
  private readonly ctx: CanvasRenderingContext2D;
  private layout: TimelineLayout = { width: 600, height: TIMELINE_HEIGHT, dpr: 1, left: 56, right: 12 };
  private columns: Columns | undefined;
  private hover: number | null = null;
  private drag: { x: number; start: Viewport; moved: boolean } | null = null;

  constructor(private readonly app: TimelineController, private readonly invalidate: () => void) {
    this.element = h(
      'div',
      {
        class: 'timeline', 'data-testid': 'timeline', tabindex: 0, role: 'slider',
        'aria-label': 'Batch timeline: arrow keys step through batches, Home and End jump to the first and last, Page Up and Page Down by epoch, [ and ] to the previous and next reset, + and − zoom',
        'aria-describedby': 'timeline-tooltip',
      },
      this.canvas,
      this.tooltip,
    );
    const ctx = this.canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('no 2D canvas context');
    this.ctx = ctx;
    new ResizeObserver(() => this.resize()).observe(this.element);
    this.element.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.element.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    this.element.addEventListener('pointermove', (e) => this.onPointerMove(e));
    this.element.addEventListener('pointerup', (e) => this.onPointerUp(e));
    this.element.addEventListener('pointerleave', () => this.setHover(null));
    this.element.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** Aligns the plot area with the loss chart's. */
  setGutters(left: number, right: number): void {
    if (left === this.layout.left && right === this.layout.right) return;
    this.layout = { ...this.layout, left, right };
    this.invalidate();
  }

  /** Paints now (call from the frame loop only); `description` is the app's `describeBatch` of the selected batch. */
  draw(description: string | null): void {
    const { model } = this.app;
    this.columns = drawTimeline(this.ctx, this.layout, {
      model, viewport: this.app.viewport(), selected: this.app.selected(), hover: this.hover, palette: this.app.palette(), font: this.app.font(),
    }, this.columns);
    const selected = this.app.selected();
    this.element.setAttribute('aria-valuemin', '0');
    this.element.setAttribute('aria-valuemax', String(Math.max(0, model.length - 1)));
    if (selected !== null) {
      this.element.setAttribute('aria-valuenow', String(selected));
      this.element.setAttribute('aria-valuetext', description ?? describeBatch(model, selected));
    }
  }

  private resize(): void {
    const width = Math.max(100, Math.floor(this.element.clientWidth));
    const dpr = window.devicePixelRatio || 1;
    this.layout = { ...this.layout, width, dpr };
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(TIMELINE_HEIGHT * dpr);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${TIMELINE_HEIGHT}px`;
    this.invalidate();
  }

  /** 0..1 across the plot area for a pointer event. */
  private fraction(e: MouseEvent): number {
    const rect = this.canvas.getBoundingClientRect();
    const plot = rect.width - this.layout.left - this.layout.right;
    return (e.clientX - rect.left - this.layout.left) / Math.max(1, plot);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    this.app.wheel(e, this.fraction(e));
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.element.setPointerCapture(e.pointerId);
    this.drag = { x: e.clientX, start: this.app.viewport(), moved: false };
  }

  private onPointerMove(e: PointerEvent): void {
    if (this.drag) {
      const dx = e.clientX - this.drag.x;
      if (Math.abs(dx) > 3) this.drag.moved = true;
      if (this.drag.moved) {
        const v = this.drag.start;
        const plot = this.layout.width - this.layout.left - this.layout.right;
        this.app.setViewport(panBy(v, (-dx / Math.max(1, plot)) * (v.end - v.start), this.app.model.domain), true);
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
      if (step !== null) this.app.select(step);
    }
  }

  /** The batch under the pointer; when zoomed out, the reset in the column if there is one (so markers are clickable). */
  private stepAt(e: MouseEvent): number | null {
    const f = this.fraction(e);
    if (f < 0 || f > 1 || !this.app.model.length) return null;
    const range = this.rangeAt(f);
    if (!range) return null;
    for (let i = range[0]; i <= range[1]; i++) if (MARKER_MASK & (1 << this.app.model.cause[i])) return i;
    return range[0];
  }

  private rangeAt(f: number): [number, number] | null {
    const { model } = this.app;
    if (this.columns) {
      const col = Math.min(this.columns.width - 1, Math.max(0, Math.floor(f * this.columns.width)));
      const first = this.columns.first[col];
      return first < 0 ? null : [first, first + this.columns.count[col] - 1];
    }
    const step = batchAt(this.app.viewport(), f);
    return step >= 0 && step < model.length ? [step, step] : null;
  }

  private setHover(e: MouseEvent | null): void {
    const range = e ? this.rangeAt(this.fraction(e)) : null;
    const hover = range ? range[0] : null;
    if (hover !== this.hover) {
      this.hover = hover;
      this.invalidate();
    }
    if (!range || !e) {
      this.tooltip.hidden = true;
      return;
    }
    setChildren(this.tooltip, ...describeRange(this.app.model, range[0], range[1]).map((line) => h('div', {}, line)));
    this.tooltip.hidden = false;
    const rect = this.element.getBoundingClientRect();
    const x = e.clientX - rect.left;
    this.tooltip.style.left = `${Math.min(x + 12, rect.width - this.tooltip.offsetWidth - 4)}px`;
    this.tooltip.style.top = `${TIMELINE_HEIGHT + 2}px`;
  }

  private onKey(e: KeyboardEvent): void {
    const { model } = this.app;
    // The pointer's tooltip would describe another batch than the one the keys select.
    this.setHover(null);
    const n = model.length;
    if (!n) return;
    const current = this.app.selected();
    const at = current ?? n - 1;
    let next: number | null = null;
    const v = this.app.viewport();
    switch (e.key) {
      case 'ArrowLeft': next = current === null ? n - 1 : at - (e.shiftKey ? 10 : 1); break;
      case 'ArrowRight': next = current === null ? 0 : at + (e.shiftKey ? 10 : 1); break;
      case 'Home': next = 0; break;
      case 'End': this.app.follow(); next = n - 1; break;
      case 'PageUp': {
        const e0 = model.epochIndexOf(at);
        next = model.epochStarts[model.epochStarts[e0] === at ? Math.max(0, e0 - 1) : e0];
        break;
      }
      case 'PageDown': next = model.epochStarts[model.epochIndexOf(at) + 1] ?? n - 1; break;
      case '[': next = this.findReset(at - 1, -1); break;
      case ']': next = this.findReset(at + 1, 1); break;
      case '+': case '=': this.app.setViewport(zoomAt(v, current === null ? 0.5 : (at + 0.5 - v.start) / (v.end - v.start), 0.5, model.domain), true); break;
      case '-': case '_': this.app.setViewport(zoomAt(v, 0.5, 2, model.domain), true); break;
      default: return;
    }
    e.preventDefault();
    if (next === null) return;
    next = Math.min(Math.max(next, 0), n - 1);
    this.app.select(next);
    this.app.setViewport(ensureVisible(this.app.viewport(), next, model.domain), e.key !== 'End');
  }

  private findReset(from: number, dir: 1 | -1): number | null {
    const { model } = this.app;
    for (let i = from; i >= 0 && i < model.length; i += dir) if (MARKER_MASK & (1 << model.cause[i])) return i;
    return null;
  }
}
