/**
 * Paints the batch timeline on a canvas, in device pixels: epochs, reset markers, causes, initial-state norm.
 * A pure function of its arguments; the buffers it fills are the caller's, reused from frame to frame.
 */
import type { InitialStateCause } from '../../src/shared/causes';
import { CAUSES } from '../../src/shared/causes';
import { CAUSE_CODE, CAUSE_PRIORITY, MARKER_MASK, dominantCause } from '../numbers/causeCodes';
import { CAUSE_SLOTS, downsample, type Columns } from '../numbers/downsample';
import type { Viewport } from '../numbers/viewport';
import type { RunModel } from '../state/runModel';
import type { Palette } from '../state/theme';

/** Size of the canvas and the gutters that align the plot with the loss chart, in CSS pixels. */
export interface TimelineLayout {
  width: number;
  height: number;
  dpr: number;
  left: number;
  right: number;
}

/** Vertical tracks, in CSS pixels. */
export const TRACKS = {
  epoch: { y: 0, h: 16, label: 'epoch' },
  marker: { y: 16, h: 12, label: 'resets' },
  band: { y: 30, h: 22, label: 'start' },
  norm: { y: 56, h: 38, label: '‖h₀‖' },
} as const;
/** Height of the timeline canvas in CSS pixels (media/timeline.css gives `.timeline` the same). */
export const TIMELINE_HEIGHT = 98;

/** What to draw. */
export interface TimelineScene {
  model: RunModel;
  viewport: Viewport;
  selected: number | null;
  hover: number | null;
  palette: Palette;
  font: string;
}

/** Scratch memory of one timeline, kept by its view so that drawing a frame allocates nothing. */
export interface TimelineBuffers {
  /** The batches per pixel column when zoomed out (the tooltips read them); undefined when zoomed in. */
  columns: Columns | undefined;
  /** Stack geometry per [column * CAUSE_SLOTS + code]. */
  stackTops: Float32Array;
  stackHeights: Float32Array;
}

/** Empty buffers; they grow to the canvas width on first use. */
export function timelineBuffers(): TimelineBuffers {
  return { columns: undefined, stackTops: new Float32Array(0), stackHeights: new Float32Array(0) };
}

/** Draws the scene; `buffers.columns` then holds the columns used when zoomed out, else undefined. */
export function drawTimeline(
  ctx: CanvasRenderingContext2D,
  layout: TimelineLayout,
  scene: TimelineScene,
  buffers: TimelineBuffers,
): void {
  const { dpr } = layout;
  const { model, viewport, palette } = scene;
  const W = Math.round(layout.width * dpr);
  const H = Math.round(layout.height * dpr);
  const x0 = Math.round(layout.left * dpr);
  const plotW = Math.max(1, W - x0 - Math.round(layout.right * dpr));
  const span = viewport.end - viewport.start;
  const px = (batch: number) => x0 + ((batch - viewport.start) / span) * plotW;
  const y = (track: { y: number; h: number }) => [Math.round(track.y * dpr), Math.round(track.h * dpr)] as const;
  const [bandY, bandH] = y(TRACKS.band);
  const [markY, markH] = y(TRACKS.marker);
  const [normY, normH] = y(TRACKS.norm);
  const normScale = model.normMax > 0 ? normH / model.normMax : 0;

  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, W, H);
  ctx.font = `${10 * dpr}px ${scene.font}`;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  ctx.fillStyle = palette.muted;
  for (const track of Object.values(TRACKS)) ctx.fillText(track.label, x0 - 6 * dpr, (track.y + track.h / 2) * dpr);
  ctx.fillStyle = palette.grid;
  ctx.fillRect(x0, normY + normH, plotW, Math.max(1, dpr | 0));

  const n = model.length;
  const previous = buffers.columns;
  buffers.columns = undefined;
  ctx.save();
  ctx.beginPath();
  ctx.rect(x0, 0, plotW, H);
  ctx.clip();
  if (n === 0) {
    ctx.textAlign = 'left';
    ctx.fillStyle = palette.muted;
    ctx.fillText('waiting for the first batch…', x0 + 8 * dpr, bandY + bandH / 2);
  } else if (span / plotW >= 1) {
    buffers.columns = downsample(model.norm0, model.cause, n, viewport.start, viewport.end, plotW, previous);
    drawColumns(
      ctx,
      buffers.columns,
      x0,
      { bandY, bandH, markY, markH, normY, normH, normScale, dpr },
      palette,
      buffers,
    );
  } else {
    drawBatches(ctx, scene, px, { bandY, bandH, markY, markH, normY, normH, normScale, dpr });
  }
  drawEpochs(ctx, scene, px, H, dpr, x0 + plotW);
  if (model.live && n < model.domain) {
    // "Now": where the next batch will appear.
    ctx.fillStyle = palette.focus;
    ctx.fillRect(Math.round(px(n)), markY, Math.max(1, dpr | 0), normY + normH - markY);
  }
  drawCursor(ctx, scene.hover, px, H, palette.muted, false, dpr);
  drawCursor(ctx, scene.selected, px, H, palette.focus, true, dpr, palette.selection);
  ctx.restore();
}

interface Geometry {
  bandY: number;
  bandH: number;
  markY: number;
  markH: number;
  normY: number;
  normH: number;
  normScale: number;
  dpr: number;
}

// Stacked top to bottom: resets nearest the markers, the common causes below.
const STACK = CAUSE_PRIORITY;

function drawColumns(
  ctx: CanvasRenderingContext2D,
  cols: Columns,
  x0: number,
  g: Geometry,
  palette: Palette,
  buffers: TimelineBuffers,
): void {
  // Each column is a stack of its causes in proportion, every present cause at least one device
  // pixel tall, so a lone reset among a thousand carried batches still shows in the band.
  const minH = Math.max(1, Math.round(g.dpr));
  const size = cols.width * CAUSE_SLOTS;
  if (buffers.stackHeights.length !== size) {
    buffers.stackTops = new Float32Array(size);
    buffers.stackHeights = new Float32Array(size);
  } else buffers.stackHeights.fill(0);
  const tops = buffers.stackTops;
  const heights = buffers.stackHeights;
  for (let c = 0; c < cols.width; c++) {
    const total = cols.count[c];
    if (!total) continue;
    let y = g.bandY;
    let left = g.bandH;
    let present = 0;
    for (const cause of STACK) if (cols.byCause[c * CAUSE_SLOTS + CAUSE_CODE[cause]]) present++;
    for (const cause of STACK) {
      const k = c * CAUSE_SLOTS + CAUSE_CODE[cause];
      const n = cols.byCause[k];
      if (!n) continue;
      present--;
      // The last cause present takes what is left; the others their share, leaving room for the rest.
      const h =
        present === 0 ? left : Math.min(left - present * minH, Math.max(minH, Math.round((n / total) * g.bandH)));
      tops[k] = y;
      heights[k] = h;
      y += h;
      left -= h;
    }
  }
  for (const cause of STACK) {
    ctx.fillStyle = palette.cause[cause];
    const code = CAUSE_CODE[cause];
    for (let c = 0; c < cols.width; c++) {
      const h = heights[c * CAUSE_SLOTS + code];
      if (h > 0) ctx.fillRect(x0 + c, tops[c * CAUSE_SLOTS + code], 1, h);
    }
  }

  ctx.fillStyle = palette.foreground;
  const base = g.normY + g.normH;
  for (let c = 0; c < cols.width; c++) {
    if (!cols.count[c]) continue;
    const top = base - cols.max[c] * g.normScale;
    const bottom = base - cols.min[c] * g.normScale;
    ctx.fillRect(x0 + c, Math.floor(top), 1, Math.max(1, Math.ceil(bottom - top)));
  }

  // Every column holding a reset gets a tick; heads are added where there is room.
  let lastHead = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < cols.width; c++) {
    const mask = cols.mask[c] & MARKER_MASK;
    if (!mask) continue;
    const cause = dominantCause(mask) as InitialStateCause;
    ctx.fillStyle = palette.cause[cause];
    ctx.fillRect(x0 + c, g.markY, 1, g.markH);
    if (c - lastHead >= 7 * g.dpr) {
      markerHead(ctx, x0 + c + 0.5, g.markY, g.markH * 0.6);
      lastHead = c;
    }
  }
}

function drawBatches(
  ctx: CanvasRenderingContext2D,
  scene: TimelineScene,
  px: (b: number) => number,
  g: Geometry,
): void {
  const { model, viewport, palette } = scene;
  const from = Math.max(0, Math.floor(viewport.start));
  const to = Math.min(model.length, Math.ceil(viewport.end));
  const base = g.normY + g.normH;
  for (let i = from; i < to; i++) {
    const a = Math.round(px(i));
    const b = Math.round(px(i + 1));
    const gap = b - a > 6 * g.dpr ? Math.round(g.dpr) : 0;
    const cause = CAUSES[model.cause[i]];
    ctx.fillStyle = palette.cause[cause];
    ctx.fillRect(a + gap, g.bandY, Math.max(1, b - a - gap), g.bandH);
    const value = model.norm0[i] * g.normScale;
    ctx.fillStyle = palette.foreground;
    ctx.fillRect(a + gap, Math.floor(base - value), Math.max(1, b - a - gap), Math.max(1, Math.ceil(value)));
    if (MARKER_MASK & (1 << model.cause[i])) {
      // The reset happens at the boundary before the batch: a line from the marker down through the tracks.
      ctx.fillStyle = palette.cause[cause];
      ctx.fillRect(a, g.markY, Math.max(1, Math.round(g.dpr)), base - g.markY);
      markerHead(ctx, a + 0.5, g.markY, g.markH * 0.6);
    } else if (cause === 'carried' && b - a >= 16 * g.dpr) {
      // A chevron at the boundary says "row i continues row i of the previous batch".
      ctx.strokeStyle = palette.background;
      ctx.lineWidth = 1.5 * g.dpr;
      const mid = g.bandY + g.bandH / 2;
      const s = 4 * g.dpr;
      ctx.beginPath();
      ctx.moveTo(a + gap + s * 0.5, mid - s);
      ctx.lineTo(a + gap + s * 1.5, mid);
      ctx.lineTo(a + gap + s * 0.5, mid + s);
      ctx.stroke();
    }
  }
}

function markerHead(ctx: CanvasRenderingContext2D, x: number, top: number, size: number): void {
  ctx.beginPath();
  ctx.moveTo(x - size, top);
  ctx.lineTo(x + size, top);
  ctx.lineTo(x, top + size * 1.4);
  ctx.closePath();
  ctx.fill();
}

function drawEpochs(
  ctx: CanvasRenderingContext2D,
  scene: TimelineScene,
  px: (b: number) => number,
  H: number,
  dpr: number,
  right: number,
): void {
  const { model, viewport, palette } = scene;
  const starts = model.epochStarts;
  if (!starts.length) return;
  let e = model.epochIndexOf(Math.max(0, Math.floor(viewport.start)));
  let lastLine = Number.NEGATIVE_INFINITY;
  let lastLabel = Number.NEGATIVE_INFINITY;
  ctx.textAlign = 'left';
  const labelY = (TRACKS.epoch.y + TRACKS.epoch.h / 2) * dpr;
  for (; e < starts.length && starts[e] < viewport.end; e++) {
    const x = Math.round(px(starts[e]));
    if (x - lastLine >= 4 * dpr) {
      ctx.fillStyle = palette.grid;
      ctx.fillRect(x, 0, Math.max(1, dpr | 0), H);
      lastLine = x;
    }
    if (x >= lastLabel + 8 * dpr) {
      const label = `epoch ${model.epochNumbers[e] + 1}`;
      const width = ctx.measureText(label).width;
      if (x + 3 * dpr + width < right) {
        ctx.fillStyle = palette.muted;
        ctx.fillText(label, Math.max(x, 0) + 3 * dpr, labelY);
        lastLabel = x + 3 * dpr + width;
      }
    }
  }
}

function drawCursor(
  ctx: CanvasRenderingContext2D,
  step: number | null,
  px: (b: number) => number,
  H: number,
  color: string,
  selected: boolean,
  dpr: number,
  fill?: string,
): void {
  if (step === null) return;
  const a = Math.round(px(step));
  const w = Math.max(Math.round(px(step + 1)) - a, Math.round(2 * dpr));
  const top = TRACKS.marker.y * dpr;
  if (fill) {
    // A handle in the epoch strip; the tracks below stay readable under the outline.
    ctx.fillStyle = fill;
    ctx.fillRect(a, 0, w, top);
    ctx.fillStyle = color;
    ctx.fillRect(a, top - 3 * dpr, w, 3 * dpr);
  }
  ctx.strokeStyle = color;
  ctx.lineWidth = selected ? Math.max(1, Math.round(1.5 * dpr)) : 1;
  ctx.strokeRect(a + 0.5, top + 0.5, w - 1, H - top - 1);
}
