/** The batch inspector: h or c of every row × unit, initial / final / difference, per layer. */
import type { BatchDetail } from '../../src/shared/channels/webviewChannel';
import { absMax, difference } from '../model/continuity';
import type { RunModel } from '../model/runModel';
import type { StateView, TensorName, UiState } from '../uiState';
import { ContinuityView } from './continuityView';
import { singleSelect, setOptions } from './controls';
import { describeBatch } from './describe';
import { fmt, h, setChildren } from './dom';
import { Heatmap, scaleLegend } from './heatmap';
import { HiddenView } from './hiddenView';
import type { Palette } from './theme';

/** Where the selected batch's tensors are. */
export type DetailState =
  | { step: null }
  | { step: number; status: 'loading' }
  | { step: number; status: 'ready'; detail: BatchDetail }
  | { step: number; status: 'error'; message: string };

/** What the inspector needs from the app. */
export interface InspectorController {
  readonly model: RunModel;
  ui(): UiState;
  update(patch: Partial<UiState>): void;
  palette(): Palette;
}

export class Inspector {
  readonly element: HTMLElement;
  private readonly title = h('h2', { id: 'inspector-title' }, 'Batch inspector');
  private readonly summary = h('p', { class: 'inspector-summary', 'data-testid': 'inspector-summary' });
  private readonly body = h('div', { class: 'inspector-body' });
  private readonly heatmap = new Heatmap('heatmap');
  private readonly layerSelect;
  private readonly continuity: ContinuityView;
  private readonly hidden: HiddenView;
  private state: DetailState = { step: null };

  constructor(private readonly app: InspectorController) {
    const ui = app.ui();
    this.layerSelect = singleSelect('inspector-layer', 'Layer', [['0', 'layer 1']], String(ui.layer), (v) => app.update({ layer: Number(v) }));
    const tensor = singleSelect('inspector-tensor', 'State', [['h', 'h (hidden)'], ['c', 'c (cell)']], ui.tensor, (v) => app.update({ tensor: v as TensorName }));
    const view = singleSelect('inspector-view', 'Show', [['initial', 'initial state'], ['final', 'final state'], ['difference', 'difference (final − initial)']], ui.view, (v) => app.update({ view: v as StateView }));
    this.continuity = new ContinuityView(app);
    this.hidden = new HiddenView(app);
    this.element = h(
      'section',
      { class: 'inspector', 'data-testid': 'inspector', 'aria-labelledby': 'inspector-title' },
      this.title,
      this.summary,
      h('div', { class: 'controls' }, this.layerSelect.element, tensor.element, view.element),
      this.body,
      this.continuity.element,
      this.hidden.element,
    );
    this.render();
  }

  /** Shows a new selection or detail. */
  setState(state: DetailState): void {
    this.state = state;
    this.render();
  }

  /** Repaints the heatmaps after a theme change. */
  restyle(): void {
    const palette = this.app.palette();
    this.heatmap.draw(palette);
    this.continuity.restyle(palette);
    this.hidden.restyle(palette);
  }

  /** Rebuilds the content for the current state and UI choices. */
  render(): void {
    const { model } = this.app;
    const state = this.state;
    const layers = model.manifest?.model.layers ?? [];
    setOptions(this.layerSelect.select, layers.map((l, i) => [String(i), `layer ${i + 1} (${l.units} units)`]), String(Math.min(this.app.ui().layer, Math.max(0, layers.length - 1))));
    this.element.dataset.step = state.step === null ? '' : String(state.step);
    if (state.step === null) {
      this.summary.textContent = 'Select a batch in the timeline (click it, or focus the timeline and use the arrow keys) to see its states.';
      setChildren(this.body);
      this.continuity.render(null, null);
      this.hidden.render(null, null);
      return;
    }
    const record = model.record(state.step);
    this.summary.textContent = describeBatch(model, state.step) + (record ? ` · rows: samples ${sampleList(record.rows)}` : '');
    if (state.status !== 'ready') {
      setChildren(this.body, h('p', { class: state.status === 'error' ? 'error' : 'muted', role: state.status === 'error' ? 'alert' : undefined }, state.status === 'loading' ? 'Loading the tensors of this batch…' : state.message));
      this.continuity.render(null, null);
      this.hidden.render(null, null);
      return;
    }
    const detail = state.detail;
    const layer = Math.min(this.app.ui().layer, detail.norms.length - 1);
    this.renderMain(detail, layer);
    this.continuity.render(detail, layer);
    this.hidden.render(detail, layer);
  }

  private renderMain(detail: BatchDetail, layer: number): void {
    const { tensor, view } = this.app.ui();
    const record = this.app.model.record(detail.step);
    const tensors = detail.layers[layer];
    if (!tensors) {
      setChildren(this.body, h('p', { class: 'muted', 'data-testid': 'norms-only' }, 'Full tensors were not captured for this batch (the capture budget was spent); the per-row norms are:'), normsTable(detail, layer));
      return;
    }
    const rows = tensors[tensor].length / tensors.units;
    const initial = tensors[tensor === 'h' ? 'h0' : 'c0'];
    const final = tensors[tensor];
    const values = view === 'initial' ? initial : view === 'final' ? final : difference(initial, final);
    const scale = view === 'difference' ? absMax(values) : absMax(initial, final);
    const name = `${tensor}${view === 'initial' ? '₀ (initial)' : view === 'final' ? ' (final)' : ' − ' + tensor + '₀ (difference)'}`;
    this.heatmap.set({
      values, rows, cols: tensors.units, scale,
      describe: (r, u, v) => `row ${r} (sample ${record?.rows[r] ?? '?'}), unit ${u}: ${fmt(v, 6)}`,
      label: `${rows} rows by ${tensors.units} units, values from ${fmt(minOf(values))} to ${fmt(maxOf(values))}`,
    }, `${name}, layer ${layer + 1}: ${rows} rows × ${tensors.units} units`, this.app.palette());
    const zeros = view === 'initial' && initial.every((v) => v === 0);
    setChildren(this.body, h('div', { class: 'heatmap-row' }, this.heatmap.element, scaleLegend(scale)),
      zeros ? h('p', { class: 'note', 'data-testid': 'initial-zero' }, 'Every initial value is exactly 0: this batch started from zeros.') : null);
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

function sampleList(rows: number[]): string {
  return rows.length <= 8 ? rows.join(', ') : `${rows.slice(0, 6).join(', ')}, … ${rows[rows.length - 1]} (${rows.length} rows)`;
}

function normsTable(detail: BatchDetail, layer: number): HTMLElement {
  const norms = detail.norms[layer];
  const shown = Math.min(norms.h.length, 64);
  const head = h('tr', {}, ...['row', '‖h₀‖', '‖c₀‖', '‖h‖', '‖c‖'].map((t) => h('th', { scope: 'col' }, t)));
  const body = Array.from({ length: shown }, (_, r) => h('tr', {}, h('th', { scope: 'row' }, String(r)), ...[norms.h0, norms.c0, norms.h, norms.c].map((v) => h('td', {}, fmt(v[r])))));
  return h('table', { class: 'norms' }, h('caption', {}, `Per-row L2 norms, layer ${layer + 1}${shown < norms.h.length ? ` (first ${shown} of ${norms.h.length} rows)` : ''}`), h('thead', {}, head), h('tbody', {}, ...body));
}
