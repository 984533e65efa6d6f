/**
 * A shape per cause, so that causes stay apart where colour alone does not (colour-vision
 * deficiencies, print): SVG path data in a 12 × 12 box, drawn by the timeline's markers and the legend.
 */
import type { InitialStateCause } from '../../src/shared/causes';

/** Path data (12 × 12 box, even-odd fill) of each cause's marker shape. */
export const CAUSE_SHAPES: Record<InitialStateCause, string> = {
  auto: 'M5 0h2v12h-2z', // a plain tick: a reset at every batch
  first: 'M6 1a5 5 0 1 0 .01 0z', // a disc
  epoch: 'M0.5 1h11l-5.5 10z', // a triangle pointing down
  schedule: 'M1.5 1.5h9v9h-9z', // a square
  manual: 'M6 0l6 6-6 6-6-6z', // a diamond
  phase: 'M0.5 4.5h11v3h-11z', // a bar: zeroed where one phase hands over to the next
  zeros: 'M6 1a5 5 0 1 0 .01 0zM6 3.5a2.5 2.5 0 1 1-.01 0z', // a ring
  carried: 'M2.5 0.5l2.5-0.5 6 6-6 6-2.5-0.5 5-5.5z', // a chevron: row i goes on
  restored: 'M6 1l5.5 10h-11z', // a triangle pointing up
  permuted: 'M0.5 2.5l2-2 3.5 3.5 3.5-3.5 2 2-3.5 3.5 3.5 3.5-2 2-3.5-3.5-3.5 3.5-2-2 3.5-3.5z', // a cross
  partial: 'M1.5 1.5h9v9h-9zM3 3v6h3v-6z', // a half-filled square
  other: 'M4.5 0.5h3v4h4v3h-4v4h-3v-4h-4v-3h4z', // a plus
  unreadable: 'M1 1h10v10h-10zM2 4.5l2.5-2.5 5.5 5.5-2.5 2.5z', // a struck-through square
};

const paths = new Map<InitialStateCause, Path2D>();

/** Fills the cause's shape centred at (`x`, `y`), `size` device pixels across. */
export function drawCauseShape(
  ctx: CanvasRenderingContext2D,
  cause: InitialStateCause,
  x: number,
  y: number,
  size: number,
): void {
  let path = paths.get(cause);
  if (!path) paths.set(cause, (path = new Path2D(CAUSE_SHAPES[cause])));
  const scale = size / 12;
  ctx.save();
  ctx.translate(x - size / 2, y - size / 2);
  ctx.scale(scale, scale);
  ctx.fill(path, 'evenodd');
  ctx.restore();
}
