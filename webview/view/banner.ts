/** The plain-words answer for this run, its status, the reset counts by cause, and the lint warnings. */
import { CAUSES, CAUSE_LABELS } from '../../src/shared/causes';
import { MARKER_MASK, causeBit } from '../model/causeCodes';
import type { RunModel } from '../model/runModel';
import { h, setChildren } from './dom';

export class Banner {
  readonly element: HTMLElement;
  private readonly answer = h('p', { class: 'answer', 'data-testid': 'answer-banner' });
  private readonly status = h('span', { class: 'status', 'data-testid': 'run-status', role: 'status' });
  private readonly title = h('h1', { class: 'run-title' });
  private readonly legend = h('ul', { class: 'legend', 'data-testid': 'legend', 'aria-label': 'Legend: how each batch started, with counts' });
  private readonly message = h('p', { class: 'error', role: 'alert', hidden: true });
  private readonly warnings = h('ul', { class: 'warnings', 'aria-label': 'Warnings about this configuration', hidden: true });

  constructor(private readonly model: RunModel) {
    this.element = h('header', { class: 'banner' }, h('div', { class: 'title-row' }, this.title, this.status), this.answer, this.legend, this.message, this.warnings);
  }

  update(): void {
    const { model } = this;
    const manifest = model.manifest;
    this.title.textContent = manifest ? `${manifest.name} — ${manifest.model.stateful ? 'stateful' : 'stateless'} LSTM, batch size ${manifest.batchSize}, ${manifest.batchesPerEpoch} batches per epoch` : 'LSTM State Timeline';
    if (this.status.textContent !== model.status) {
      this.status.textContent = model.status;
      this.status.className = `status status-${model.status}`;
    }
    this.answer.textContent = model.answer || 'Waiting for the run…';
    // Stateless runs only ever show `auto`; stateful runs never do. The ▼ hint goes on the causes drawn as markers.
    const causes = CAUSES.filter((c) => (model.stateful ? c !== 'auto' : c === 'auto') || model.counts[c] > 0);
    setChildren(this.legend, ...causes.map((c) => h('li', { 'data-cause': c },
      h('span', { class: `swatch swatch-${c}`, 'aria-hidden': 'true' }),
      `${CAUSE_LABELS[c]}: `, h('strong', { 'data-testid': `legend-${c}` }, String(model.counts[c])),
      MARKER_MASK & causeBit(c) ? h('span', { class: 'marker-hint', 'aria-hidden': 'true' }, ' ▼') : null)));
    this.message.hidden = !model.message;
    this.message.textContent = model.message ?? '';
    this.warnings.hidden = model.warnings.length === 0;
    setChildren(this.warnings, ...model.warnings.map((w) => h('li', {}, h('code', {}, w.code), ` ${w.message} `, h('span', { class: 'muted' }, `(${w.field})`))));
  }
}
