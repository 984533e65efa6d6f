/** The legend: how each batch started, with its swatch, its count, and ▼ on the causes drawn as reset markers. */
import { html, nothing } from 'lit';
import { CAUSES, CAUSE_LABELS, TRAINER_CAUSES } from '../../src/shared/causes';
import { MARKER_MASK, causeBit } from '../numbers/causeCodes';
import type { RunModel } from '../state/runModel';

/** The legend's items for `run`: the causes it can have, plus any it did have. */
export function legendTemplate(run: RunModel) {
  // Of the trainer's causes, stateless runs only ever show `auto` and stateful runs never do; any other cause shows when it occurred.
  const causes = CAUSES.filter(
    (c) => (TRAINER_CAUSES.includes(c) && (run.stateful ? c !== 'auto' : c === 'auto')) || run.counts[c] > 0,
  );
  return causes.map(
    (c) =>
      html`<li data-cause=${c}>
        <span class="swatch swatch-${c}" aria-hidden="true"></span>${CAUSE_LABELS[c]}:
        <strong data-testid="legend-${c}">${run.counts[c]}</strong>${
          MARKER_MASK & causeBit(c) ? html`<span class="marker-hint" aria-hidden="true"> ▼</span>` : nothing
        }
      </li>`,
  );
}
