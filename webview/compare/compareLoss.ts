/** The comparison's loss chart: each run's training loss (thin) and its debiased EMA (bold) in the run's colour, on the shared x axis. */
import { html } from 'lit';
import uPlot from 'uplot';
import { elementOf } from '../components/elementOf';
import { epochTicks, stepTicks, type Tick } from '../numbers/axisTicks';
import { fmt, fmtSmoothed } from '../numbers/format';
import { lossEnvelope, type Envelope } from '../numbers/lossEnvelope';
import { LossSeries } from '../numbers/lossSeries';
import { wheelViewport } from '../numbers/viewport';
import { runViewport, sharedDomain, xOfStep } from './alignment';
import { runLabel, type ComparePageApi, type CompareState } from './compareState';

const HEIGHT = 220;

/** One uPlot with two series per run. */
export class CompareLoss {
  readonly element = elementOf<HTMLElement>(
    html`<section class="loss" data-testid="compare-loss" aria-label="Loss curves of the runs, overlaid">
      <div class="loss-head compare-legend"></div>
      <div
        class="loss-plot"
        role="img"
        aria-label="Training loss of each run and its moving average"
        @wheel=${{ handleEvent: (e: WheelEvent) => this.onWheel(e), passive: false }}
      ></div>
      <p class="loss-readout" data-testid="compare-readout">Hover the chart to read each run's loss.</p>
    </section>`,
  );
  private readonly host = this.element.querySelector<HTMLElement>('.loss-plot')!;
  private readonly legend = this.element.querySelector<HTMLElement>('.compare-legend')!;
  private readonly readout = this.element.querySelector<HTMLElement>('.loss-readout')!;
  private ticks: Tick[] = [];
  private plot: uPlot | undefined;
  private plotted = '';
  private series: LossSeries[] = [];
  private envelopes: Array<Envelope | undefined> = [];
  private state: CompareState | undefined;
  private width = 600;

  constructor(private readonly page: ComparePageApi) {
    new ResizeObserver(() => {
      this.width = Math.max(100, Math.floor(this.host.clientWidth));
      this.plot?.setSize({ width: this.width, height: HEIGHT });
      if (this.state) this.paint(this.state);
    }).observe(this.host);
  }

  paint(state: CompareState): void {
    this.state = state;
    const { runs, align, smoothing, viewport, colors } = state;
    const key = `${runs.length}:${align}:${colors.join()}:${state.theme.font}`;
    if (!this.plot || key !== this.plotted) this.create(state, key);
    const plot = this.plot!;
    renderLegend(this.legend, state);
    while (this.series.length < runs.length) this.series.push(new LossSeries());
    const tables: uPlot.AlignedData[] = runs.map((run, i) => {
      this.series[i].sync(run, run.length, smoothing, run.loads);
      const { train, ema } = this.series[i].inputs(run.loss);
      const own = runViewport(run, viewport, align);
      const env = (this.envelopes[i] = lossEnvelope(
        [train, ema],
        run.length,
        own.start,
        own.end,
        Math.max(1, Math.round(plot.bbox.width)),
        this.envelopes[i],
      ));
      // Batch i is plotted at its middle: x of step i + 0.5 on the shared axis.
      const xs = env.x.map((x) => xOfStep(run, x, align));
      return [xs, env.ys[0], env.ys[1]] as uPlot.AlignedData;
    });
    const joined = tables.length ? uPlot.join(tables) : ([[]] as unknown as uPlot.AlignedData);
    plot.batch(() => {
      plot.setData(joined, true);
      plot.setScale('x', { min: viewport.start, max: viewport.end });
    });
    const dpr = window.devicePixelRatio || 1;
    const left = plot.bbox.left / dpr;
    this.page.setGutters({ left, right: plot.width - left - plot.bbox.width / dpr });
  }

  private create(state: CompareState, key: string): void {
    this.plot?.destroy();
    const theme = () => this.page.state.theme;
    const axis = (label: string): uPlot.Axis => ({
      stroke: () => theme().palette.muted,
      grid: { stroke: () => theme().palette.grid, width: 1 },
      ticks: { stroke: () => theme().palette.grid, width: 1 },
      font: `11px ${theme().font}`,
      labelFont: `11px ${theme().font}`,
      label,
      labelSize: 14,
    });
    const series: uPlot.Series[] = [{}];
    state.runs.forEach((run, i) => {
      const color = state.colors[i % state.colors.length];
      series.push({ label: `${runLabel(run)} loss`, stroke: faint(color), width: 1 });
      series.push({ label: `${runLabel(run)} moving average`, stroke: color, width: 2 });
    });
    this.plot = new uPlot(
      {
        width: this.width,
        height: HEIGHT,
        padding: [8, 12, 0, 0],
        legend: { show: false },
        cursor: { drag: { x: false, y: false, setScale: false }, points: { show: false } },
        scales: {
          x: { time: false, auto: false, min: state.viewport.start, max: state.viewport.end },
          y: { auto: true },
        },
        axes: [
          {
            ...axis(state.align === 'step' ? 'step (batch index from 0)' : 'epoch (from 1)'),
            splits: (_u, _i, min, max) => this.xTicks(min, max),
            values: (_u, splits) => splits.map((x) => this.ticks.find((t) => t.x === x)?.label ?? ''),
          },
          { ...axis('loss'), size: 44 },
        ],
        series,
        hooks: { setCursor: [(u) => this.onCursor(u)] },
      },
      [[], ...series.slice(1).map(() => [])] as unknown as uPlot.AlignedData,
      this.host,
    );
    this.plotted = key;
    this.envelopes = [];
  }

  /**
   * Whole steps at their batch's centre, or each epoch's start labelled with its number from 1 (epoch
   * e spans [e − 1, e) in every run): the same ticks as the panel's chart, computed in uPlot's splits
   * callback and labelled from the same list.
   */
  private xTicks(min: number, max: number): number[] {
    const state = this.state;
    const plotPx = this.plot ? this.plot.bbox.width / (window.devicePixelRatio || 1) : this.width;
    if (state?.align === 'epoch') {
      const epochs = [...new Set(state.runs.flatMap((run) => run.epochNumbers))].sort((a, b) => a - b);
      this.ticks = epochTicks(epochs, epochs, min, max, plotPx, 40);
    } else this.ticks = stepTicks(min, max, Math.max(2, Math.floor(plotPx / 70)));
    // For tests: the labels on the x axis now.
    this.element.dataset.xTicks = this.ticks.map((t) => t.label).join(',');
    return this.ticks.map((t) => t.x);
  }

  private onCursor(u: uPlot): void {
    const state = this.state;
    const left = u.cursor.left ?? -1;
    if (!state || left < 0) return;
    const x = u.posToVal(left, 'x');
    const parts = state.runs.map((run, i) => {
      const own = runViewport(run, { start: x, end: x + 1 }, state.align);
      const step = Math.floor(own.start);
      if (step < 0 || step >= run.length) return `${runLabel(run)}: —`;
      return `${run.manifest?.name ?? i}: step ${step} loss ${fmt(run.lossKnown[step] ? run.loss[step] : null)} smoothed ${fmtSmoothed(this.series[i]?.ema[step])}`;
    });
    this.readout.textContent = parts.join(' | ');
  }

  private onWheel(e: WheelEvent): void {
    const state = this.state;
    if (!this.plot || !state) return;
    e.preventDefault();
    const rect = this.plot.over.getBoundingClientRect();
    this.page.setViewport(
      wheelViewport(
        state.viewport,
        e,
        (e.clientX - rect.left) / Math.max(1, rect.width),
        sharedDomain(state.runs, state.align),
      ),
    );
  }
}

/** The legend: a line in each run's colour with its label. */
function renderLegend(element: HTMLElement, state: CompareState): void {
  element.replaceChildren(
    ...state.runs.map((run, i) => {
      const item = document.createElement('span');
      item.className = 'compare-legend-item';
      const line = document.createElement('span');
      line.className = `legend-line run-line run-color-${i % 6}`;
      item.append(line, document.createTextNode(runLabel(run)));
      return item;
    }),
  );
}

/** A #rrggbb colour at 40 % opacity (other colours as they are). */
function faint(color: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  return m ? `rgba(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)}, 0.4)` : color;
}
