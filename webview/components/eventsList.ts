/**
 * The batches of note, listed: every reset (or the batches of the cause picked in the legend), the
 * batches with a non-finite loss, the unreadable ones, the flagged ones; a page at a time, each a link to its batch.
 */
import { html, nothing, render } from 'lit';
import { CAUSE_LABELS } from '../../src/shared/causes';
import { fmt } from '../numbers/format';
import { FLAG_SENTENCES, phaseName, startText } from '../state/describe';
import type { PanelState } from '../state/panelState';
import type { PanelStore } from '../state/panelStore';
import { EventIndex } from '../state/eventIndex';
import type { RunModel } from '../state/runModel';
import type { EventFilter } from '../state/uiState';
import { legendCauses } from './legend';

const PAGE = 100;

/** Renders the list into `element` when the run, the filter, the highlighted cause or the page changes. */
export function mountEventsList(store: PanelStore, element: HTMLElement): void {
  const index = new EventIndex();
  const found = (s: PanelState) => index.steps(s.run, s.ui.highlight ?? s.ui.events);
  // Repainted when what it shows changes, not on every live batch: the steps listed only ever grow.
  store.subscribe(
    (s) => [
      s.run.loads,
      s.run.manifest,
      found(s).steps.length,
      legendCauses(s.run).join(),
      s.ui.events,
      s.ui.highlight,
      s.ui.eventsPage,
    ],
    (s) => render(template(store, s.run, found(s), s.ui.eventsPage), element),
  );
}

function options(run: RunModel): Array<[EventFilter, string]> {
  const list: Array<[EventFilter, string]> = [['resets', 'resets (every zeroed state)']];
  for (const cause of legendCauses(run)) list.push([cause, CAUSE_LABELS[cause]]);
  if (!list.some(([f]) => f === 'unreadable')) list.push(['unreadable', CAUSE_LABELS.unreadable]);
  list.push(['nonFinite', 'non-finite loss (NaN, Infinity)'], ['flagged', 'flagged (PT001–PT003)']);
  return list;
}

function template(
  store: PanelStore,
  run: RunModel,
  found: { filter: EventFilter; steps: number[] },
  wantedPage: number,
) {
  const { filter, steps } = found;
  const pages = Math.max(1, Math.ceil(steps.length / PAGE));
  const page = Math.min(wantedPage, pages - 1);
  const shown = steps.slice(page * PAGE, (page + 1) * PAGE);
  const choose = (e: Event) => {
    store.highlight(null);
    store.choose({ events: (e.currentTarget as HTMLSelectElement).value as EventFilter, eventsPage: 0 });
  };
  return html`<h2 id="events-title">Batches of note</h2>
    <div class="controls">
      <label for="events-filter">Show</label>
      <select id="events-filter" data-testid="events-filter" @change=${choose}>
        ${options(run).map(([value, text]) => html`<option value=${value} ?selected=${value === filter}>${text}</option>`)}
      </select>
      <span class="muted" data-testid="events-count">${steps.length} ${steps.length === 1 ? 'batch' : 'batches'}</span>
    </div>
    <div class="table-scroll">
      <table class="events-table" data-testid="events-table" aria-labelledby="events-title">
        <thead>
          <tr>
            <th scope="col">step</th>
            <th scope="col">epoch</th>
            <th scope="col">batch</th>
            <th scope="col">phase</th>
            <th scope="col">what</th>
          </tr>
        </thead>
        <tbody>
          ${shown.map((step) => row(store, run, step))}
        </tbody>
      </table>
    </div>
    <div class="pager" ?hidden=${pages <= 1}>
      <button type="button" ?disabled=${page === 0} @click=${() => store.choose({ eventsPage: page - 1 })}>
        Previous
      </button>
      <span aria-live="polite">${page * PAGE + 1}–${Math.min(steps.length, (page + 1) * PAGE)} of ${steps.length}</span>
      <button type="button" ?disabled=${page >= pages - 1} @click=${() => store.choose({ eventsPage: page + 1 })}>
        Next
      </button>
    </div>`;
}

function row(store: PanelStore, run: RunModel, step: number) {
  const record = run.record(step);
  const what = !record
    ? ''
    : record.unreadable
      ? `unreadable: ${record.unreadable}`
      : [
          startText(run, record),
          run.lossKnown[step] && !Number.isFinite(run.loss[step]) ? `loss ${fmt(run.loss[step])}` : '',
          ...record.flags.map((f) => FLAG_SENTENCES[f].split(':')[0]),
        ]
          .filter(Boolean)
          .join(' · ');
  return html`<tr data-step=${step}>
    <th scope="row">
      <button type="button" class="link" data-testid="event-step" @click=${() => store.goTo(step)}>${step}</button>
    </th>
    <td>${run.epoch[step] + 1}</td>
    <td>${run.batch[step] + 1}</td>
    <td>${phaseName(run.phaseOf(step))}</td>
    <td class="what">${what || nothing}</td>
  </tr>`;
}
