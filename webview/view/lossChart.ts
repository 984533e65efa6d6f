/** The loss curve (uPlot), sharing the timeline's x range, with an EMA smoothing control. */
import uPlot from 'uplot';
import { extendEma, type EmaState } from '../model/ema';
import { lossEnvelope, type Envelope } from '../model/lossEnvelope';
import type { RunModel } from '../model/runModel';
import type { Viewport } from '../model/viewport';
import { h } from './dom';
import type { Palette } from './theme';

/** What the chart needs from the app. */
export interface LossController {
  readonly model: RunModel;
  viewport(): Viewport;
  palette(): Palette;
  font(): string;
  smoothing(): number;
  setSmoothing(value: number): void;
  select(step: number): void;
  /** Wheel over the chart zooms/pans like the timeline; `fraction` is 0..1 across the plot. */
  wheel(e: WheelEvent, fraction: number): void;
}

const HEIGHT = 150;
/** Left axis width; the timeline uses the same gutter so both x axes line up. */
export const Y_AXIS_SIZE = 56;

export class LossChart {
  readonly element: HTMLElement;
  private readonly host = h('div', { class: 'loss-plot', role: 'img', 'aria-label': 'Loss per batch and its moving average' });
  private readonly slider = h('input', { id: 'ema-smoothing', type: 'range', min: 0, max: 0.99, step: 0.01, 'aria-describedby': 'ema-value' });
  private readonly output = h('output', { id: 'ema-value', for: 'ema-smoothing' });
  private plot: uPlot | undefined;
  private ema = new Float64Array(0);
  private envelope: Envelope | undefined;
  private emaState: EmaState = { last: 0, weight: 0 };
  private emaLength = 0;
  private emaSmoothing = -1;
  private dataVersion = -1;
  private plottedView: Viewport | null = null;

  constructor(private readonly app: LossController, private readonly invalidate: () => void) {
    this.slider.value = String(app.smoothing());
    this.output.textContent = app.smoothing().toFixed(2);
    this.slider.addEventListener('input', () => {
      const value = Number(this.slider.value);
      this.output.textContent = value.toFixed(2);
      app.setSmoothing(value);
    });
    this.element = h(
      'section',
      { class: 'loss', 'data-testid': 'loss-chart', 'aria-label': 'Loss curve' },
      h('div', { class: 'loss-head' },
        h('span', { class: 'legend-line raw' }), h('span', {}, 'loss'),
        h('span', { class: 'legend-line ema' }), h('span', {}, 'moving average'),
        h('label', { for: 'ema-smoothing', class: 'ema-label' }, 'Smoothing (EMA)'), this.slider, this.output),
      this.host,
    );
    new ResizeObserver(() => this.resize()).observe(this.host);
    this.host.addEventListener('wheel', (e) => {
      if (!this.plot) return;
      e.preventDefault();
      const rect = this.plot.over.getBoundingClientRect();
      app.wheel(e, (e.clientX - rect.left) / Math.max(1, rect.width));
    }, { passive: false });
  }

  /** Plot-area gutters in CSS pixels, for aligning the timeline. */
  gutters(): { left: number; right: number } | undefined {
    if (!this.plot) return undefined;
    const dpr = window.devicePixelRatio || 1;
    const left = this.plot.bbox.left / dpr;
    return { left, right: this.plot.width - left - this.plot.bbox.width / dpr };
  }

  /** Redraws everything (after a theme change). */
  restyle(): void {
    this.plot?.redraw(true, true);
  }

  /** Brings data and x range up to date (call from the frame loop only). */
  draw(): void {
    if (!this.plot) return;
    const n = this.app.model.length;
    const plot = this.plot;
    const view = this.app.viewport();
    const dataChanged = this.syncEma(n);
    if (!dataChanged && this.plottedView && this.plottedView.start === view.start && this.plottedView.end === view.end) return;
    const env = (this.envelope = lossEnvelope(this.app.model.loss, this.ema, n, view.start, view.end, Math.max(1, Math.round(plot.bbox.width)), this.envelope));
    const data: uPlot.AlignedData = [env.x.subarray(0, env.length), env.loss.subarray(0, env.length), env.ema.subarray(0, env.length)];
    // batch() applies both changes now instead of in uPlot's microtask, so this frame paints them;
    // setData re-ranges y to what is in view, then the x range is put back to the timeline's.
    plot.batch(() => {
      plot.setData(data, true);
      plot.setScale('x', { min: view.start, max: view.end });
    });
    this.plottedView = { ...view };
  }

  /** Extends (or recomputes, when the smoothing changed) the EMA of the whole run; true if the data changed. */
  private syncEma(n: number): boolean {
    const { model } = this.app;
    const smoothing = this.app.smoothing();
    if (this.ema.length < n) {
      const ema = new Float64Array(Math.max(n, this.ema.length * 2, 1024));
      ema.set(this.ema);
      this.ema = ema;
    }
    if (smoothing !== this.emaSmoothing || n < this.emaLength) {
      this.emaState = { last: 0, weight: 0 };
      this.emaLength = 0;
      this.emaSmoothing = smoothing;
    }
    const grew = this.emaLength < n;
    if (grew) {
      extendEma(model.loss, this.emaLength, n, smoothing, this.ema, this.emaState);
      this.emaLength = n;
    }
    const changed = grew || model.version !== this.dataVersion;
    this.dataVersion = model.version;
    return changed;
  }

  private resize(): void {
    const width = Math.max(100, Math.floor(this.host.clientWidth));
    if (this.plot) this.plot.setSize({ width, height: HEIGHT });
    else this.create(width);
    this.invalidate();
  }

  private create(width: number): void {
    const palette = () => this.app.palette();
    const font = () => `11px ${this.app.font()}`;
    const axis = (size?: number): uPlot.Axis => ({
      stroke: () => palette().muted,
      grid: { stroke: () => palette().grid, width: 1 },
      ticks: { stroke: () => palette().grid, width: 1 },
      font: font(),
      ...(size ? { size } : {}),
    });
    const view = this.app.viewport();
    this.plot = new uPlot({
      width, height: HEIGHT,
      padding: [8, 12, 0, 0],
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { show: false } },
      scales: { x: { time: false, auto: false, min: view.start, max: view.end }, y: { auto: true } },
      axes: [axis(), { ...axis(Y_AXIS_SIZE), values: (_u, ticks) => ticks.map((t) => fmtTick(t)) }],
      series: [
        {},
        { label: 'loss', stroke: () => palette().loss, width: 1 },
        { label: 'EMA', stroke: () => palette().ema, width: 2 },
      ],
    }, [[], [], []], this.host);
    this.plot.over.addEventListener('click', () => {
      const left = this.plot?.cursor.left ?? -1;
      if (!this.plot || left < 0) return;
      const step = Math.floor(this.plot.posToVal(left, 'x'));
      if (step >= 0 && step < this.app.model.length) this.app.select(step);
    });
    this.dataVersion = -1;
    this.plottedView = null;
  }
}

function fmtTick(value: number): string {
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e5) ? value.toExponential(1) : String(Number(value.toPrecision(4)));
}
