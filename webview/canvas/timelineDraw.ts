/**
 * Paints the batch timeline on a canvas, in device pixels: epochs, markers (resets, rare causes,
 * non-finite losses), causes, phases, initial-state norm. A pure function of its arguments; the
 * buffers it fills are the caller's, reused from frame to frame.
 */
import type { InitialStateCause } from '../../src/shared/causes';
import { CAUSES } from '../../src/shared/causes';
import { PHASES } from '../../src/shared/runFormat';
import { CAUSE_CODE, CAUSE_PRIORITY, MARKER_MASK, RARE_MASK, causeBit } from '../numbers/causeCodes';
import { CAUSE_SLOTS, downsample, type Columns } from '../numbers/downsample';
import { epochLabelStride, epochLabels } from '../numbers/epochLabels';
import { fmt } from '../numbers/format';
import type { Viewport } from '../numbers/viewport';
import { MARK_FLAGGED, MARK_NON_FINITE, MARK_PHASE, type RunModel } from '../state/runModel';
import type { Palette } from '../state/theme';
import { drawCauseShape } from './causeShapes';

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
  marker: { y: 16, h: 14, label: 'resets' },
  band: { y: 31, h: 20, label: 'start' },
  phase: { y: 52, h: 4, label: 'phase' },
  norm: { y: 58, h: 36, label: '‖h₀‖' },
} as const;
/** Height of the timeline canvas in CSS pixels (media/timeline.css gives `.timeline` the same). */
export const TIMELINE_HEIGHT = 98;
/** A marker is never narrower than this (CSS pixels), so a lone batch of a rare cause shows at any zoom. */
export const MIN_MARKER_PX = 3;
/** Size of a marker's shape, CSS pixels. */
const SHAPE_PX = 9;

/** What to draw. */
export interface TimelineScene {
  model: RunModel;
  viewport: Viewport;
  selected: number | null;
  hover: number | null;
  /** The cause picked in the legend: the others are drawn faint. */
  highlight: InitialStateCause | null;
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
  /** x of the marker shapes placed this frame (device pixels), ascending, so that shapes never overlap. */
  heads: number[];
  /** The hatch pattern of unreadable batches, for the colour it was made with. */
  hatch: { color: string; background: string; pattern: CanvasPattern | null } | undefined;
  /** The epoch labels drawn in the last frame (device pixels), for tests of their spacing. */
  labels: Array<{ x: number; width: number }>;
  /** Per column as drawn: the ‖h₀‖ bar's top and bottom pixel (-1: none), the cause and mark bits. */
  normTops: Int32Array;
  normBottoms: Int32Array;
  masks: Uint16Array;
  marks: Uint8Array;
  /** What the columns were aggregated from (the run's load, its batches), to aggregate only new ones. */
  aggregated: { loads: number; n: number } | undefined;
  /** Everything else the canvas shows, as drawn last (see frameKey). */
  drawnKey: string;
}

/** Empty buffers; they grow to the canvas width on first use. */
export function timelineBuffers(): TimelineBuffers {
  return {
    columns: undefined,
    stackTops: new Float32Array(0),
    stackHeights: new Float32Array(0),
    heads: [],
    hatch: undefined,
    labels: [],
    normTops: new Int32Array(0),
    normBottoms: new Int32Array(0),
    masks: new Uint16Array(0),
    marks: new Uint8Array(0),
    aggregated: undefined,
    drawnKey: '',
  };
}

interface Geometry {
  bandY: number;
  bandH: number;
  markY: number;
  markH: number;
  phaseY: number;
  phaseH: number;
  normY: number;
  normH: number;
  normScale: number;
  dpr: number;
}

/**
 * Draws the scene; `buffers.columns` then holds the columns used when zoomed out, else undefined.
 * Returns false when the canvas already showed exactly this (nothing drawn): zoomed out over a live
 * run whose x scale holds still (see liveSpan), most new batches change no pixel.
 */
export function drawTimeline(
  ctx: CanvasRenderingContext2D,
  layout: TimelineLayout,
  scene: TimelineScene,
  buffers: TimelineBuffers,
): boolean {
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
  const [phaseY, phaseH] = y(TRACKS.phase);
  const [normY, normH] = y(TRACKS.norm);
  const normScale = model.normMax > 0 ? normH / model.normMax : 0;
  const g: Geometry = { bandY, bandH, markY, markH, phaseY, phaseH, normY, normH, normScale, dpr };

  const n = model.length;
  const previous = buffers.columns;
  buffers.columns = undefined;
  let cols: Columns | undefined;
  if (n > 0 && span / plotW >= 1) {
    const aggregated = buffers.aggregated;
    const unchangedBefore = aggregated?.loads === model.loads ? Math.min(aggregated.n, n) : 0;
    cols = downsample(
      model.norm0,
      model.cause,
      n,
      viewport.start,
      viewport.end,
      plotW,
      previous,
      model.marks,
      model.blocks,
      unchangedBefore,
    );
    buffers.aggregated = { loads: model.loads, n };
    buffers.columns = cols;
  }
  const columnsChanged = cols ? columnGeometry(cols, g, buffers) : true;
  const key = frameKey(layout, scene, px, cols !== undefined);
  if (!columnsChanged && key === buffers.drawnKey) return false;
  buffers.drawnKey = key;

  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, W, H);
  drawGutter(ctx, model, x0, g, scene);
  buffers.heads.length = 0;
  ctx.save();
  ctx.beginPath();
  ctx.rect(x0, 0, plotW, H);
  ctx.clip();
  // Epoch lines first: the markers and batches drawn after them stay whole.
  drawEpochLines(ctx, scene, px, H, dpr);
  if (n === 0) {
    ctx.textAlign = 'left';
    ctx.fillStyle = palette.muted;
    ctx.fillText('waiting for the first batch…', x0 + 8 * dpr, bandY + bandH / 2);
  } else if (cols) {
    drawColumns(ctx, cols, x0, g, scene, buffers);
  } else {
    drawBatches(ctx, scene, px, g, buffers);
  }
  drawEpochs(ctx, scene, px, dpr, x0 + plotW, buffers);
  if (model.live) {
    // "Now": where the next batch will appear.
    ctx.fillStyle = palette.focus;
    ctx.fillRect(
      Math.min(Math.round(px(n)), x0 + plotW - Math.max(1, dpr | 0)),
      markY,
      Math.max(1, dpr | 0),
      H - markY,
    );
  }
  drawCursor(ctx, scene.hover, px, H, palette.muted, false, dpr);
  drawCursor(ctx, scene.selected, px, H, palette.focus, true, dpr, palette.selection);
  ctx.restore();
  return true;
}

/**
 * All the frame shows besides the zoomed-out columns' shapes (compared by columnGeometry): when both
 * are as last drawn, so are the pixels. Zoomed in, every batch is drawn from the run: its version counts.
 */
function frameKey(layout: TimelineLayout, scene: TimelineScene, px: (b: number) => number, zoomedOut: boolean): string {
  const { model, viewport, selected, hover, highlight, font } = scene;
  const epochs = model.epochStarts.length;
  return [
    layout.width,
    layout.height,
    layout.dpr,
    layout.left,
    layout.right,
    viewport.start,
    viewport.end,
    selected,
    hover,
    highlight,
    font,
    paletteId(scene.palette),
    model.loads,
    zoomedOut ? model.length > 0 : model.version,
    model.live ? Math.round(px(model.length)) : -1,
    model.normMax,
    model.phased,
    model.flagged,
    epochs,
    epochs ? model.epochNumbers[epochs - 1] : -1,
  ].join(' ');
}

/** A number per palette object: a theme change replaces the palette. */
const paletteIds = new WeakMap<Palette, number>();
let palettes = 0;
function paletteId(palette: Palette): number {
  let id = paletteIds.get(palette);
  if (id === undefined) paletteIds.set(palette, (id = ++palettes));
  return id;
}

/**
 * Works out what each column draws — its cause stack, ‖h₀‖ bar, marker and mark bits — into the
 * buffers, and says whether any of it differs from the last frame's.
 */
function columnGeometry(cols: Columns, g: Geometry, buffers: TimelineBuffers): boolean {
  const width = cols.width;
  const size = width * CAUSE_SLOTS;
  let changed = false;
  if (buffers.stackHeights.length !== size) {
    buffers.stackTops = new Float32Array(size);
    buffers.stackHeights = new Float32Array(size);
    buffers.normTops = new Int32Array(width);
    buffers.normBottoms = new Int32Array(width);
    buffers.masks = new Uint16Array(width);
    buffers.marks = new Uint8Array(width);
    changed = true;
  }
  const { stackTops: tops, stackHeights: heights, normTops, normBottoms, masks, marks } = buffers;
  // Each column is a stack of its causes in proportion, every present cause at least one device
  // pixel tall, so a lone reset among a thousand carried batches still shows in the band.
  const minH = Math.max(1, Math.round(g.dpr));
  const base = g.normY + g.normH;
  for (let c = 0; c < width; c++) {
    if (masks[c] !== cols.mask[c] || marks[c] !== cols.marks[c]) {
      masks[c] = cols.mask[c];
      marks[c] = cols.marks[c];
      changed = true;
    }
    let normTop = -1;
    let normBottom = -1;
    if (cols.count[c] && cols.max[c] >= cols.min[c]) {
      const top = base - cols.max[c] * g.normScale;
      normTop = Math.floor(top);
      normBottom = normTop + Math.max(1, Math.ceil(base - cols.min[c] * g.normScale - top));
    }
    if (normTops[c] !== normTop || normBottoms[c] !== normBottom) {
      normTops[c] = normTop;
      normBottoms[c] = normBottom;
      changed = true;
    }
    const total = cols.count[c];
    let y = g.bandY;
    let left = g.bandH;
    let present = 0;
    if (total) for (const cause of STACK) if (cols.byCause[c * CAUSE_SLOTS + CAUSE_CODE[cause]]) present++;
    for (const cause of STACK) {
      const k = c * CAUSE_SLOTS + CAUSE_CODE[cause];
      const n = total ? cols.byCause[k] : 0;
      let h = 0;
      let top = 0;
      if (n) {
        present--;
        // The last cause present takes what is left; the others their share, leaving room for the rest.
        h = present === 0 ? left : Math.min(left - present * minH, Math.max(minH, Math.round((n / total) * g.bandH)));
        top = y;
        y += h;
        left -= h;
      }
      if (heights[k] !== h || tops[k] !== top) {
        heights[k] = h;
        tops[k] = top;
        changed = true;
      }
    }
  }
  return changed;
}

/** Track names, and the scale of the norm track (its top is the largest ‖h₀‖ so far). */
function drawGutter(ctx: CanvasRenderingContext2D, model: RunModel, x0: number, g: Geometry, scene: TimelineScene) {
  const { dpr } = g;
  const { palette } = scene;
  ctx.font = `${10 * dpr}px ${scene.font}`;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  ctx.fillStyle = palette.muted;
  const right = x0 - 6 * dpr;
  for (const [name, track] of Object.entries(TRACKS)) {
    if (name === 'phase' && !model.phased) continue;
    if (name === 'norm') continue;
    ctx.fillText(track.label, right, (track.y + track.h / 2) * dpr);
  }
  ctx.fillText(TRACKS.norm.label, right, g.normY + g.normH / 2);
  ctx.font = `${9 * dpr}px ${scene.font}`;
  ctx.textBaseline = 'top';
  ctx.fillText(model.normMax > 0 ? fmt(model.normMax, 3) : '', right, g.normY);
  ctx.textBaseline = 'bottom';
  ctx.fillText('0', right, g.normY + g.normH);
  ctx.fillStyle = palette.grid;
  const line = Math.max(1, dpr | 0);
  ctx.fillRect(x0 - 4 * dpr, g.normY, 3 * dpr, line);
  ctx.fillRect(x0 - 4 * dpr, g.normY + g.normH - line, 3 * dpr, line);
  ctx.fillRect(x0, g.normY + g.normH, ctx.canvas.width - x0, line);
  ctx.font = `${10 * dpr}px ${scene.font}`;
  ctx.textBaseline = 'middle';
}

// Stacked top to bottom: resets nearest the markers, the common causes below.
const STACK = CAUSE_PRIORITY;

function drawColumns(
  ctx: CanvasRenderingContext2D,
  cols: Columns,
  x0: number,
  g: Geometry,
  scene: TimelineScene,
  buffers: TimelineBuffers,
): void {
  const { palette, highlight } = scene;
  // The stacks' geometry, worked out by columnGeometry.
  const tops = buffers.stackTops;
  const heights = buffers.stackHeights;
  for (const cause of STACK) {
    ctx.fillStyle = cause === 'unreadable' ? hatchOf(ctx, palette, buffers) : palette.cause[cause];
    ctx.globalAlpha = highlight && highlight !== cause ? 0.25 : 1;
    const code = CAUSE_CODE[cause];
    // Neighbouring columns with the same slice of the stack are one rectangle (the same pixels, far
    // fewer calls: a long run's columns mostly look alike).
    let runStart = -1;
    for (let c = 0; c <= cols.width; c++) {
      const k = c * CAUSE_SLOTS + code;
      const same =
        runStart >= 0 &&
        c < cols.width &&
        heights[k] === heights[runStart * CAUSE_SLOTS + code] &&
        tops[k] === tops[runStart * CAUSE_SLOTS + code];
      if (same) continue;
      if (runStart >= 0) {
        const r = runStart * CAUSE_SLOTS + code;
        ctx.fillRect(x0 + runStart, tops[r], c - runStart, heights[r]);
      }
      runStart = c < cols.width && heights[k] > 0 ? c : -1;
    }
  }
  ctx.globalAlpha = 1;
  drawLanes(ctx, cols, x0, g, scene);

  ctx.fillStyle = palette.foreground;
  const { normTops, normBottoms } = buffers;
  for (let c = 0; c < cols.width; c++)
    if (normTops[c] >= 0) ctx.fillRect(x0 + c, normTops[c], 1, normBottoms[c] - normTops[c]);
  drawColumnMarkers(ctx, cols, x0, g, scene, buffers);
}

/** The phase lane (validation, prediction, evaluation batches) and the flagged strip at the band's foot. */
function drawLanes(ctx: CanvasRenderingContext2D, cols: Columns, x0: number, g: Geometry, scene: TimelineScene) {
  const { model, palette } = scene;
  const minW = Math.max(1, Math.round(MIN_MARKER_PX * g.dpr));
  if (model.phased) {
    for (let p = 1; p < PHASES.length; p++) {
      ctx.fillStyle = palette.phase[PHASES[p]];
      fillColumnRuns(ctx, cols.marks, MARK_PHASE << p, cols.width, x0, 1, g.phaseY, g.phaseH);
    }
  }
  if (model.flagged) {
    ctx.fillStyle = palette.flag;
    const h = Math.max(2, Math.round(3 * g.dpr));
    fillColumnRuns(ctx, cols.marks, MARK_FLAGGED, cols.width, x0, minW, g.bandY + g.bandH - h, h);
  }
}

/**
 * For every column c whose `bits` have `bit`, the rectangle [x + c, x + c + w) × [y, y + h): one
 * rectangle per run of such columns (their union), so a cause in every column of a zoomed-out run is
 * one call, not a thousand.
 */
function fillColumnRuns(
  ctx: CanvasRenderingContext2D,
  bits: ArrayLike<number>,
  bit: number,
  width: number,
  x: number,
  w: number,
  y: number,
  h: number,
): void {
  let first = -1;
  for (let c = 0; c <= width; c++) {
    const on = c < width && (bits[c] & bit) !== 0;
    if (on && first < 0) first = c;
    else if (!on && first >= 0) {
      ctx.fillRect(x + first, y, c - 1 - first + w, h);
      first = -1;
    }
  }
}

/**
 * Markers when zoomed out: every column holding a reset, a rare cause or a non-finite loss gets a
 * tick at least MIN_MARKER_PX wide; shapes are placed rarest cause first wherever there is room.
 */
function drawColumnMarkers(
  ctx: CanvasRenderingContext2D,
  cols: Columns,
  x0: number,
  g: Geometry,
  scene: TimelineScene,
  buffers: TimelineBuffers,
): void {
  const { palette, highlight } = scene;
  const minW = Math.max(1, Math.round(MIN_MARKER_PX * g.dpr));
  const autoBit = causeBit('auto');
  // Stateless zeros: a thin tick per column (a reset before every batch), under the other markers.
  ctx.fillStyle = palette.cause.auto;
  fillColumnRuns(ctx, cols.mask, autoBit, cols.width, x0, 1, g.markY + g.markH / 2, g.markH / 2);
  const shown = MARKER_MASK | RARE_MASK | (highlight ? causeBit(highlight) : 0);
  const line = Math.max(1, Math.round(g.dpr));
  for (const cause of CAUSE_PRIORITY) {
    const bit = causeBit(cause);
    if (!(shown & bit) || cause === 'auto') continue;
    let present = 0;
    for (let c = 0; c < cols.width; c++) if (cols.mask[c] & bit) present++;
    if (!present) continue;
    // A rare cause gets ticks MIN_MARKER_PX wide; one in most columns stays thin, or it would hide the rest.
    const sparse = present * minW * 2 < cols.width;
    const w = sparse ? minW : line;
    ctx.fillStyle = palette.cause[cause];
    ctx.globalAlpha = highlight && highlight !== cause ? 0.35 : 1;
    const reset = (MARKER_MASK & bit) !== 0;
    fillColumnRuns(ctx, cols.mask, bit, cols.width, x0 - (w >> 1), w, g.markY + g.markH * 0.5, g.markH * 0.5);
    // A reset's line runs down through the tracks, one pixel wide — while they are sparse: a cause in
    // most columns (an epoch-end reset every few pixels) would paint over the band and the ‖h₀‖ track.
    if (reset && sparse)
      fillColumnRuns(
        ctx,
        cols.mask,
        bit,
        cols.width,
        x0,
        line,
        g.markY + g.markH,
        g.normY + g.normH - g.markY - g.markH,
      );
    for (let c = 0; c < cols.width; c++) if (cols.mask[c] & bit) placeShape(ctx, buffers, cause, x0 + c, g);
  }
  ctx.globalAlpha = 1;
  for (let c = 0; c < cols.width; c++) if (cols.marks[c] & MARK_NON_FINITE) nonFiniteMark(ctx, x0 + c, g, palette);
}

/** Draws the cause's shape at `x` in the marker track unless it would overlap one already placed. */
function placeShape(
  ctx: CanvasRenderingContext2D,
  buffers: TimelineBuffers,
  cause: InitialStateCause,
  x: number,
  g: Geometry,
) {
  const size = SHAPE_PX * g.dpr;
  // Sorted: only the nearest placed shape on each side can overlap (a thousand columns, a hundred shapes).
  const heads = buffers.heads;
  let lo = 0;
  let hi = heads.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (heads[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  if ((lo > 0 && x - heads[lo - 1] < size) || (lo < heads.length && heads[lo] - x < size)) return;
  heads.splice(lo, 0, x);
  drawCauseShape(ctx, cause, x + 0.5, g.markY + size / 2, size);
}

/** A non-finite loss: an exclamation mark in the marker track, at least MIN_MARKER_PX wide. */
function nonFiniteMark(ctx: CanvasRenderingContext2D, x: number, g: Geometry, palette: Palette) {
  const w = Math.max(2, Math.round(MIN_MARKER_PX * g.dpr));
  ctx.fillStyle = palette.nonFinite;
  ctx.fillRect(x - (w >> 1), g.markY, w, Math.round(g.markH * 0.6));
  ctx.fillRect(x - (w >> 1), g.markY + Math.round(g.markH * 0.75), w, Math.max(2, Math.round(g.markH * 0.2)));
}

function drawBatches(
  ctx: CanvasRenderingContext2D,
  scene: TimelineScene,
  px: (b: number) => number,
  g: Geometry,
  buffers: TimelineBuffers,
): void {
  const { model, viewport, palette, highlight } = scene;
  const from = Math.max(0, Math.floor(viewport.start));
  const to = Math.min(model.length, Math.ceil(viewport.end));
  const base = g.normY + g.normH;
  const minW = Math.max(1, Math.round(MIN_MARKER_PX * g.dpr));
  for (let i = from; i < to; i++) {
    const a = Math.round(px(i));
    const b = Math.round(px(i + 1));
    const gap = b - a > 6 * g.dpr ? Math.round(g.dpr) : 0;
    const width = Math.max(1, b - a - gap);
    const code = model.cause[i];
    const cause = CAUSES[code];
    ctx.globalAlpha = highlight && highlight !== cause ? 0.25 : 1;
    ctx.fillStyle = cause === 'unreadable' ? hatchOf(ctx, palette, buffers) : palette.cause[cause];
    ctx.fillRect(a + gap, g.bandY, width, g.bandH);
    ctx.globalAlpha = 1;
    const phase = model.phase[i];
    if (phase && model.phased) {
      ctx.fillStyle = palette.phase[PHASES[phase]];
      ctx.fillRect(a + gap, g.phaseY, width, g.phaseH);
    }
    if (model.flags[i]) {
      ctx.fillStyle = palette.flag;
      const h = Math.max(2, Math.round(3 * g.dpr));
      ctx.fillRect(a + gap, g.bandY + g.bandH - h, width, h);
    }
    const norm = model.norm0[i];
    if (Number.isFinite(norm)) {
      const value = norm * g.normScale;
      ctx.fillStyle = palette.foreground;
      ctx.fillRect(a + gap, Math.floor(base - value), width, Math.max(1, Math.ceil(value)));
    }
    if (MARKER_MASK & (1 << code)) {
      // The reset happens at the boundary before the batch: a line from the marker down through the tracks.
      ctx.fillStyle = palette.cause[cause];
      ctx.fillRect(a, g.markY + g.markH * 0.5, Math.max(minW >> 1, Math.round(g.dpr)), base - g.markY - g.markH * 0.5);
      placeShape(ctx, buffers, cause, a, g);
    } else if (RARE_MASK & (1 << code)) {
      ctx.fillStyle = palette.cause[cause];
      placeShape(ctx, buffers, cause, a + width / 2, g);
    } else if (cause === 'auto') {
      ctx.fillStyle = palette.cause.auto;
      ctx.fillRect(a, g.markY + g.markH / 2, Math.max(1, Math.round(g.dpr)), g.markH / 2);
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
    if (model.marks[i] & MARK_NON_FINITE) nonFiniteMark(ctx, a + width / 2, g, palette);
  }
}

/** Diagonal stripes of the unreadable colour: such a batch is drawn as missing. */
function hatchOf(ctx: CanvasRenderingContext2D, palette: Palette, buffers: TimelineBuffers): CanvasPattern | string {
  const color = palette.cause.unreadable;
  if (buffers.hatch?.color !== color || buffers.hatch.background !== palette.background) {
    const tile = document.createElement('canvas');
    tile.width = tile.height = 6;
    const t = tile.getContext('2d');
    if (t) {
      t.fillStyle = palette.background;
      t.fillRect(0, 0, 6, 6);
      t.strokeStyle = color;
      t.lineWidth = 1.5;
      t.beginPath();
      t.moveTo(-1, 7);
      t.lineTo(7, -1);
      t.stroke();
    }
    buffers.hatch = { color, background: palette.background, pattern: ctx.createPattern(tile, 'repeat') };
  }
  return buffers.hatch.pattern ?? color;
}

/** A grid line at each epoch start (at most one every 4 px). */
function drawEpochLines(
  ctx: CanvasRenderingContext2D,
  scene: TimelineScene,
  px: (b: number) => number,
  H: number,
  dpr: number,
): void {
  const { model, viewport, palette } = scene;
  const starts = model.epochStarts;
  if (!starts.length) return;
  ctx.fillStyle = palette.grid;
  let lastLine = Number.NEGATIVE_INFINITY;
  for (
    let e = model.epochIndexOf(Math.max(0, Math.floor(viewport.start)));
    e < starts.length && starts[e] < viewport.end;
    e++
  ) {
    const x = Math.round(px(starts[e]));
    if (x - lastLine < 4 * dpr) continue;
    ctx.fillRect(x, 0, Math.max(1, dpr | 0), H);
    lastLine = x;
  }
}

/** The epoch labels, thinned to a round stride so that they never overlap. */
function drawEpochs(
  ctx: CanvasRenderingContext2D,
  scene: TimelineScene,
  px: (b: number) => number,
  dpr: number,
  right: number,
  buffers: TimelineBuffers,
): void {
  const { model, viewport, palette } = scene;
  const starts = model.epochStarts;
  buffers.labels.length = 0;
  if (!starts.length) return;
  const first = model.epochIndexOf(Math.max(0, Math.floor(viewport.start)));
  const leftEdge = px(viewport.start);
  const xs: number[] = [];
  const numbers: number[] = [];
  for (let e = first; e < starts.length && starts[e] < viewport.end; e++) {
    const x = Math.round(px(starts[e]));
    xs.push(Math.max(x, leftEdge) + 3 * dpr);
    numbers.push(model.epochNumbers[e]);
  }
  // The stride from the average epoch length in view and the widest label.
  const epochsInView = Math.max(1, xs.length);
  const pxPerEpoch = (Math.min(right, px(viewport.end)) - px(Math.max(0, viewport.start))) / epochsInView;
  const widest = ctx.measureText(`epoch ${model.epochNumbers[model.epochNumbers.length - 1] + 1}`).width;
  const gap = 8 * dpr;
  const stride = epochLabelStride(pxPerEpoch, widest + gap + 3 * dpr);
  ctx.textAlign = 'left';
  ctx.fillStyle = palette.muted;
  const labelY = (TRACKS.epoch.y + TRACKS.epoch.h / 2) * dpr;
  for (const label of epochLabels(xs, numbers, stride, gap, right, (t) => ctx.measureText(t).width)) {
    ctx.fillText(label.text, label.x, labelY);
    buffers.labels.push({ x: label.x, width: ctx.measureText(label.text).width });
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
