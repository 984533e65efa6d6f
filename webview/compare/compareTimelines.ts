/** The comparison's timelines: one per run, stacked, each drawn over the part of its run that the shared view covers. */
import { html, render } from 'lit';
import { drawTimeline, timelineBuffers, TIMELINE_HEIGHT, type TimelineBuffers } from '../canvas/timelineDraw';
import { elementOf } from '../components/elementOf';
import { panBy, wheelViewport } from '../numbers/viewport';
import { runViewport, sharedDomain } from './alignment';
import { compareKey } from './compareKeys';
import { runLabel, type ComparePageApi, type CompareState } from './compareState';

interface Row {
  canvas: HTMLCanvasElement;
  buffers: TimelineBuffers;
}

export class CompareTimelines {
  readonly element = elementOf<HTMLElement>(
    html`<div class="compare-timelines" data-testid="compare-timelines"></div>`,
  );
  private rows: Row[] = [];
  private width = 600;
  private drag: { x: number; start: CompareState['viewport'] } | null = null;

  constructor(private readonly page: ComparePageApi) {
    new ResizeObserver(() => {
      this.width = Math.max(100, Math.floor(this.element.clientWidth));
      this.page.update({});
    }).observe(this.element);
  }

  paint(state: CompareState): void {
    const { runs } = state;
    if (this.rows.length !== runs.length) this.build(state);
    const dpr = window.devicePixelRatio || 1;
    runs.forEach((run, i) => {
      const { canvas, buffers } = this.rows[i];
      const [width, height] = [Math.round(this.width * dpr), Math.round(TIMELINE_HEIGHT * dpr)];
      // Setting a canvas's size, even to its current value, clears it: only on a change, and then
      // drawTimeline must not skip the frame as already drawn.
      if (canvas.width !== width || canvas.height !== height) {
        [canvas.width, canvas.height] = [width, height];
        buffers.drawnKey = '';
      }
      canvas.style.width = `${this.width}px`;
      canvas.style.height = `${TIMELINE_HEIGHT}px`;
      const ctx = canvas.getContext('2d', { alpha: false });
      if (!ctx) return;
      drawTimeline(
        ctx,
        { width: this.width, height: TIMELINE_HEIGHT, dpr, left: state.gutters.left, right: state.gutters.right },
        {
          model: run,
          viewport: runViewport(run, state.viewport, state.align),
          selected: null,
          hover: null,
          highlight: null,
          palette: state.theme.palette,
          font: state.theme.font,
        },
        buffers,
      );
    });
  }

  private build(state: CompareState): void {
    render(
      html`${state.runs.map(
        (run, i) =>
          html`<figure class="compare-timeline" data-testid="compare-timeline" data-run=${i}>
            <figcaption>
              <span class="run-color run-color-${i % 6}" aria-hidden="true"></span>${runLabel(run)}
            </figcaption>
            <canvas
              role="img"
              tabindex="0"
              aria-label=${`Timeline of ${runLabel(run)}: ${run.answer}. Keys: + and − zoom, ← and → pan (Shift: by half a view), Home and End.`}
              @keydown=${(e: KeyboardEvent) => this.onKey(e)}
              @wheel=${{ handleEvent: (e: WheelEvent) => this.onWheel(e), passive: false }}
              @pointerdown=${(e: PointerEvent) => this.onDown(e)}
              @pointermove=${(e: PointerEvent) => this.onMove(e)}
              @pointerup=${() => (this.drag = null)}
            ></canvas>
          </figure>`,
      )}`,
      this.element,
    );
    this.rows = [...this.element.querySelectorAll('canvas')].map((canvas) => {
      const buffers = timelineBuffers();
      // Restored blank after a lost context (see TimelineView): drawn again, not skipped as unchanged.
      canvas.addEventListener('contextrestored', () => {
        buffers.drawnKey = '';
        this.page.update({});
      });
      return { canvas, buffers };
    });
  }

  private fraction(e: MouseEvent): number {
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const { left, right } = this.page.state.gutters;
    return (e.clientX - rect.left - left) / Math.max(1, rect.width - left - right);
  }

  private onKey(e: KeyboardEvent): void {
    const { viewport, runs, align } = this.page.state;
    const next = compareKey(e.key, e.shiftKey, viewport, sharedDomain(runs, align));
    if (!next) return;
    e.preventDefault();
    this.page.setViewport(next);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const { viewport, runs, align } = this.page.state;
    this.page.setViewport(wheelViewport(viewport, e, this.fraction(e), sharedDomain(runs, align)));
  }

  private onDown(e: PointerEvent): void {
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    this.drag = { x: e.clientX, start: this.page.state.viewport };
  }

  private onMove(e: PointerEvent): void {
    if (!this.drag) return;
    const { gutters, runs, align } = this.page.state;
    const v = this.drag.start;
    const plot = this.width - gutters.left - gutters.right;
    const delta = (-(e.clientX - this.drag.x) / Math.max(1, plot)) * (v.end - v.start);
    this.page.setViewport(panBy(v, delta, sharedDomain(runs, align)));
  }
}
