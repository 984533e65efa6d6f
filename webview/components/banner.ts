/** The plain-words answer for this run, its status, the legend (reset counts by cause), the lint warnings and the run's details. */
import { html, render } from 'lit';
import type { PanelStore } from '../state/panelStore';
import type { RunModel } from '../state/runModel';
import { legendTemplate } from './legend';
import { runDetailsTemplate } from './runDetails';

/** Renders the banner into `element` (the page's <header>) whenever the run or the highlighted cause changes. */
export function mountBanner(store: PanelStore, element: HTMLElement): void {
  const toggle = store.highlight.bind(store);
  store.subscribe(
    (s) => [s.run.version, s.ui.highlight],
    (s) => render(bannerTemplate(s.run, s.ui.highlight, toggle), element),
  );
}

/** "seed-stateful — stateful LSTM, batch size 200, 5 batches per epoch"; what a recorded script's run does not fix is left out. */
export function runTitle(run: RunModel): string {
  const { manifest } = run;
  if (!manifest) return '';
  const kind = manifest.model.kind.toUpperCase();
  const parts: string[] = [];
  if (manifest.batchSize !== null) parts.push(`batch size ${manifest.batchSize}`);
  if (manifest.batchesPerEpoch !== null) parts.push(`${manifest.batchesPerEpoch} batches per epoch`);
  const what =
    manifest.model.stateful === null
      ? `recorded PyTorch ${kind}${manifest.script ? ` (${manifest.script.module} of ${baseName(manifest.script.path)})` : ''}`
      : `${manifest.model.stateful ? 'stateful' : 'stateless'} ${kind}`;
  return `${manifest.name} — ${[what, ...parts].join(', ')}`;
}

const baseName = (file: string) => file.split(/[\\/]/).pop() ?? file;

/** The banner of `run`; empty until the snapshot brings a manifest. */
function bannerTemplate(
  run: RunModel,
  highlight: Parameters<typeof legendTemplate>[1],
  toggle: Parameters<typeof legendTemplate>[2],
) {
  const known = run.manifest !== undefined;
  return html` <div class="title-row">
      <h1 class="run-title">${runTitle(run)}</h1>
      <span class=${known ? `status status-${run.status}` : 'status'} data-testid="run-status" role="status"
        >${known ? run.status : ''}</span
      >
    </div>
    <p class="answer" data-testid="answer-banner">${known ? run.answer || 'Waiting for the run…' : ''}</p>
    <ul
      class="legend"
      data-testid="legend"
      aria-label="Legend: how each batch started, with counts; pick one to highlight it"
    >
      ${known ? legendTemplate(run, highlight, toggle) : []}
    </ul>
    <p class="error" role="alert" ?hidden=${!run.message}>${run.message ?? ''}</p>
    <ul class="warnings" aria-label="Warnings about this configuration" ?hidden=${run.warnings.length === 0}>
      ${run.warnings.map((w) => html`<li><code>${w.code}</code> ${w.message} <span class="muted">(${w.field})</span></li>`)}
    </ul>
    ${known ? runDetailsTemplate(run) : ''}`;
}
