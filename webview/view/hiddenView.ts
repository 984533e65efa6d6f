/** The per-timestep hidden sequence of one captured row (timesteps × units), when the run captured it. */
import type { BatchDetail } from '../../src/shared/channels/webviewChannel';
import { absMax } from '../model/continuity';
import { singleSelect, setOptions } from './controls';
import { fmt, h, setChildren } from './dom';
import { Heatmap, scaleLegend } from './heatmap';
import type { InspectorController } from './inspector';
import type { Palette } from './theme';

export class HiddenView {
  readonly element = h('section', { class: 'hidden-seq', 'data-testid': 'hidden-sequence', 'aria-labelledby': 'hidden-title' });
  private readonly heatmap = new Heatmap('hidden-heatmap', 420, 200);
  private readonly rowSelect;
  private rowsKey = '';

  constructor(private readonly app: InspectorController) {
    this.rowSelect = singleSelect('hidden-row', 'Row', [], '0', (v) => app.update({ hiddenRow: Number(v) }));
  }

  restyle(palette: Palette): void {
    this.heatmap.draw(palette);
  }

  render(detail: BatchDetail | null, layer: number | null): void {
    const hidden = detail && layer !== null ? detail.hidden?.[layer] ?? null : null;
    this.element.hidden = !hidden;
    if (!detail || !hidden || !hidden.rows.length) return;
    const units = hidden.values.length / (hidden.rows.length * hidden.timesteps);
    const wanted = this.app.ui().hiddenRow;
    const index = Math.max(0, hidden.rows.indexOf(wanted));
    const row = hidden.rows[index];
    const key = hidden.rows.join(',');
    if (key !== this.rowsKey) {
      this.rowsKey = key;
      setOptions(this.rowSelect.select, hidden.rows.map((r) => [String(r), `row ${r}`]), String(row));
    }
    const size = hidden.timesteps * units;
    const slice = hidden.values.slice(index * size, (index + 1) * size);
    // Stored [timestep][unit]; shown transposed so time runs left to right.
    const transposed = new Float64Array(size);
    for (let t = 0; t < hidden.timesteps; t++) for (let u = 0; u < units; u++) transposed[u * hidden.timesteps + t] = slice[t * units + u];
    const scale = absMax(transposed);
    this.heatmap.set({
      values: transposed, rows: units, cols: hidden.timesteps, scale,
      describe: (u, t, v) => `row ${row}, timestep ${t}, unit ${u}: ${fmt(v, 6)}`,
      label: `hidden state of row ${row} over ${hidden.timesteps} timesteps`,
    }, `hₜ of row ${row}, layer ${layer! + 1}: ${units} units × ${hidden.timesteps} timesteps (time →)`, this.app.palette());
    setChildren(this.element, h('h3', { id: 'hidden-title' }, 'Hidden sequence over the timesteps'), h('div', { class: 'controls' }, this.rowSelect.element), h('div', { class: 'heatmap-row' }, this.heatmap.element, scaleLegend(scale)));
  }
}
