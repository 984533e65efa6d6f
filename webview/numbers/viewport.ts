/** Pure viewport math of the timeline; x is in batch units, batch i spans [i, i + 1). */

/** The visible range of batches. */
export interface Viewport {
  start: number;
  end: number;
}

/** Never zoom in further than this many batches across the view. */
export const MIN_SPAN = 4;

/**
 * The batches a live run's views span: those so far, rounded up to the grid m · 2^k (m = 8…15), so at
 * most an eighth to spare. The x scale then holds still from one grid step to the next: a new batch
 * changes the last pixel column instead of moving every column, and a frame with the same pixels as
 * the last one need not be drawn again (at a million batches, most frames while a run streams).
 */
export function liveSpan(n: number): number {
  if (n <= 16) return Math.max(n, MIN_SPAN);
  const unit = 2 ** (Math.floor(Math.log2(n)) - 3);
  return Math.ceil(n / unit) * unit;
}

/** Keeps the viewport inside [0, domain] with at least MIN_SPAN batches. */
export function clampViewport(v: Viewport, domain: number): Viewport {
  const max = Math.max(domain, MIN_SPAN);
  let span = Math.min(Math.max(v.end - v.start, MIN_SPAN), max);
  if (!Number.isFinite(span)) span = max;
  let start = Math.min(Math.max(v.start, 0), max - span);
  if (!Number.isFinite(start)) start = 0;
  return { start, end: start + span };
}

/** Zooms by `factor` (< 1 zooms in) keeping the batch under `anchor` (0..1 across the view) in place. */
export function zoomAt(v: Viewport, anchor: number, factor: number, domain: number): Viewport {
  const span = v.end - v.start;
  const at = v.start + anchor * span;
  const next = span * factor;
  return clampViewport({ start: at - anchor * next, end: at - anchor * next + next }, domain);
}

/** Moves the view by `delta` batches. */
export function panBy(v: Viewport, delta: number, domain: number): Viewport {
  return clampViewport({ start: v.start + delta, end: v.end + delta }, domain);
}

/** Scrolls the least needed so that batch `step` is visible, with a small margin. */
export function ensureVisible(v: Viewport, step: number, domain: number): Viewport {
  const span = v.end - v.start;
  const margin = Math.min(span * 0.05, 2);
  if (step < v.start + margin) return clampViewport({ start: step - margin, end: step - margin + span }, domain);
  if (step + 1 > v.end - margin)
    return clampViewport({ start: step + 1 + margin - span, end: step + 1 + margin }, domain);
  return v;
}

/** The batch under x (0..1 across the view), not clamped. */
export function batchAt(v: Viewport, fraction: number): number {
  return Math.floor(v.start + fraction * (v.end - v.start));
}

/** What a wheel event says: which way it scrolled and whether Shift turns it into a pan. */
export interface WheelInput {
  deltaX: number;
  deltaY: number;
  shiftKey: boolean;
}

/** Wheel over a plot: zoom around `fraction` (0..1 across the plot); with Shift or a sideways scroll, pan. */
export function wheelViewport(v: Viewport, wheel: WheelInput, fraction: number, domain: number): Viewport {
  const { deltaX, deltaY, shiftKey } = wheel;
  if (shiftKey || Math.abs(deltaX) > Math.abs(deltaY))
    return panBy(v, ((shiftKey ? deltaY : deltaX) / 500) * (v.end - v.start), domain);
  return zoomAt(v, Math.min(Math.max(fraction, 0), 1), Math.exp(deltaY * 0.0015), domain);
}
