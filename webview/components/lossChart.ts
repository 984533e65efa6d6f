/**
 * The loss chart (uPlot), sharing the timeline's x range: training loss and its debiased EMA, the other
 * phases' losses, per-epoch means, non-finite losses as gaps with markers; a hover readout; x labelled
 * by step, epoch or training time (the batches' times summed); a linear or log y axis.
 */
import { html, render } from 'lit';
import uPlot from 'uplot';
import { epochTicks, formatSeconds, stepTicks, timeTicks, type Tick } from '../numbers/axisTicks';
import { fmt, fmtSmoothed } from '../numbers/format';
import { lossEnvelope, type Envelope } from '../numbers/lossEnvelope';
import { LossSeries } from '../numbers/lossSeries';
import { wheelViewport, type Viewport } from '../numbers/viewport';
import { phaseName, placeOf } from '../state/describe';
import type { PanelState } from '../state/panelState';
import type { PanelStore } from '../state/panelStore';
import type { Subscription } from '../state/store';
import type { XAxisMode } from '../state/uiState';
import { elementOf } from './elementOf';
import { drawEpochMeans, drawNonFinite } from './lossOverlays';

const HEIGHT = 170;
/** Left axis width with its title; the timeline uses the chart's left gutter so both x axes line up. */
const Y_AXIS_SIZE = 44;
const AXIS_TITLE = 14;

const X_TITLES: Record<XAxisMode, string> = {
  step: 'step (batch index from 0)',
  epoch: 'epoch (from 1)',
  // The batches' own times summed: time spent between batches (evaluation, checkpoints) is not in it.
  time: 'training time (sum of batch times)',
};

/** The loss chart widget: its controls, uPlot and the readout; it publishes its gutters to the store. */
export class LossChart {
  readonly element = elementOf<HTMLElement>(
    html` <section class="loss" data-testid="loss-chart" aria-label="Loss curve">
      <div class="loss-head"></div>
      <div
        class="loss-plot"
        role="img"
        aria-label="Loss per batch, its moving average, and the other phases' losses"
        @wheel=${{ handleEvent: (e: WheelEvent) => this.onWheel(e), passive: false }}
      ></div>
      <p class="loss-readout" data-testid="loss-readout">Hover the chart to read a batch's loss.</p>
    </section>`,
  );
  private readonly head = this.element.querySelector<HTMLElement>('.loss-head')!;
  private readonly host = this.element.querySelector<HTMLElement>('.loss-plot')!;
  private readonly readout = this.element.querySelector<HTMLElement>('.loss-readout')!;
  private plot: uPlot | undefined;
  private plotLog = false;
  private readonly series = new LossSeries();
  /** The points uPlot holds (updated in place: `changed` says whether a frame's points differ). */
  private envelope: Envelope | undefined;
  /** What the envelope was aggregated from: the run's load, the smoothing, the batches. */
  private aggregated: { loads: number; smoothing: number; n: number } | undefined;
  private plottedKey = '';
  /** The plot's width in device pixels when the points were aggregated: a column per pixel. */
  private envelopeColumns = 0;
  private frames = 0;
  private dataVersion = -1;
  private plottedView: Viewport | null = null;
  private plottedTheme: PanelState['theme'] | undefined;
  private plottedAxis: string = '';
  private ticks: Tick[] = [];
  private width = 600;
  private readonly painter: Subscription;

  constructor(private readonly store: PanelStore) {
    this.painter = store.subscribe(
      (s) => [s.run.version, s.viewport, s.ui.smoothing, s.ui.xAxis, s.ui.logY, s.ui.epochMeans, s.theme],
      (s) => this.paint(s),
    );
    store.subscribe(
      (s) => [s.ui.smoothing, s.ui.xAxis, s.ui.logY, s.ui.epochMeans, s.run.phased],
      (s) => this.renderHead(s),
    );
    new ResizeObserver(() => this.resize()).observe(this.host);
  }

  private renderHead({ ui, run }: PanelState): void {
    const choose = this.store.choose.bind(this.store);
    render(
      html`<span class="legend-line raw"></span><span>training loss</span> <span class="legend-line ema"></span
        ><span>moving average (debiased)</span>
        ${run.phased ? html`<span class="legend-dot validation"></span><span>validation / other phases</span>` : ''}
        <label for="ema-smoothing" class="ema-label">Smoothing (EMA)</label>
        <input
          id="ema-smoothing"
          type="range"
          min="0"
          max="0.99"
          step="0.01"
          .value=${String(ui.smoothing)}
          aria-describedby="ema-value"
          @input=${(e: Event) => choose({ smoothing: Number((e.currentTarget as HTMLInputElement).value) })}
        />
        <output id="ema-value" for="ema-smoothing">${ui.smoothing.toFixed(2)}</output>
        <label for="loss-x">x axis</label>
        <select
          id="loss-x"
          data-testid="loss-x"
          @change=${(e: Event) => choose({ xAxis: (e.currentTarget as HTMLSelectElement).value as XAxisMode })}
        >
          ${(['step', 'epoch', 'time'] as const).map(
            (m) => html`<option value=${m} ?selected=${ui.xAxis === m}>${m === 'time' ? 'training time' : m}</option>`,
          )}
        </select>
        <label
          ><input
            type="checkbox"
            data-testid="loss-log"
            .checked=${ui.logY}
            @change=${(e: Event) => choose({ logY: (e.currentTarget as HTMLInputElement).checked })}
          />
          log scale</label
        >
        <label
          ><input
            type="checkbox"
            data-testid="loss-epoch-means"
            .checked=${ui.epochMeans}
            @change=${(e: Event) => choose({ epochMeans: (e.currentTarget as HTMLInputElement).checked })}
          />
          per-epoch means</label
        >`,
      this.head,
    );
  }

  private paint(state: PanelState): void {
    if (state.ui.logY !== this.plotLog || !this.plot) this.create(this.width, state.ui.logY);
    const plot = this.plot!;
    const axisKey = `${state.ui.xAxis}`;
    if (state.theme !== this.plottedTheme || axisKey !== this.plottedAxis) {
      // uPlot reads the palette and titles through callbacks: redraw its axes and series.
      this.plottedTheme = state.theme;
      this.plottedAxis = axisKey;
      plot.axes[0].label = X_TITLES[state.ui.xAxis];
      this.plottedView = null;
      plot.redraw(true, true);
    }
    this.draw(state);
    // Plot-area gutters in CSS pixels, for the timeline to align with.
    const dpr = window.devicePixelRatio || 1;
    const left = plot.bbox.left / dpr;
    this.store.setGutters({ left, right: plot.width - left - plot.bbox.width / dpr });
  }

  /** Brings data and x range up to date. */
  private draw(state: PanelState): void {
    const { run, viewport: view, ui } = state;
    const plot = this.plot!;
    const n = run.length;
    const grew = this.series.sync(run, n, ui.smoothing, run.loads);
    const dataChanged = grew || run.version !== this.dataVersion;
    this.dataVersion = run.version;
    const columns = Math.max(1, Math.round(plot.bbox.width));
    if (
      !dataChanged &&
      columns === this.envelopeColumns &&
      this.plottedView &&
      this.plottedView.start === view.start &&
      this.plottedView.end === view.end
    ) {
      plot.redraw(false, false);
      this.countFrame();
      return;
    }
    const { train, ema, other } = this.series.inputs(run.loss);
    // Batches before `unchangedBefore` are those of the last frame (a live run appends): their columns stay.
    const same = this.aggregated;
    const unchangedBefore = same && same.loads === run.loads && same.smoothing === ui.smoothing ? same.n : 0;
    const env = (this.envelope = lossEnvelope(
      [train, ema, other],
      n,
      view.start,
      view.end,
      columns,
      this.envelope,
      ui.logY,
      Math.min(unchangedBefore, n),
    ));
    this.aggregated = { loads: run.loads, smoothing: ui.smoothing, n };
    this.envelopeColumns = columns;
    // What the overlays and the x ticks draw besides the envelope.
    const key = `${ui.epochMeans} ${run.epochLosses.length} ${run.epochStarts.length} ${run.nonFinite} ${ui.xAxis === 'time' ? n : ''}`;
    if (
      !env.changed &&
      this.plottedView?.start === view.start &&
      this.plottedView.end === view.end &&
      key === this.plottedKey
    ) {
      // New batches that change no point in view (a live run's x scale holds still between steps, see
      // liveSpan): the chart on screen is already right, and redrawing it is most of a frame's cost.
      return;
    }
    // Epoch and time ticks come from the run (its epochs, its batches' times: in the key), but uPlot
    // works ticks out again only when a scale moves, and a live run's x scale holds still (liveSpan).
    const recalcAxes = ui.xAxis !== 'step' && key !== this.plottedKey;
    this.plottedKey = key;
    // batch() applies both changes now instead of in uPlot's microtask, so this frame paints them;
    // setData re-ranges y to what is in view, then the x range is put back to the timeline's.
    plot.batch(() => {
      plot.setData([env.x, ...env.ys] as uPlot.AlignedData, true);
      plot.setScale('x', { min: view.start, max: view.end });
      if (recalcAxes) plot.redraw(false, true);
    });
    this.plottedView = { ...view };
    this.countFrame();
    // For tests: the batches drawn as gaps (a non-finite loss) when each batch is its own point.
    const gaps: number[] = [];
    if (env.length && env.x.length > 1 && env.x[1] - env.x[0] === 1)
      env.ys[0].forEach((y, i) => y === null && gaps.push(env.x[i] - 0.5));
    this.element.dataset.gaps = gaps.join(',');
  }

  /** For tests: frames that drew the chart (one whose points did not change draws nothing). */
  private countFrame(): void {
    this.element.dataset.frames = String(++this.frames);
  }

  /** The x ticks of the current mode, computed in uPlot's splits callback and labelled from the same list. */
  private xTicks(min: number, max: number): number[] {
    const { run, ui } = this.store.state;
    const plotPx = this.plot ? this.plot.bbox.width / (window.devicePixelRatio || 1) : this.width;
    const maxTicks = Math.max(2, Math.floor(plotPx / 70));
    this.ticks =
      ui.xAxis === 'epoch'
        ? epochTicks(run.epochStarts, run.epochNumbers, min, max, plotPx, 40)
        : ui.xAxis === 'time'
          ? timeTicks(run.elapsed, run.length, min, max, maxTicks)
          : stepTicks(min, max, maxTicks);
    // For tests and screen readers' inspection: the labels on the x axis now.
    this.element.dataset.xTicks = this.ticks.map((t) => t.label).join(',');
    return this.ticks.map((t) => t.x);
  }

  private onCursor(u: uPlot): void {
    const left = u.cursor.left ?? -1;
    const { run, ui } = this.store.state;
    if (left < 0 || !run.length) return;
    const step = Math.floor(u.posToVal(left, 'x'));
    if (step < 0 || step >= run.length) return;
    const phase = run.phaseOf(step);
    const loss = run.lossKnown[step] ? fmt(run.loss[step]) : '— (not known)';
    const parts = [`step ${step}`, placeOf(run, step), phaseName(phase), `loss ${loss}`];
    if (phase === 'train') parts.push(`smoothed ${fmtSmoothed(this.series.ema[step])}`);
    if (ui.xAxis === 'time') parts.push(`at ${formatSeconds(run.elapsed[step])}`);
    this.readout.textContent = parts.join(' · ');
    this.readout.dataset.step = String(step);
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
    this.width = Math.max(100, Math.floor(this.host.clientWidth));
    if (this.plot) this.plot.setSize({ width: this.width, height: HEIGHT });
    else this.create(this.width, this.store.state.ui.logY);
    this.painter.invalidate();
  }

  private create(width: number, log: boolean): void {
    this.plot?.destroy();
    const theme = () => this.store.state.theme;
    const axis = (): uPlot.Axis => ({
      stroke: () => theme().palette.muted,
      grid: { stroke: () => theme().palette.grid, width: 1 },
      ticks: { stroke: () => theme().palette.grid, width: 1 },
      font: `11px ${theme().font}`,
      labelFont: `11px ${theme().font}`,
      labelSize: AXIS_TITLE,
    });
    const view = this.store.state.viewport;
    this.plot = new uPlot(
      {
        width,
        height: HEIGHT,
        padding: [8, 12, 0, 0],
        legend: { show: false },
        cursor: { drag: { x: false, y: false, setScale: false }, points: { show: false } },
        scales: {
          x: { time: false, auto: false, min: view.start, max: view.end },
          y: log ? { distr: 3, auto: true } : { auto: true },
        },
        axes: [
          {
            ...axis(),
            label: X_TITLES[this.store.state.ui.xAxis],
            splits: (_u, _i, min, max) => this.xTicks(min, max),
            values: (_u, splits) => splits.map((x) => this.ticks.find((t) => t.x === x)?.label ?? ''),
          },
          {
            ...axis(),
            size: Y_AXIS_SIZE,
            label: log ? 'loss (log)' : 'loss',
            // A log axis with little room hands uPlot's filtered-out ticks over as null: they get no label.
            values: (_u, ticks) => (ticks as Array<number | null>).map((t) => (t === null ? null : fmtTick(t))),
          },
        ],
        series: [
          {},
          { label: 'training loss', stroke: () => theme().palette.loss, width: 1 },
          { label: 'moving average', stroke: () => theme().palette.ema, width: 2 },
          {
            label: 'other phases',
            stroke: () => theme().palette.validation,
            fill: undefined,
            width: 1,
            paths: () => null,
            points: {
              show: true,
              size: 5,
              fill: () => theme().palette.validation,
              stroke: () => theme().palette.validation,
            },
          },
        ],
        hooks: {
          draw: [
            (u) => {
              const { run, ui, viewport, theme: t } = this.store.state;
              if (ui.epochMeans) drawEpochMeans(u, run, t.palette, viewport);
              drawNonFinite(u, run, viewport, t.palette);
            },
          ],
          setCursor: [(u) => this.onCursor(u)],
          // uPlot settles its axes' sizes after the first data: a plot narrower than the points were
          // aggregated for needs them again (a pixel column each), or it would show them binned too finely.
          setSize: [(u) => Math.max(1, Math.round(u.bbox.width)) !== this.envelopeColumns && this.painter.invalidate()],
        },
      },
      [[], [], [], []],
      this.host,
    );
    this.plotLog = log;
    this.plot.over.dataset.testid = 'loss-over';
    this.plot.over.addEventListener('click', () => {
      const left = this.plot?.cursor.left ?? -1;
      if (!this.plot || left < 0) return;
      const step = Math.floor(this.plot.posToVal(left, 'x'));
      if (step >= 0 && step < this.store.state.run.length) this.store.select(step);
    });
    // Restored blank after a lost context (see TimelineView): drawn again, not skipped as unchanged.
    this.plot.ctx.canvas.addEventListener('contextrestored', () => {
      this.plottedView = null;
      this.painter.invalidate();
    });
    this.dataVersion = -1;
    this.plottedView = null;
    this.plottedTheme = this.store.state.theme;
    this.plottedAxis = this.store.state.ui.xAxis;
  }
}

function fmtTick(value: number): string {
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e5) ? value.toExponential(1) : String(Number(value.toPrecision(4)));
}
