/** The batch inspector: h or c of every row × unit, initial / final / difference, per layer; then continuity and the hidden sequence. */
import { html, nothing, render } from 'lit';
import type { BatchDetail } from '../../src/shared/channels/webviewChannel';
import type { BatchRecord } from '../../src/shared/runFormat';
import { absMax, difference } from '../numbers/continuity';
import { fmt } from '../numbers/format';
import { describeBatch, FLAG_SENTENCES } from '../state/describe';
import type { PanelState } from '../state/panelState';
import type { PanelStore } from '../state/panelStore';
import type { StateView, TensorName } from '../state/uiState';
import { ContinuityView, rowSourceText } from './continuityView';
import { singleSelect, type Option } from './controls';
import { Heatmap, scaleLegend } from './heatmap';
import { HiddenView } from './hiddenView';
import { normsTable } from './normsTable';

/** The inspector section, with its heatmaps and the continuity and hidden-sequence views. */
export class Inspector {
  private readonly heatmap = new Heatmap('heatmap');
  private readonly continuity = new ContinuityView();
  private readonly hidden: HiddenView;

  /** Renders into `element` (the page's inspector <section>) when the selection, its tensors or the choices change. */
  constructor(
    private readonly store: PanelStore,
    private readonly element: HTMLElement,
  ) {
    this.hidden = new HiddenView(store);
    store.subscribe(
      (s) => [s.detail, s.successor, s.ui.layer, s.ui.tensor, s.ui.view, s.ui.hiddenRow, s.run.manifest],
      (s) => this.render(s),
    );
    store.subscribe(
      (s) => s.theme,
      ({ theme: { palette } }) => {
        this.heatmap.draw(palette);
        this.continuity.restyle(palette);
        this.hidden.restyle(palette);
      },
    );
  }

  private render(state: PanelState): void {
    const { detail, run } = state;
    this.element.dataset.step = detail.step === null ? '' : String(detail.step);
    const ready = detail.step !== null && 'detail' in detail ? detail.detail : null;
    const layer = ready ? Math.min(state.ui.layer, ready.norms.length - 1) : null;
    let summary =
      'Select a batch in the timeline (click it, or focus the timeline and use the arrow keys) to see its states.';
    let body: unknown = nothing;
    let facts: unknown = nothing;
    if (detail.step !== null) {
      const record = run.fullRecord(detail.step, ready ?? undefined);
      // Without its detail, a snapshot's record does not know the rows yet: they are on their way, not unknown.
      const rows: RowsKnown =
        ready || run.hasRowDetail(detail.step) ? 'known' : 'message' in detail ? 'failed' : 'loading';
      summary = describeBatch(run, detail.step);
      if (record && !record.unreadable) facts = factsOf(record, run.manifest?.data.timesteps ?? null, rows);
      if (ready && layer !== null) body = this.main(state, ready, layer);
      else if ('message' in detail) body = html`<p class="error" role="alert">${detail.message}</p>`;
      else body = html`<p class="muted">Loading the tensors of this batch…</p>`;
    }
    render(
      html` <h2 id="inspector-title">Batch inspector</h2>
        <p class="inspector-summary" data-testid="inspector-summary">${summary}</p>
        ${facts}
        <div class="controls">${this.controls(state)}</div>
        <div class="inspector-body">${body}</div>
        ${this.continuity.template(state, ready, layer)} ${this.hidden.template(state, ready, layer)}`,
      this.element,
    );
  }

  private controls({ run, ui }: PanelState) {
    const layers = run.manifest?.model.layers ?? [];
    const layerOptions = layers.map((l, i): Option => [String(i), `layer ${i + 1} (${l.units} units)`]);
    const choose = this.store.choose.bind(this.store);
    // GRU and RNN layers have h only.
    const tensors: Option[] =
      run.manifest?.model.states.includes('c') === false
        ? [['h', 'h (hidden)']]
        : [
            ['h', 'h (hidden)'],
            ['c', 'c (cell)'],
          ];
    return html` ${singleSelect('inspector-layer', 'Layer', layerOptions, String(Math.min(ui.layer, Math.max(0, layers.length - 1))), (v) => choose({ layer: Number(v) }))}
    ${singleSelect('inspector-tensor', 'State', tensors, tensors.length === 1 ? 'h' : ui.tensor, (v) => choose({ tensor: v as TensorName }))}
    ${singleSelect(
      'inspector-view',
      'Show',
      [
        ['initial', 'initial state'],
        ['final', 'final state'],
        ['difference', 'difference (final − initial)'],
      ],
      ui.view,
      (v) => choose({ view: v as StateView }),
    )}`;
  }

  /** The heatmap of the chosen tensor and view, or the per-row norms when the tensors were not captured. */
  private main({ run, ui, theme: { palette } }: PanelState, detail: BatchDetail, layer: number) {
    const { view } = ui;
    const hasCell = run.manifest?.model.states.includes('c') !== false;
    const tensor = hasCell ? ui.tensor : 'h';
    const record = run.fullRecord(detail.step, detail);
    const tensors = detail.layers[layer];
    const note = detail.note ? html`<p class="note" data-testid="detail-note">${detail.note}</p>` : nothing;
    if (!tensors) {
      return html`<p class="muted" data-testid="norms-only">
          ${
            detail.note
              ? 'The full tensors of this batch are not at hand here'
              : 'Full tensors were not captured for this batch (the capture budget was spent)'
          };
          the per-row norms are:
        </p>
        ${note} ${normsTable(detail, layer, hasCell)}`;
    }
    const rows = tensors[tensor].length / tensors.units;
    const initial = tensors[tensor === 'h' ? 'h0' : 'c0'];
    const final = tensors[tensor];
    const values = view === 'initial' ? initial : view === 'final' ? final : difference(initial, final);
    const scale = view === 'difference' ? absMax(values) : absMax(initial, final);
    const name = `${tensor}${view === 'initial' ? '₀ (initial)' : view === 'final' ? ' (final)' : ' − ' + tensor + '₀ (difference)'}`;
    this.heatmap.set(
      {
        values,
        rows,
        cols: tensors.units,
        scale,
        describe: (r, u, v) => `row ${r} (sample ${record?.rows?.[r] ?? '—'}), unit ${u}: ${fmt(v, 6)}`,
        label: `${rows} rows by ${tensors.units} units, values from ${fmt(minOf(values))} to ${fmt(maxOf(values))}`,
      },
      `${name}, layer ${layer + 1}: ${rows} rows × ${tensors.units} units`,
      palette,
    );
    const zeros = view === 'initial' && initial.every((v) => v === 0);
    return html`${note}
      <div class="heatmap-row">${this.heatmap.element}${scaleLegend(scale)}</div>
      ${
        zeros
          ? html`<p class="note" data-testid="initial-zero">
              Every initial value is exactly 0: this batch started from zeros.
            </p>`
          : nothing
      }`;
  }
}

function minOf(values: ArrayLike<number>): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < values.length; i++) if (values[i] < min) min = values[i];
  return min;
}

function maxOf(values: ArrayLike<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  return max;
}

/** Whether a record's sample indices and row sources are in it, still coming with its detail, or could not be fetched. */
type RowsKnown = 'known' | 'loading' | 'failed';

/** The batch's facts a recorded run may or may not know: rows, timesteps, data continuity, flags. */
function factsOf(record: BatchRecord, runTimesteps: number | null, rows: RowsKnown) {
  const continues =
    record.dataContinues === null ? 'not known' : record.dataContinues ? 'yes' : 'no (the rows hold unrelated data)';
  const samples =
    rows === 'loading'
      ? html`<span data-testid="samples-loading">loading…</span>`
      : rows === 'failed'
        ? '— (not read: the batch could not be fetched)'
        : record.rows
          ? sampleList(record.rows)
          : '— (not known)';
  return html`<ul class="batch-facts" data-testid="batch-facts">
    <li data-testid="batch-samples">rows: ${record.rowCount}, samples ${samples}</li>
    <li>timesteps: ${record.timesteps ?? runTimesteps ?? '—'}</li>
    <li data-testid="data-continues">data continues the state's rows: ${continues}</li>
    ${
      record.rowSources
        ? html`<li data-testid="own-row-sources">
            rows continue rows of step ${record.carriedFrom ?? '—'}: ${rowSourceText(record.rowSources)}
          </li>`
        : nothing
    }
    ${record.flags.map((f) => html`<li class="flag" data-testid="flag-${f}">${FLAG_SENTENCES[f]}</li>`)}
  </ul>`;
}

function sampleList(rows: number[]): string {
  return rows.length <= 8
    ? rows.join(', ')
    : `${rows.slice(0, 6).join(', ')}, … ${rows[rows.length - 1]} (${rows.length} rows)`;
}
