/** What the loss chart draws over uPlot's series: per-epoch mean losses, and a marker at every non-finite loss. */
import type uPlot from 'uplot';
import type { Viewport } from '../numbers/viewport';
import { MARK_NON_FINITE, type RunModel } from '../state/runModel';
import type { Palette } from '../state/theme';

/** Epoch losses by epoch, made once per list (the run replaces the list when new ones arrive). */
const byEpoch = new WeakMap<RunModel['epochLosses'], Map<number, RunModel['epochLosses'][number]>>();

/**
 * Dashed segments over each ended epoch's batches at its mean training loss, and at its mean validation
 * loss: the epochs in `view` only, one path per colour (ten thousand epochs at full zoom-out).
 */
export function drawEpochMeans(u: uPlot, run: RunModel, palette: Palette, view: Viewport): void {
  if (!run.epochLosses.length || !run.epochStarts.length) return;
  let index = byEpoch.get(run.epochLosses);
  if (!index) byEpoch.set(run.epochLosses, (index = new Map(run.epochLosses.map((e) => [e.epoch, e]))));
  const { ctx } = u;
  const dpr = window.devicePixelRatio || 1;
  const top = u.bbox.top;
  const bottom = u.bbox.top + u.bbox.height;
  ctx.save();
  ctx.beginPath();
  ctx.rect(u.bbox.left, top, u.bbox.width, u.bbox.height);
  ctx.clip();
  ctx.lineWidth = 1.5 * dpr;
  ctx.setLineDash([4 * dpr, 3 * dpr]);
  const first = run.epochIndexOf(Math.max(0, Math.floor(view.start)));
  for (const [color, valueOf] of [
    [palette.loss, (e: RunModel['epochLosses'][number]) => e.meanLoss],
    [palette.validation, (e: RunModel['epochLosses'][number]) => e.validation?.meanLoss],
  ] as const) {
    ctx.strokeStyle = color;
    ctx.beginPath();
    for (let k = first; k < run.epochStarts.length && run.epochStarts[k] < view.end; k++) {
      const loss = index.get(run.epochNumbers[k]);
      const value = loss && valueOf(loss);
      if (value === undefined || !Number.isFinite(value)) continue;
      const y = u.valToPos(value, 'y', true);
      if (!(y >= top && y <= bottom)) continue;
      ctx.moveTo(u.valToPos(run.epochStarts[k], 'x', true), y);
      ctx.lineTo(u.valToPos(run.epochStarts[k + 1] ?? run.length, 'x', true), y);
    }
    ctx.stroke();
  }
  ctx.restore();
}

/**
 * A non-finite loss is a gap in the line (its value is null there) and this marker: a triangle at
 * the top (NaN, +Infinity) or the bottom (−Infinity) of the plot, with a dotted line through it.
 */
export function drawNonFinite(u: uPlot, run: RunModel, view: Viewport, palette: Palette): void {
  if (!run.nonFinite) return;
  const { ctx } = u;
  const dpr = window.devicePixelRatio || 1;
  const from = Math.max(0, Math.floor(view.start));
  const to = Math.min(run.length, Math.ceil(view.end));
  const top = u.bbox.top;
  const bottom = u.bbox.top + u.bbox.height;
  const size = 5 * dpr;
  /** The first batch at or right of canvas x (device pixels). */
  const batchAt = (x: number) => Math.floor(u.posToVal((x - u.bbox.left) / dpr, 'x'));
  ctx.save();
  ctx.fillStyle = palette.nonFinite;
  ctx.strokeStyle = palette.nonFinite;
  ctx.lineWidth = dpr;
  ctx.setLineDash([2 * dpr, 2 * dpr]);
  // Marked batches are found block by block; after a marker the search skips the batches it would overlap.
  let lastX = Number.NEGATIVE_INFINITY;
  for (let i = run.blocks.nextMarked(run.marks, MARK_NON_FINITE, from, to); i >= 0;) {
    const x = Math.round(u.valToPos(i + 0.5, 'x', true));
    if (x - lastX >= 2 * size) {
      lastX = x;
      const down = run.loss[i] === Number.NEGATIVE_INFINITY;
      ctx.beginPath();
      ctx.moveTo(x + 0.5, top);
      ctx.lineTo(x + 0.5, bottom);
      ctx.stroke();
      const y = down ? bottom : top;
      const dir = down ? -1 : 1;
      ctx.beginPath();
      ctx.moveTo(x - size, y);
      ctx.lineTo(x + size, y);
      ctx.lineTo(x, y + dir * size * 1.6);
      ctx.closePath();
      ctx.fill();
    }
    i = run.blocks.nextMarked(run.marks, MARK_NON_FINITE, Math.max(i + 1, batchAt(lastX + 2 * size) - 1), to);
  }
  ctx.restore();
}
