/** The per-timestep hidden sequence of one captured row (timesteps × units), when the run captured it. */
import { html, nothing } from 'lit';
import type { BatchDetail } from '../../src/shared/channels/webviewChannel';
import type { Palette } from '../state/theme';
import { absMax } from '../numbers/continuity';
import { fmt } from '../numbers/format';
import type { PanelState } from '../state/panelState';
import type { PanelStore } from '../state/panelStore';
import { singleSelect } from './controls';
import { Heatmap, scaleLegend } from './heatmap';

/** One layer's captured hidden sequences. */
type HiddenSequence = NonNullable<NonNullable<BatchDetail['hidden']>[number]>;

/** The hidden-sequence section of the inspector, with its row choice and heatmap. */
export class HiddenView {
  private readonly heatmap = new Heatmap('hidden-heatmap', 420, 200);

  constructor(private readonly store: PanelStore) {}

  restyle(palette: Palette): void {
    this.heatmap.draw(palette);
  }

  /** The section for `detail`'s layer; hidden when the run captured no hidden sequence for it. */
  template(state: PanelState, detail: BatchDetail | null, layer: number | null) {
    const hidden = detail && layer !== null ? (detail.hidden?.[layer] ?? null) : null;
    const content = detail && layer !== null && hidden?.rows.length ? this.content(state, hidden, layer) : nothing;
    return html`<section
      class="hidden-seq"
      data-testid="hidden-sequence"
      aria-labelledby="hidden-title"
      ?hidden=${!hidden}
    >
      ${content}
    </section>`;
  }

  private content(state: PanelState, hidden: HiddenSequence, layer: number) {
    const units = hidden.values.length / (hidden.rows.length * hidden.timesteps);
    const index = Math.max(0, hidden.rows.indexOf(state.ui.hiddenRow));
    const row = hidden.rows[index];
    const size = hidden.timesteps * units;
    const slice = hidden.values.slice(index * size, (index + 1) * size);
    // Stored [timestep][unit]; shown transposed so time runs left to right.
    const transposed = new Float64Array(size);
    for (let t = 0; t < hidden.timesteps; t++)
      for (let u = 0; u < units; u++) transposed[u * hidden.timesteps + t] = slice[t * units + u];
    const scale = absMax(transposed);
    this.heatmap.set(
      {
        values: transposed,
        rows: units,
        cols: hidden.timesteps,
        scale,
        describe: (u, t, v) => `row ${row}, timestep ${t}, unit ${u}: ${fmt(v, 6)}`,
        label: `hidden state of row ${row} over ${hidden.timesteps} timesteps`,
      },
      `hₜ of row ${row}, layer ${layer + 1}: ${units} units × ${hidden.timesteps} timesteps (time →)`,
      state.theme.palette,
    );
    const rows = hidden.rows.map((r): [string, string] => [String(r), `row ${r}`]);
    return html`<h3 id="hidden-title">Hidden sequence over the timesteps</h3>
      <div class="controls">
        ${singleSelect('hidden-row', 'Row', rows, String(row), (v) => this.store.choose({ hiddenRow: Number(v) }))}
      </div>
      <div class="heatmap-row">${this.heatmap.element}${scaleLegend(scale)}</div>`;
  }
}
