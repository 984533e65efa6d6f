/** Accessible table of resets per epoch and cause, updated row by row as batches arrive. */
import { CAUSES, CAUSE_LABELS, type CauseCounts } from '../../src/shared/causes';
import type { RunModel } from '../model/runModel';
import { h, setChildren } from './dom';

/** Epoch rows per page: a 20 000-epoch run must not put 160 000 cells in the DOM. */
export const PAGE_SIZE = 200;

// Short column headings; the caption and each heading's title give the full meaning.
const HEADINGS: Record<(typeof CAUSES)[number], string> = {
  auto: 'auto', first: 'first', epoch: 'epoch end', schedule: 'scheduled', manual: 'manual', carried: 'carried',
};

export class SummaryTable {
  readonly element: HTMLElement;
  private readonly body = h('tbody');
  private readonly total = h('tr', { 'data-testid': 'summary-total' });
  private readonly pager = h('div', { class: 'pager', hidden: true });
  private readonly rows = new Map<number, HTMLTableRowElement>();
  private pageShown = -1;
  private epochsShown = 0;

  constructor(private readonly model: RunModel, private readonly page: () => number, private readonly setPage: (page: number) => void) {
    const head = h('tr', {}, h('th', { scope: 'col' }, 'Epoch'), ...CAUSES.map((c) => h('th', { scope: 'col', title: CAUSE_LABELS[c] }, HEADINGS[c])), h('th', { scope: 'col' }, 'batches'));
    const table = h('table', { class: 'summary', 'data-testid': 'summary-table' },
      h('caption', {}, 'Resets per epoch: how many batches started from zeros (auto = stateless, first batch, epoch-end, scheduled or manual reset) and how many carried the previous batch\'s state'),
      h('thead', {}, head), this.body, h('tfoot', {}, this.total));
    this.element = h('section', { class: 'summary-section', 'aria-label': 'Resets per epoch' }, h('div', { class: 'table-scroll' }, table), this.pager);
  }

  /** Rebuilds the page (after a snapshot, a page change or a new epoch on it), else updates the changed epochs only. */
  update(dirtyEpochs: number[], full: boolean): void {
    const epochs = [...this.model.perEpoch.keys()];
    const pages = Math.max(1, Math.ceil(epochs.length / PAGE_SIZE));
    const page = Math.min(this.page(), pages - 1);
    const shown = epochs.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
    const rebuild = full || page !== this.pageShown || shown.length !== this.rows.size;
    if (rebuild) {
      this.rows.clear();
      setChildren(this.body, ...shown.map((epoch) => this.row(epoch)));
      this.pageShown = page;
    } else {
      for (const epoch of dirtyEpochs) this.fill(this.rows.get(epoch), `${epoch + 1}`, this.model.perEpoch.get(epoch));
    }
    if (rebuild || epochs.length !== this.epochsShown) this.renderPager(page, pages, epochs.length);
    this.epochsShown = epochs.length;
    this.fill(this.total, 'Total', this.model.counts);
  }

  private row(epoch: number): HTMLTableRowElement {
    const tr = h('tr', { 'data-epoch': epoch });
    this.rows.set(epoch, tr);
    this.fill(tr, `${epoch + 1}`, this.model.perEpoch.get(epoch));
    return tr;
  }

  private fill(tr: HTMLTableRowElement | undefined, label: string, counts: CauseCounts | undefined): void {
    if (!tr || !counts) return;
    const batches = CAUSES.reduce((n, c) => n + counts[c], 0);
    const cells = CAUSES.map((c) => h('td', { 'data-testid': `count-${c}`, class: counts[c] ? '' : 'zero' }, String(counts[c])));
    setChildren(tr, h('th', { scope: 'row' }, label), ...cells, h('td', { 'data-testid': 'count-batches' }, String(batches)));
  }

  private renderPager(page: number, pages: number, epochs: number): void {
    this.pager.hidden = pages <= 1;
    if (pages <= 1) return;
    const go = (p: number) => () => this.setPage(Math.min(Math.max(p, 0), pages - 1));
    const prev = h('button', { type: 'button', disabled: page === 0 }, 'Previous epochs');
    const next = h('button', { type: 'button', disabled: page === pages - 1 }, 'Next epochs');
    prev.addEventListener('click', go(page - 1));
    next.addEventListener('click', go(page + 1));
    const first = page * PAGE_SIZE;
    setChildren(this.pager, prev, h('span', { 'aria-live': 'polite' }, `epochs ${first + 1}–${Math.min(epochs, first + PAGE_SIZE)} of ${epochs}`), next);
  }
}
