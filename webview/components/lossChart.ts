/** The loss curve (uPlot), sharing the timeline's x range, with an EMA smoothing control. */
import { html } from 'lit';
import uPlot from 'uplot';
import { extendEma, type EmaState } from '../numbers/ema';
import { lossEnvelope, type Envelope } from '../numbers/lossEnvelope';
import { wheelViewport, type Viewport } from '../numbers/viewport';
import type { PanelState } from '../state/panelState';
import type { PanelStore } from '../state/panelStore';
import type { Subscription } from '../state/store';
import { elementOf } from './elementOf';

const HEIGHT = 150;
/** Left axis width; the timeline uses the same gutter so both x axes line up. */
export const Y_AXIS_SIZE = 56;

/** The loss chart widget: uPlot in a section with the smoothing slider; it publishes its gutters to the store. */
export class LossChart {
  readonly element = elementOf<HTMLElement>(
    html` <section class="loss" data-testid="loss-chart" aria-label="Loss curve">
      <div class="loss-head">
        <span class="legend-line raw"></span><span>loss</span> <span class="legend-line ema"></span
        ><span>moving average</span>
        <label for="ema-smoothing" class="ema-label">Smoothing (EMA)</label>
        <input
          id="ema-smoothing"
          type="range"
          min="0"
          max="0.99"
          step="0.01"
          aria-describedby="ema-value"
          @input=${(e: Event) => this.onSlider(e)}
        />
        <output id="ema-value" for="ema-smoothing"></output>
      </div>
      <div
        class="loss-plot"
        role="img"
        aria-label="Loss per batch and its moving average"
        @wheel=${{ handleEvent: (e: WheelEvent) => this.onWheel(e), passive: false }}
      ></div>
    </section>`,
  );
  private readonly host = this.element.querySelector<HTMLElement>('.loss-plot')!;
  private readonly slider = this.element.querySelector('input')!;
  private readonly output = this.element.querySelector('output')!;
  private plot: uPlot | undefined;
  /** The EMA of the whole run, extended as batches arrive; `envelope` the points of the last frame, reused. */
  private ema = new Float64Array(0);
  private envelope: Envelope | undefined;
  private emaState: EmaState = { last: 0, weight: 0 };
  private emaLength = 0;
  private emaSmoothing = -1;
  private dataVersion = -1;
  private plottedView: Viewport | null = null;
  private plottedTheme: PanelState['theme'] | undefined;
  private readonly painter: Subscription;

  constructor(private readonly store: PanelStore) {
    const smoothing = store.state.ui.smoothing;
    this.slider.value = String(smoothing);
    this.output.textContent = smoothing.toFixed(2);
    this.painter = store.subscribe(
      (s) => [s.run.version, s.viewport, s.ui.smoothing, s.theme],
      (s) => this.paint(s),
    );
    new ResizeObserver(() => this.resize()).observe(this.host);
  }

  private paint(state: PanelState): void {
    if (!this.plot) return;
    if (state.theme !== this.plottedTheme) {
      // uPlot reads the palette through callbacks: redraw its axes and series with the new colours.
      this.plottedTheme = state.theme;
      this.plot.redraw(true, true);
    }
    this.draw(state);
    // Plot-area gutters in CSS pixels, for the timeline to align with.
    const dpr = window.devicePixelRatio || 1;
    const left = this.plot.bbox.left / dpr;
    this.store.setGutters({ left, right: this.plot.width - left - this.plot.bbox.width / dpr });
  }

  /** Brings data and x range up to date. */
  private draw({ run, viewport: view, ui: { smoothing } }: PanelState): void {
    const plot = this.plot!;
    const n = run.length;
    const dataChanged = this.syncEma(run, n, smoothing);
    if (!dataChanged && this.plottedView && this.plottedView.start === view.start && this.plottedView.end === view.end)
      return;
    const env = (this.envelope = lossEnvelope(
      run.loss,
      this.ema,
      n,
      view.start,
      view.end,
      Math.max(1, Math.round(plot.bbox.width)),
      this.envelope,
    ));
    const data: uPlot.AlignedData = [
      env.x.subarray(0, env.length),
      env.loss.subarray(0, env.length),
      env.ema.subarray(0, env.length),
    ];
    // batch() applies both changes now instead of in uPlot's microtask, so this frame paints them;
    // setData re-ranges y to what is in view, then the x range is put back to the timeline's.
    plot.batch(() => {
      plot.setData(data, true);
      plot.setScale('x', { min: view.start, max: view.end });
    });
    this.plottedView = { ...view };
  }

  /** Extends (or recomputes, when the smoothing changed) the EMA of the whole run; true if the data changed. */
  private syncEma(run: PanelState['run'], n: number, smoothing: number): boolean {
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
      extendEma(run.loss, this.emaLength, n, smoothing, this.ema, this.emaState);
      this.emaLength = n;
    }
    const changed = grew || run.version !== this.dataVersion;
    this.dataVersion = run.version;
    return changed;
  }

  private onSlider(e: Event): void {
    const value = Number((e.currentTarget as HTMLInputElement).value);
    this.output.textContent = value.toFixed(2);
    this.store.choose({ smoothing: value });
  }

  private onWheel(e: WheelEvent): void {
    if (!this.plot) return;
    e.preventDefault();
    const rect = this.plot.over.getBoundingClientRect();
    const { viewport, run } = this.store.state;
    this.store.setViewport(
      wheelViewport(viewport, e, (e.clientX - rect.left) / Math.max(1, rect.width), run.domain),
      true,
    );
  }

  private resize(): void {
    const width = Math.max(100, Math.floor(this.host.clientWidth));
    if (this.plot) this.plot.setSize({ width, height: HEIGHT });
    else this.create(width);
    this.painter.invalidate();
  }

  private create(width: number): void {
    const theme = () => this.store.state.theme;
    const axis = (size?: number): uPlot.Axis => ({
      stroke: () => theme().palette.muted,
      grid: { stroke: () => theme().palette.grid, width: 1 },
      ticks: { stroke: () => theme().palette.grid, width: 1 },
      font: `11px ${theme().font}`,
      ...(size ? { size } : {}),
    });
    const view = this.store.state.viewport;
    this.plot = new uPlot(
      {
        width,
        height: HEIGHT,
        padding: [8, 12, 0, 0],
        legend: { show: false },
        cursor: { drag: { x: false, y: false, setScale: false }, points: { show: false } },
        scales: { x: { time: false, auto: false, min: view.start, max: view.end }, y: { auto: true } },
        axes: [axis(), { ...axis(Y_AXIS_SIZE), values: (_u, ticks) => ticks.map((t) => fmtTick(t)) }],
        series: [
          {},
          { label: 'loss', stroke: () => theme().palette.loss, width: 1 },
          { label: 'EMA', stroke: () => theme().palette.ema, width: 2 },
        ],
      },
      [[], [], []],
      this.host,
    );
    this.plot.over.addEventListener('click', () => {
      const left = this.plot?.cursor.left ?? -1;
      if (!this.plot || left < 0) return;
      const step = Math.floor(this.plot.posToVal(left, 'x'));
      if (step >= 0 && step < this.store.state.run.length) this.store.select(step);
    });
    this.dataVersion = -1;
    this.plottedView = null;
    this.plottedTheme = this.store.state.theme;
  }
}

function fmtTick(value: number): string {
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e5) ? value.toExponential(1) : String(Number(value.toPrecision(4)));
}
