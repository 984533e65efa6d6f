/** Per-row L2 norms of a batch's states, shown when its full tensors were not captured. */
import { html } from 'lit';
import type { BatchDetail } from '../../src/shared/channels/webviewChannel';
import { fmt } from '../numbers/format';

/** Rows shown at most: the norms of a huge batch stay readable. */
const MAX_ROWS = 64;

/** The table of ‖h₀‖, ‖c₀‖, ‖h‖, ‖c‖ per row of `layer`. */
export function normsTable(detail: BatchDetail, layer: number, hasCell = true) {
  const norms = detail.norms[layer];
  const shown = Math.min(norms.h.length, MAX_ROWS);
  const columns = hasCell ? [norms.h0, norms.c0, norms.h, norms.c] : [norms.h0, norms.h];
  const headings = hasCell ? ['row', '‖h₀‖', '‖c₀‖', '‖h‖', '‖c‖'] : ['row', '‖h₀‖', '‖h‖'];
  return html`<table class="norms">
    <caption>
      Per-row L2 norms, layer ${layer + 1}${shown < norms.h.length ? ` (first ${shown} of ${norms.h.length} rows)` : ''}
    </caption>
    <thead>
      <tr>
        ${headings.map((t) => html`<th scope="col">${t}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${Array.from(
        { length: shown },
        (_, r) =>
          html`<tr>
            <th scope="row">${r}</th>
            ${columns.map((v) => html`<td>${fmt(v[r])}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}
