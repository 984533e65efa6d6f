/** The batches of note of each filter of the events list, found once and extended as the run grows (not rescanned per frame). */
import { CAUSE_CODE, MARKER_MASK } from '../numbers/causeCodes';
import type { InitialStateCause } from '../../src/shared/causes';
import { MARK_FLAGGED, MARK_NON_FINITE, type RunModel } from './runModel';
import type { EventFilter } from './uiState';

const ZERO_STARTS = MARKER_MASK | (1 << CAUSE_CODE.auto) | (1 << CAUSE_CODE.zeros);

/** Whether step i passes `filter`. */
function testOf(run: RunModel, filter: EventFilter): (i: number) => boolean {
  if (filter === 'resets')
    // Every zero start: resets, a stateless layer's (every batch of a Keras stateless run), a script's zeros.
    return (i) => (ZERO_STARTS & (1 << run.cause[i])) !== 0;
  if (filter === 'nonFinite') return (i) => (run.marks[i] & MARK_NON_FINITE) !== 0;
  if (filter === 'flagged') return (i) => (run.marks[i] & MARK_FLAGGED) !== 0;
  const code = CAUSE_CODE[filter as InitialStateCause];
  return (i) => run.cause[i] === code;
}

/** The steps that `filter` selects in `run`, ascending: scanned from scratch. */
export function eventSteps(run: RunModel, filter: EventFilter): number[] {
  const test = testOf(run, filter);
  const steps: number[] = [];
  for (let i = 0; i < run.length; i++) if (test(i)) steps.push(i);
  return steps;
}

/** Per filter, the steps found so far in the run as loaded (`RunModel.loads`) up to `scanned`. */
export class EventIndex {
  private readonly found = new Map<EventFilter, { loads: number; scanned: number; steps: number[] }>();

  /** The steps `filter` selects; only the batches added since the last call are looked at. */
  steps(run: RunModel, filter: EventFilter): { filter: EventFilter; steps: number[] } {
    let found = this.found.get(filter);
    if (!found || found.loads !== run.loads || found.scanned > run.length) {
      found = { loads: run.loads, scanned: 0, steps: [] };
      this.found.set(filter, found);
    }
    const test = testOf(run, filter);
    for (let i = found.scanned; i < run.length; i++) if (test(i)) found.steps.push(i);
    found.scanned = run.length;
    return { filter, steps: found.steps };
  }
}
