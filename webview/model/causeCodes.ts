/** Causes as small integer codes (index in CAUSES) and bit masks, for typed-array storage. */
import { CAUSES, type InitialStateCause } from '../../src/shared/causes';

/** Code of a cause: its index in CAUSES. */
export const CAUSE_CODE: Record<InitialStateCause, number> = Object.fromEntries(CAUSES.map((c, i) => [c, i])) as Record<InitialStateCause, number>;

/** Bit of a cause in a column mask. */
export const causeBit = (cause: InitialStateCause): number => 1 << CAUSE_CODE[cause];

/** Causes drawn as reset markers: explicit zero starts of stateful runs (stateless `auto` would be a wall of markers). */
export const MARKER_MASK = causeBit('first') | causeBit('epoch') | causeBit('schedule') | causeBit('manual');

// When a pixel column holds several causes it takes the colour of the most telling one.
const PRIORITY: InitialStateCause[] = ['manual', 'schedule', 'epoch', 'first', 'auto', 'carried'];

/** The cause a column with these bits is coloured by, or undefined for an empty mask. */
export function dominantCause(mask: number): InitialStateCause | undefined {
  return PRIORITY.find((cause) => mask & causeBit(cause));
}
