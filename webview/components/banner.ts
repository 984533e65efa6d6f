/** The plain-words answer for this run, its status, the reset counts by cause (the legend), and the lint warnings. */
import { html, render } from 'lit';
import type { PanelStore } from '../state/panelStore';
import type { RunModel } from '../state/runModel';
import { legendTemplate } from './legend';

/** Renders the banner into `element` (the page's <header>) whenever the run changes. */
export function mountBanner(store: PanelStore, element: HTMLElement): void {
  store.subscribe(
    (s) => s.run.version,
    (s) => render(bannerTemplate(s.run), element),
  );
}

/** The banner of `run`; empty until the snapshot brings a manifest. */
function bannerTemplate(run: RunModel) {
  const { manifest } = run;
  const known = manifest !== undefined;
  const title = !manifest
    ? ''
    : `${manifest.name} — ${manifest.model.stateful ? 'stateful' : 'stateless'} LSTM, batch size ${manifest.batchSize}, ${manifest.batchesPerEpoch} batches per epoch`;
  return html` <div class="title-row">
      <h1 class="run-title">${title}</h1>
      <span class=${known ? `status status-${run.status}` : 'status'} data-testid="run-status" role="status"
        >${known ? run.status : ''}</span
      >
    </div>
    <p class="answer" data-testid="answer-banner">${known ? run.answer || 'Waiting for the run…' : ''}</p>
    <ul class="legend" data-testid="legend" aria-label="Legend: how each batch started, with counts">
      ${known ? legendTemplate(run) : []}
    </ul>
    <p class="error" role="alert" ?hidden=${!run.message}>${run.message ?? ''}</p>
    <ul class="warnings" aria-label="Warnings about this configuration" ?hidden=${run.warnings.length === 0}>
      ${run.warnings.map((w) => html`<li><code>${w.code}</code> ${w.message} <span class="muted">(${w.field})</span></li>`)}
    </ul>`;
}
