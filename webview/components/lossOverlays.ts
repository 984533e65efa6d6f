/** What the loss chart draws over uPlot's series: per-epoch mean losses, and a marker at every non-finite loss. */
import type uPlot from 'uplot';
import type { Viewport } from '../numbers/viewport';
import { MARK_NON_FINITE, type RunModel } from '../state/runModel';
import type { Palette } from '../state/theme';

/** Dashed segments over each ended epoch's batches at its mean training loss, and at its mean validation loss. */
export function drawEpochMeans(u: uPlot, run: RunModel, palette: Palette): void {
  const { ctx } = u;
  const dpr = window.devicePixelRatio || 1;
  const index = new Map(run.epochNumbers.map((epoch, i) => [epoch, i]));
  const top = u.bbox.top;
  const bottom = u.bbox.top + u.bbox.height;
  ctx.save();
  ctx.beginPath();
  ctx.rect(u.bbox.left, top, u.bbox.width, u.bbox.height);
  ctx.clip();
  ctx.lineWidth = 1.5 * dpr;
  ctx.setLineDash([4 * dpr, 3 * dpr]);
  for (const { epoch, meanLoss, validation } of run.epochLosses) {
    const k = index.get(epoch);
    if (k === undefined) continue;
    const x0 = u.valToPos(run.epochStarts[k], 'x', true);
    const x1 = u.valToPos(run.epochStarts[k + 1] ?? run.length, 'x', true);
    for (const [value, color] of [
      [meanLoss, palette.loss],
      [validation?.meanLoss, palette.validation],
    ] as const) {
      if (value === undefined || !Number.isFinite(value)) continue;
      const y = u.valToPos(value, 'y', true);
      if (!(y >= top && y <= bottom)) continue;
      ctx.strokeStyle = color;
      ctx.beginPath();
      ctx.moveTo(x0, y);
      ctx.lineTo(x1, y);
      ctx.stroke();
    }
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
  let lastX = Number.NEGATIVE_INFINITY;
  ctx.save();
  ctx.fillStyle = palette.nonFinite;
  ctx.strokeStyle = palette.nonFinite;
  ctx.lineWidth = dpr;
  ctx.setLineDash([2 * dpr, 2 * dpr]);
  for (let i = from; i < to; i++) {
    if (!(run.marks[i] & MARK_NON_FINITE)) continue;
    const x = Math.round(u.valToPos(i + 0.5, 'x', true));
    if (x - lastX < 2 * size) continue;
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
  ctx.restore();
}
