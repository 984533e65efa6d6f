/**
 * Continuity of a stateful run: row i's final state in batch k beside row i's initial state in
 * batch k + 1, and their largest absolute difference (exactly 0 when the state was carried).
 */
import { html, nothing } from 'lit';
import { CAUSE_LABELS, type InitialStateCause } from '../../src/shared/causes';
import type { BatchDetail } from '../../src/shared/channels/webviewChannel';
import type { Palette } from '../state/theme';
import { absMax, maxAbsDiff } from '../numbers/continuity';
import { fmt } from '../numbers/format';
import type { PanelState } from '../state/panelState';
import { Heatmap, scaleLegend } from './heatmap';

const title = html`<h3 id="continuity-title">Continuity into the next batch</h3>`;

/** The continuity section of the inspector, with its three heatmaps. */
export class ContinuityView {
  private readonly final = new Heatmap('continuity-final', 200);
  private readonly next = new Heatmap('continuity-next', 200);
  private readonly rowDiff = new Heatmap('continuity-rowdiff', 24);

  restyle(palette: Palette): void {
    for (const map of [this.final, this.next, this.rowDiff]) map.draw(palette);
  }

  /** The section for `detail`'s batch and the next one (null: nothing selected, or its tensors are not here yet). */
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
    return section(false, this.content(state, detail, layer));
  }

  private content(state: PanelState, detail: BatchDetail, layer: number) {
    const {
      run,
      ui: { tensor },
      theme: { palette },
    } = state;
    const k = detail.step;
    const current = detail.layers[layer];
    const nextLayer = detail.next?.layers[layer] ?? null;
    if (!detail.next)
      return html`${title}
        <p class="muted">Step ${k} is the last recorded batch; there is no step ${k + 1} yet.</p>`;
    const nextCause = detail.next.cause as InitialStateCause;
    if (!current || !nextLayer) {
      return html`${title}
        <p class="muted">
          The full tensors of step ${current ? k + 1 : k} were not captured, so continuity cannot be shown; step
          ${k + 1} starts from: ${CAUSE_LABELS[nextCause] ?? nextCause}.
        </p>`;
    }
    const units = current.units;
    const finalValues = current[tensor];
    const nextValues = nextLayer[tensor === 'h' ? 'h0' : 'c0'];
    const rows = finalValues.length / units;
    const { perRow, max } = maxAbsDiff(finalValues, nextValues, rows, units);
    const scale = absMax(finalValues, nextValues);
    const record = run.record(k);
    const nextRecord = run.record(k + 1);
    const cell = (batch: number, samples: number[] | undefined) => (r: number, u: number, v: number) =>
      `step ${batch}, row ${r} (sample ${samples?.[r] ?? '?'}), unit ${u}: ${fmt(v, 6)}`;
    this.final.set(
      {
        values: finalValues,
        rows,
        cols: units,
        scale,
        describe: cell(k, record?.rows ?? undefined),
        label: `final ${tensor} of step ${k}`,
      },
      `${tensor} final, step ${k}`,
      palette,
    );
    this.next.set(
      {
        values: nextValues,
        rows,
        cols: units,
        scale,
        describe: cell(k + 1, nextRecord?.rows ?? undefined),
        label: `initial ${tensor} of step ${k + 1}`,
      },
      `${tensor}₀ initial, step ${k + 1}${nextValues.every((v) => v === 0) ? ' (all zeros)' : ''}`,
      palette,
    );
    this.rowDiff.set(
      {
        values: perRow,
        rows,
        cols: 1,
        scale: max || 1,
        describe: (r, _u, v) => `row ${r}: max |diff| ${fmt(v, 6)}`,
        label: 'largest absolute difference per row',
      },
      'max |diff| per row',
      palette,
    );
    const carried = nextCause === 'carried';
    const verdict = carried
      ? max === 0
        ? `Step ${k + 1} was carried: row i starts exactly where row i of step ${k} ended.`
        : `Step ${k + 1} is marked carried but its initial state differs from step ${k}'s final state — the record is inconsistent.`
      : `Step ${k + 1} starts from zeros (${CAUSE_LABELS[nextCause] ?? nextCause}): the state of step ${k} was dropped.`;
    return html`${title}
      <p class="continuity-result">
        max |${tensor} final(step ${k}) − ${tensor}₀ initial(step ${k + 1})| =
        <strong data-testid="continuity-maxdiff" data-value=${String(max)}>${max === 0 ? '0' : fmt(max, 6)}</strong>
        over ${rows} rows × ${units} units
      </p>
      <p class=${carried && max !== 0 ? 'error' : 'note'} data-testid="continuity-verdict" data-cause=${nextCause}>
        ${verdict}
      </p>
      <div class="heatmap-row">
        ${this.final.element}${this.next.element}${this.rowDiff.element}${scaleLegend(scale)}
      </div>`;
  }
}
