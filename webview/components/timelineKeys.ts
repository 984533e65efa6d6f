/** What a key does on the focused timeline: step, jump by epoch or reset, zoom. */
import type { InitialStateCause } from '../../src/shared/causes';
import { CAUSE_CODE, MARKER_MASK, RARE_MASK } from '../numbers/causeCodes';
import { zoomAt, type Viewport } from '../numbers/viewport';
import type { RunModel } from '../state/runModel';

/** The outcome of a key: a batch to select (clamped to the run), and/or a new view. */
export interface KeyOutcome {
  step?: number;
  viewport?: Viewport;
  /** End: jump to the newest batch and follow the run again. */
  follow?: boolean;
}

/** What `key` does with batch `current` selected (null: none yet); null for keys the timeline does not use. */
export function timelineKey(
  key: string,
  shift: boolean,
  run: RunModel,
  current: number | null,
  v: Viewport,
  highlight: InitialStateCause | null = null,
): KeyOutcome | null {
  const n = run.length;
  const at = current ?? n - 1;
  switch (key) {
    case 'ArrowLeft':
      return { step: current === null ? n - 1 : at - (shift ? 10 : 1) };
    case 'ArrowRight':
      return { step: current === null ? 0 : at + (shift ? 10 : 1) };
    case 'Home':
      return { step: 0 };
    case 'End':
      return { step: n - 1, follow: true };
    case 'PageUp': {
      const e0 = run.epochIndexOf(at);
      return { step: run.epochStarts[run.epochStarts[e0] === at ? Math.max(0, e0 - 1) : e0] };
    }
    case 'PageDown':
      return { step: run.epochStarts[run.epochIndexOf(at) + 1] ?? n - 1 };
    case '[':
      return { step: findMarked(run, at - 1, -1, highlight) };
    case ']':
      return { step: findMarked(run, at + 1, 1, highlight) };
    case '+':
    case '=':
      return {
        viewport: zoomAt(v, current === null ? 0.5 : (at + 0.5 - v.start) / (v.end - v.start), 0.5, run.domain),
      };
    case '-':
    case '_':
      return { viewport: zoomAt(v, 0.5, 2, run.domain) };
    default:
      return null;
  }
}

/**
 * The nearest batch from `from` in direction `dir` of the highlighted cause, or without one, that
 * has a marker (a reset or a rare cause); undefined when there is none.
 */
export function findMarked(
  run: RunModel,
  from: number,
  dir: 1 | -1,
  highlight: InitialStateCause | null,
): number | undefined {
  const mask = highlight ? 1 << CAUSE_CODE[highlight] : MARKER_MASK | RARE_MASK;
  for (let i = from; i >= 0 && i < run.length; i += dir) if (mask & (1 << run.cause[i])) return i;
  return undefined;
}
