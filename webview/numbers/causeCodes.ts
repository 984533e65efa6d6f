/** Causes as small integer codes (index in CAUSES) and bit masks, for typed-array storage. */
import { CAUSES, type InitialStateCause } from '../../src/shared/causes';

/** Code of a cause: its index in CAUSES. */
export const CAUSE_CODE: Record<InitialStateCause, number> = Object.fromEntries(CAUSES.map((c, i) => [c, i])) as Record<
  InitialStateCause,
  number
>;

/** Bit of a cause in a column mask. */
export const causeBit = (cause: InitialStateCause): number => 1 << CAUSE_CODE[cause];

/** Causes drawn as reset markers: explicit zero starts of stateful runs (stateless `auto` gets a plain tick instead). */
export const MARKER_MASK =
  causeBit('first') | causeBit('epoch') | causeBit('schedule') | causeBit('manual') | causeBit('phase');

/** Causes of recorded scripts that are rare and telling: each batch gets a marker shape, however far out the zoom. */
export const RARE_MASK =
  causeBit('zeros') |
  causeBit('restored') |
  causeBit('permuted') |
  causeBit('partial') |
  causeBit('other') |
  causeBit('unreadable');

/**
 * Causes from most to least telling: a pixel column holding several takes the colour of the first,
 * and the timeline stacks them top to bottom in this order (resets nearest the markers).
 */
export const CAUSE_PRIORITY: readonly InitialStateCause[] = [
  'unreadable',
  'manual',
  'schedule',
  'epoch',
  'phase',
  'first',
  'zeros',
  'other',
  'partial',
  'permuted',
  'restored',
  'auto',
  'carried',
];

/** The cause a column with these bits is coloured by, or undefined for an empty mask. */
export function dominantCause(mask: number): InitialStateCause | undefined {
  return CAUSE_PRIORITY.find((cause) => mask & causeBit(cause));
}
