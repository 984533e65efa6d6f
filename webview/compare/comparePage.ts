/**
 * The comparison page: two or more runs side by side — their answers, the config fields that differ,
 * their loss curves overlaid (one colour per run, the same smoothing) and their timelines stacked,
 * aligned by step or by epoch, sharing one zoom. The run folders and the user's choices are kept with
 * the host, so that a reloaded window reopens the comparison as it was.
 */
import 'uplot/dist/uPlot.min.css';
import { html, render } from 'lit';
import { CAUSE_LABELS } from '../../src/shared/causes';
import { isOneOf } from '../../src/shared/channels/check';
import { ALIGNMENTS, DEFAULT_COMPARISON, type KeptComparison } from '../../src/shared/channels/keptComparison';
import { WEBVIEW_PROTOCOL_VERSION, type CompareRun, type ToWebview } from '../../src/shared/channels/webviewChannel';
import { causeSwatch, legendCauses } from '../components/legend';
import { formatDuration, runTiming } from '../components/runDetails';
import { configDifferences } from '../numbers/configDiff';
import { clampViewport, type Viewport } from '../numbers/viewport';
import type { HostApi } from '../host/hostApi';
import { readTheme, watchTheme } from '../host/theme';
import { RunModel } from '../state/runModel';
import { sharedDomain } from './alignment';
import { CompareLoss } from './compareLoss';
import { runLabel, type CompareState, type ComparePageApi } from './compareState';
import { CompareTimelines } from './compareTimelines';

/** Renders the comparison into `root` and asks `host` for the runs. */
export function startComparison(host: HostApi<KeptComparison>, root: HTMLElement): ComparePage {
  const page = new ComparePage(host, root);
  host.onMessage((message) => page.receive(message));
  watchTheme(() => page.setTheme());
  host.post({ type: 'ready' });
  return page;
}

export class ComparePage implements ComparePageApi {
  state: CompareState;
  private readonly loss: CompareLoss;
  private readonly timelines: CompareTimelines;
  private scheduled = false;
  /** The zoom kept before a reload, shown once the runs arrive. */
  private restoredViewport: Viewport | null;
  /** What was last kept with the host, to keep only changes. */
  private keptJson = '';

  constructor(
    private readonly host: HostApi<KeptComparison>,
    private readonly root: HTMLElement,
  ) {
    document.body.classList.add('lstm-compare');
    const kept = host.getState();
    this.restoredViewport = kept?.viewport ?? DEFAULT_COMPARISON.viewport;
    this.state = {
      runs: [],
      align: kept?.align ?? DEFAULT_COMPARISON.align,
      smoothing: kept?.smoothing ?? DEFAULT_COMPARISON.smoothing,
      viewport: { start: 0, end: 4 },
      theme: readTheme(),
      colors: runColors(),
      gutters: { left: 56, right: 12 },
    };
    this.loss = new CompareLoss(this);
    this.timelines = new CompareTimelines(this);
    render(
      html`<main class="app compare" data-testid="compare">
        <header class="banner"><h1 data-testid="compare-title">Comparing runs</h1></header>
        <div class="compare-controls"></div>
        <section class="compare-answers" aria-label="Each run's answer"></section>
        <section class="compare-config" aria-label="Config fields that differ"></section>
        <section class="timeline-section" aria-label="Loss curves overlaid and timelines stacked">
          ${this.loss.element} ${this.timelines.element}
        </section>
        ${
          host.mode === 'report'
            ? html`<footer class="muted">
                Standalone comparison of recorded runs: everything shown was read from their run folders.
              </footer>`
            : ''
        }
      </main>`,
      root,
    );
  }

  receive(message: ToWebview): void {
    if (message.type !== 'compare') return;
    if (message.protocolVersion !== WEBVIEW_PROTOCOL_VERSION) {
      this.root.textContent = `This page speaks protocol ${WEBVIEW_PROTOCOL_VERSION} but the extension sent ${message.protocolVersion}; reload the window.`;
      return;
    }
    const first = this.state.runs.length === 0;
    const runs = message.runs.map((r: CompareRun) => {
      const model = new RunModel();
      model.load(r.snapshot, r.columns);
      return model;
    });
    this.update({ runs });
    if (!first) return;
    if (this.restoredViewport) this.setViewport(this.restoredViewport);
    else this.fit();
    this.restoredViewport = null;
  }

  /** Shows every batch of every run. */
  fit(): void {
    this.update({ viewport: { start: 0, end: sharedDomain(this.state.runs, this.state.align) } });
  }

  setViewport(viewport: Viewport): void {
    this.update({ viewport: clampViewport(viewport, sharedDomain(this.state.runs, this.state.align)) });
  }

  setTheme(): void {
    this.update({ theme: readTheme(), colors: runColors() });
  }

  setGutters(gutters: { left: number; right: number }): void {
    if (gutters.left !== this.state.gutters.left || gutters.right !== this.state.gutters.right)
      this.update({ gutters });
  }

  update(patch: Partial<CompareState>): void {
    this.state = { ...this.state, ...patch };
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.paint();
    });
  }

  private paint(): void {
    const part = (selector: string) => this.root.querySelector<HTMLElement>(selector)!;
    const { runs } = this.state;
    part('[data-testid="compare-title"]').textContent = `Comparing ${runs.length} runs`;
    render(this.controls(), part('.compare-controls'));
    render(answersTemplate(this.state), part('.compare-answers'));
    render(configTemplate(runs), part('.compare-config'));
    this.loss.paint(this.state);
    this.timelines.paint(this.state);
    this.keep();
    window.dispatchEvent(
      new CustomEvent('lstm:painted', { detail: { batches: runs.reduce((n, r) => n + r.length, 0), ms: 0 } }),
    );
  }

  /** Keeps the run folders and the user's choices with the host; not before the runs are here (that would forget them). */
  private keep(): void {
    const { runs, align, smoothing, viewport } = this.state;
    if (!runs.length) return;
    const kept: KeptComparison = {
      runDirs: runs.map((run) => run.runDir),
      align,
      smoothing,
      viewport: { start: viewport.start, end: viewport.end },
    };
    const json = JSON.stringify(kept);
    if (json === this.keptJson) return;
    this.keptJson = json;
    this.host.setState(kept);
  }

  private controls() {
    const { align, smoothing } = this.state;
    return html`<div class="controls">
      <label for="compare-align">Align by</label>
      <select
        id="compare-align"
        data-testid="compare-align"
        @change=${(e: Event) => {
          const value = (e.currentTarget as HTMLSelectElement).value;
          if (!isOneOf(ALIGNMENTS, value)) return;
          this.state = { ...this.state, align: value };
          this.fit();
        }}
      >
        <option value="step" ?selected=${align === 'step'}>step</option>
        <option value="epoch" ?selected=${align === 'epoch'}>epoch</option>
      </select>
      <label for="compare-smoothing">Smoothing (EMA, every run)</label>
      <input
        id="compare-smoothing"
        data-testid="compare-smoothing"
        type="range"
        min="0"
        max="0.99"
        step="0.01"
        .value=${String(smoothing)}
        @input=${(e: Event) => this.update({ smoothing: Number((e.currentTarget as HTMLInputElement).value) })}
      />
      <output>${smoothing.toFixed(2)}</output>
      <button type="button" data-testid="compare-fit" @click=${() => this.fit()}>Show all</button>
      ${
        this.host.mode === 'panel'
          ? html`<button
              type="button"
              data-testid="compare-report"
              @click=${() => this.host.post({ type: 'exportReport' })}
            >
              Export HTML Report…
            </button>`
          : ''
      }
    </div>`;
  }
}

/** The run colours from the `--lst-run-*` variables of media/timeline.css. */
function runColors(): string[] {
  const style = getComputedStyle(document.body);
  return Array.from({ length: 6 }, (_, i) => style.getPropertyValue(`--lst-run-${i}`).trim() || '#888');
}

function answersTemplate({ runs }: CompareState) {
  return html`<div class="compare-grid">
    ${runs.map((run, i) => {
      const timing = runTiming(run);
      return html`<article class="compare-run" data-testid="compare-run" data-run=${i}>
        <h2><span class="run-color run-color-${i % 6}" aria-hidden="true"></span>${runLabel(run)}</h2>
        <p class="muted">
          ${run.status} · ${run.length} batches · ${formatDuration(timing.seconds)} · ${run.manifest?.backend ?? ''}
        </p>
        <p class="answer" data-testid="compare-answer">${run.answer}</p>
        <ul class="legend">
          ${legendCauses(run).map(
            (c) =>
              html`<li title=${CAUSE_LABELS[c]}>
                ${causeSwatch(c)}${CAUSE_LABELS[c]}: <strong data-testid="compare-count-${c}">${run.counts[c]}</strong>
              </li>`,
          )}
        </ul>
      </article>`;
    })}
  </div> `;
}

/** What a run's config table compares: the config as resolved (or as written, or the recorded script) and a few manifest facts. */
function comparable(run: RunModel): unknown {
  const m = run.manifest;
  if (!m) return {};
  return {
    run: {
      writer: m.writer.name,
      backend: m.backend,
      kind: m.model.kind,
      stateful: m.model.stateful,
      units: m.model.layers.map((l) => l.units),
    },
    ...(m.resolved ?? m.config ?? { script: m.script }),
  };
}

function configTemplate(runs: RunModel[]) {
  const all = configDifferences(runs.map(comparable));
  const paths = new Set(all.map((d) => d.path));
  // A manifest fact that repeats a differing config field (run.stateful and model.stateful) is shown once, as the config's.
  const differences = all.filter((d) => !(d.path.startsWith('run.') && paths.has(`model.${d.path.slice(4)}`)));
  return html`<h2>Config fields that differ</h2>
    ${
      differences.length
        ? html`<div class="table-scroll">
            <table class="config-diff" data-testid="config-diff">
              <thead>
                <tr>
                  <th scope="col">field</th>
                  ${runs.map((run, i) => html`<th scope="col"><span class="run-color run-color-${i % 6}"></span>${runLabel(run)}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${differences.map(
                  (d) =>
                    html`<tr data-field=${d.path}>
                      <th scope="row"><code>${d.path}</code></th>
                      ${d.values.map((v) => html`<td><code>${v}</code></td>`)}
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : html`<p class="muted" data-testid="config-diff-none">The runs' configs are the same in every field.</p>`
    }`;
}
