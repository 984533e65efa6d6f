/**
 * The legend: how each batch started, with its swatch (colour and shape), its count, and ▼ on the causes drawn
 * as reset markers. Each entry is a toggle: pressed, its cause is highlighted and `[` / `]` jump between its batches.
 */
import { html, nothing, svg } from 'lit';
import { CAUSES, CAUSE_LABELS, TRAINER_CAUSES, type InitialStateCause } from '../../src/shared/causes';
import { CAUSE_SHAPES } from '../canvas/causeShapes';
import { MARKER_MASK, causeBit } from '../numbers/causeCodes';
import type { RunModel } from '../state/runModel';

/** The swatch of a cause: its shape filled with its colour (the class sets the colour). */
export function causeSwatch(cause: InitialStateCause) {
  return html`<svg class="swatch swatch-${cause}" viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
    ${svg`<path d=${CAUSE_SHAPES[cause]} fill="currentColor" fill-rule="evenodd"></path>`}
  </svg>`;
}

/** The causes the legend lists for `run`: those it can have, plus any it did have. */
export function legendCauses(run: RunModel): InitialStateCause[] {
  // Of the trainer's causes, stateless runs only ever show `auto` and stateful runs never do; any other cause shows when it occurred.
  const recorded = run.manifest?.model.stateful === null;
  return CAUSES.filter(
    (c) =>
      (!recorded && TRAINER_CAUSES.includes(c) && (run.stateful ? c !== 'auto' : c === 'auto')) || run.counts[c] > 0,
  );
}

/** The legend's items for `run`; `toggle` is called with the cause clicked (null to clear). */
export function legendTemplate(
  run: RunModel,
  highlight: InitialStateCause | null,
  toggle: (cause: InitialStateCause | null) => void,
) {
  return legendCauses(run).map(
    (c) =>
      html`<li data-cause=${c}>
        <button
          type="button"
          class="legend-entry"
          data-testid="legend-button-${c}"
          aria-pressed=${highlight === c ? 'true' : 'false'}
          title=${
            highlight === c
              ? 'Click to stop highlighting'
              : `Highlight these batches; [ and ] on the timeline then jump between them`
          }
          @click=${() => toggle(highlight === c ? null : c)}
        >
          ${causeSwatch(c)}${CAUSE_LABELS[c]}: <strong data-testid="legend-${c}">${run.counts[c]}</strong>${
            MARKER_MASK & causeBit(c) ? html`<span class="marker-hint" aria-hidden="true"> ▼</span>` : nothing
          }
        </button>
      </li>`,
  );
}
