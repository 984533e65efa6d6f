/**
 * Continuity: the selected batch k's final state beside the initial state of the batch that continues it
 * (the one whose `carriedFrom` is k, of any phase, else the next batch of k's phase), row by row through
 * `rowSources` when the rows were reordered, and their largest absolute difference (exactly 0 when carried).
 */
import { html, nothing } from 'lit';
import type { BatchDetail } from '../../src/shared/channels/webviewChannel';
import type { BatchRecord } from '../../src/shared/runFormat';
import { absMax } from '../numbers/continuity';
import { fmt } from '../numbers/format';
import { CAUSE_REASONS, phaseName } from '../state/describe';
import type { DetailState, PanelState } from '../state/panelState';
import type { Palette } from '../state/theme';
import { Heatmap, scaleLegend } from './heatmap';

const title = html`<h3 id="continuity-title">Continuity into the next batch</h3>`;

/** For each row of the successor, the row of k it continues (rowSources, else the same row), or null. */
export function sourceRows(next: BatchRecord, k: number, rowsOfK: number): Array<number | null> {
  const carries = next.carriedFrom === k;
  return Array.from({ length: next.rowCount }, (_, i) => {
    const source = carries && next.rowSources ? next.rowSources[i] : i;
    return source !== null && source < rowsOfK ? source : null;
  });
}

/** Per row of the successor, max |final_k[source] − initial_next[row]|; NaN for a row that continues no row of k. */
export function rowDifferences(
  final: ArrayLike<number>,
  initial: ArrayLike<number>,
  sources: Array<number | null>,
  units: number,
): { perRow: Float64Array; max: number } {
  const perRow = new Float64Array(sources.length);
  let max = 0;
  sources.forEach((source, r) => {
    if (source === null) {
      perRow[r] = Number.NaN;
      return;
    }
    let m = 0;
    for (let u = 0; u < units; u++) m = Math.max(m, Math.abs(final[source * units + u] - initial[r * units + u]));
    perRow[r] = m;
    max = Math.max(max, m);
  });
  return { perRow, max };
}

/** The continuity section of the inspector, with its three heatmaps. */
export class ContinuityView {
  private readonly final = new Heatmap('continuity-final', 200);
  private readonly next = new Heatmap('continuity-next', 200);
  private readonly rowDiff = new Heatmap('continuity-rowdiff', 24);

  restyle(palette: Palette): void {
    for (const map of [this.final, this.next, this.rowDiff]) map.draw(palette);
  }

  /** The section for `detail`'s batch and its successor (null: nothing selected, or its tensors are not here yet). */
  template(state: PanelState, detail: BatchDetail | null, layer: number | null) {
    const section = (hidden: boolean, content: unknown) =>
      html`<section class="continuity" data-testid="continuity" aria-labelledby="continuity-title" ?hidden=${hidden}>
        ${content}
      </section>`;
    if (!state.run.stateful)
      return section(
        false,
        html`${title}
          <p class="muted">
            Stateless run: every batch starts from zeros, so nothing is carried from one batch to the next.
          </p>`,
      );
    if (!detail || layer === null) return section(true, nothing);
    return section(false, this.content(state, detail, state.successor, layer));
  }

  private content(state: PanelState, detail: BatchDetail, successor: DetailState, layer: number) {
    const { run, theme } = state;
    const tensor = run.manifest?.model.states.includes('c') ? state.ui.tensor : 'h';
    const k = detail.step;
    if (successor.step === null)
      return html`${title}
        <p class="muted">Step ${k} is the last recorded batch of its phase; no batch continues it yet.</p>`;
    const s = successor.step;
    // The records with their rows and row sources (a snapshot's columns leave them to the batch's detail).
    const nextRecord = 'detail' in successor ? run.fullRecord(s, successor.detail) : undefined;
    if (!('detail' in successor) || !nextRecord)
      return html`${title}
        <p class="muted">${'message' in successor ? successor.message : `Loading step ${s}…`}</p>`;
    const current = detail.layers[layer];
    const nextLayer = successor.detail.layers[layer];
    const start = nextRecord.carriedFrom === k ? 'carried' : nextRecord.cause;
    if (!current || !nextLayer)
      return html`${title}
        <p class="muted">
          The full tensors of step ${current ? s : k} were not captured, so continuity cannot be shown; step ${s} starts
          from: ${start === 'carried' ? `step ${k}'s final state` : CAUSE_REASONS[nextRecord.cause]}.
        </p>`;
    const units = current.units;
    const finalValues = current[tensor];
    const nextValues = nextLayer[tensor === 'h' ? 'h0' : 'c0'];
    const rowsK = finalValues.length / units;
    const sources = sourceRows(nextRecord, k, rowsK);
    const { perRow, max } = rowDifferences(finalValues, nextValues, sources, units);
    const scale = absMax(finalValues, nextValues);
    const record = run.fullRecord(k, detail);
    const cell = (batch: number, samples: number[] | null | undefined) => (r: number, u: number, v: number) =>
      `step ${batch}, row ${r} (sample ${samples?.[r] ?? '—'}), unit ${u}: ${fmt(v, 6)}`;
    const palette = theme.palette;
    this.final.set(
      {
        values: finalValues,
        rows: rowsK,
        cols: units,
        scale,
        describe: cell(k, record?.rows),
        label: `final ${tensor} of step ${k}`,
      },
      `${tensor} final, step ${k}`,
      palette,
    );
    this.next.set(
      {
        values: nextValues,
        rows: nextRecord.rowCount,
        cols: units,
        scale,
        describe: cell(s, nextRecord.rows),
        label: `initial ${tensor} of step ${s}`,
      },
      `${tensor}₀ initial, step ${s}${nextValues.every((v) => v === 0) ? ' (all zeros)' : ''}`,
      palette,
    );
    this.rowDiff.set(
      {
        values: perRow,
        rows: perRow.length,
        cols: 1,
        scale: max || 1,
        describe: (r, _u, v) =>
          sources[r] === null
            ? `row ${r}: continues no row of step ${k}`
            : `row ${r} (from row ${sources[r]}): max |diff| ${fmt(v, 6)}`,
        label: 'largest absolute difference per row',
      },
      'max |diff| per row',
      palette,
    );
    const phase = run.phaseOf(s) !== run.phaseOf(k) ? ` (${phaseName(run.phaseOf(s))})` : '';
    const carried = nextRecord.carriedFrom === k;
    const reordered = carried && nextRecord.rowSources !== null;
    const verdict = carried
      ? max === 0
        ? `Step ${s}${phase} ${nextRecord.cause === 'restored' ? 'restores' : 'continues'} step ${k}: ${reordered ? 'each row starts exactly where its source row (below) of' : 'row i starts exactly where row i of'} step ${k} ended.`
        : `Step ${s} is marked ${nextRecord.cause} from step ${k} but its initial state differs from step ${k}'s final state — the record is inconsistent.`
      : nextRecord.carriedFrom !== null
        ? `Step ${s}${phase} starts from step ${nextRecord.carriedFrom}'s state, not step ${k}'s: the state of step ${k} was not carried on.`
        : nextRecord.cause === 'other'
          ? `Step ${s}${phase} starts from a state equal to no earlier one (learned or random): the state of step ${k} was dropped.`
          : `Step ${s}${phase} starts from zeros (${CAUSE_REASONS[nextRecord.cause]}): the state of step ${k} was dropped.`;
    return html`${title}
      <p class="continuity-result">
        max |${tensor} final(step ${k}) − ${tensor}₀ initial(step ${s})| =
        <strong data-testid="continuity-maxdiff" data-value=${String(max)}>${max === 0 ? '0' : fmt(max, 6)}</strong>
        over ${sources.filter((x) => x !== null).length} rows × ${units} units
      </p>
      <p
        class=${carried && max !== 0 ? 'error' : 'note'}
        data-testid="continuity-verdict"
        data-cause=${nextRecord.cause}
        data-next=${s}
      >
        ${verdict}
      </p>
      ${reordered ? html`<p class="muted" data-testid="row-sources">Rows of step ${s} ← rows of step ${k}: ${rowSourceText(sources)}</p>` : nothing}
      <div class="heatmap-row">
        ${this.final.element}${this.next.element}${this.rowDiff.element}${scaleLegend(scale)}
      </div>`;
  }
}

/** "0←3, 1←0, 2←— …" (at most 24 rows). */
export function rowSourceText(sources: Array<number | null>): string {
  const shown = sources.slice(0, 24).map((s, i) => `${i}←${s ?? '—'}`);
  return shown.join(', ') + (sources.length > 24 ? `, … (${sources.length} rows)` : '');
}
