/** Accessible table of resets per epoch and cause, one page of epochs at a time, kept up to date as batches arrive. */
import { html, nothing, render } from 'lit';
import {
  CAUSE_LABELS,
  TRAINER_CAUSES,
  shownCauses,
  type CauseCounts,
  type InitialStateCause,
} from '../../src/shared/causes';
import { phaseName } from '../state/describe';
import type { PanelStore } from '../state/panelStore';
import type { RunModel } from '../state/runModel';

/** Epoch rows per page: a 20 000-epoch run must not put 160 000 cells in the DOM. */
export const PAGE_SIZE = 200;

// Short column headings; the caption and each heading's title give the full meaning.
const HEADINGS: Record<InitialStateCause, string> = {
  auto: 'auto',
  first: 'first',
  epoch: 'epoch end',
  schedule: 'scheduled',
  manual: 'manual',
  phase: 'phase',
  zeros: 'zeros',
  carried: 'carried',
  restored: 'restored',
  permuted: 'permuted',
  partial: 'partial',
  other: 'other',
  unreadable: 'unreadable',
};

/** Least ms between a live run's repaints of the table. */
export const LIVE_TABLE_MS = 250;

/** Renders the table into `element` (its <section>) whenever the run or the page changes; lit updates only the cells that changed. */
export function mountSummaryTable(store: PanelStore, element: HTMLElement): void {
  const setPage = (page: number) => store.choose({ summaryPage: page });
  // Counts per epoch: four repaints a second keep up with a live run (its layout costs a frame's budget).
  store.subscribe(
    (s) => [s.run.version, s.ui.summaryPage],
    (s) => render(summaryTemplate(s.run, s.ui.summaryPage, setPage), element),
    { atMostEveryMs: LIVE_TABLE_MS },
  );
}

/** How many rows the table has: one per epoch, or one per epoch and phase when the run has several phases. */
function rowCount(run: RunModel): number {
  return run.phased ? run.groups.groups.length : run.epochOrder.length;
}

/** Rows [from, to) of the table (only a page is made: a million-batch run has ten thousand epochs). */
function rowsOf(run: RunModel, from: number, to: number) {
  if (!run.phased)
    return run.epochOrder
      .slice(from, to)
      .map((epoch) => ({ label: `${epoch + 1}`, epoch, phase: 'train', counts: run.perEpoch.get(epoch)! }));
  return run.groups.groups.slice(from, to).map(({ epoch, phase, counts }) => ({
    label: phase === 'train' ? `${epoch + 1}` : `${epoch + 1} · ${phaseName(phase)}`,
    epoch,
    phase,
    counts,
  }));
}

function summaryTemplate(run: RunModel, wantedPage: number, setPage: (page: number) => void) {
  const total = rowCount(run);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(wantedPage, pages - 1);
  const shown = rowsOf(run, page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  // The trainer's six causes always have a column, in the order `row` writes their cells; others
  // (a recorded script's, a phase reset, an unreadable record) after them, only when they occur.
  const extra = shownCauses(run.counts).filter((c) => !TRAINER_CAUSES.includes(c));
  const causes = [...TRAINER_CAUSES, ...extra];
  const phaseTotals = run.phased ? [...run.groups.byPhase] : [];
  return html` <div class="table-scroll">
      <table class="summary" data-testid="summary-table">
        <caption>
          Resets per epoch${run.phased ? ' and phase' : ''}: how many batches started from zeros (auto = stateless,
          first batch, epoch-end, scheduled or manual reset) and how many carried the previous batch's state
        </caption>
        <thead>
          <tr>
            <th scope="col">Epoch</th>
            ${causes.map((c) => html`<th scope="col" title=${CAUSE_LABELS[c]}>${HEADINGS[c]}</th>`)}
            <th scope="col">batches</th>
          </tr>
        </thead>
        <tbody>
          ${shown.map((r) => row(r.label, r.counts, r.epoch, nothing, extra, r.phase))}
        </tbody>
        <tfoot>
          ${phaseTotals.map(([phase, counts]) =>
            row(`Total ${phaseName(phase)}`, counts, nothing, `summary-total-${phase}`, extra, phase),
          )}
          ${run.manifest ? row('Total', run.counts, nothing, 'summary-total', extra) : html`<tr data-testid="summary-total"></tr>`}
        </tfoot>
      </table>
    </div>
    <div class="pager" ?hidden=${pages <= 1}>
      ${pages > 1 ? pager(page, pages, total, run.phased, (p) => setPage(Math.min(Math.max(p, 0), pages - 1))) : nothing}
    </div>`;
}

const zero = (count: number) => (count ? '' : 'zero');

/**
 * A row of counts: an epoch's (with `data-epoch`) or the total (with its test id). One template per row, the cells
 * written out in the header's order, TRAINER_CAUSES then `extra` (the browser tests check each cell against its
 * heading): a 1000-epoch run renders
 * its first page of 200 rows in one frame, where a template per cell took twice as long. `extra` causes (beyond
 * the trainer's six) are rare and get a cell each.
 */
function row(
  label: string,
  n: CauseCounts | undefined,
  epoch: number | typeof nothing,
  testId: string | typeof nothing,
  extra: InitialStateCause[],
  phase: string | typeof nothing = nothing,
) {
  if (!n) return nothing;
  const batches = Object.values(n).reduce((sum, count) => sum + count, 0);
  return html`<tr data-epoch=${epoch} data-phase=${phase} data-testid=${testId}>
    <th scope="row">${label}</th>
    <td data-testid="count-auto" class=${zero(n.auto)}>${n.auto}</td>
    <td data-testid="count-first" class=${zero(n.first)}>${n.first}</td>
    <td data-testid="count-epoch" class=${zero(n.epoch)}>${n.epoch}</td>
    <td data-testid="count-schedule" class=${zero(n.schedule)}>${n.schedule}</td>
    <td data-testid="count-manual" class=${zero(n.manual)}>${n.manual}</td>
    <td data-testid="count-carried" class=${zero(n.carried)}>${n.carried}</td>
    ${extra.map((c) => html`<td data-testid="count-${c}" class=${zero(n[c])}>${n[c]}</td>`)}
    <td data-testid="count-batches">${batches}</td>
  </tr>`;
}

function pager(page: number, pages: number, epochs: number, phased: boolean, go: (page: number) => void) {
  const first = page * PAGE_SIZE;
  const what = phased ? 'rows' : 'epochs';
  return html` <button type="button" ?disabled=${page === 0} @click=${() => go(page - 1)}>Previous epochs</button>
    <span aria-live="polite">${what} ${first + 1}–${Math.min(epochs, first + PAGE_SIZE)} of ${epochs}</span>
    <button type="button" ?disabled=${page === pages - 1} @click=${() => go(page + 1)}>Next epochs</button>`;
}
