/**
 * One heatmap (rows × columns of values) on a canvas, with a diverging colour scale and a readout
 * of one cell: under the pointer, or under a keyboard cursor (arrows, Home/End) when focused.
 */
import { fmt, h } from './dom';
import type { Palette, Rgb } from './theme';

/** What a heatmap shows. */
export interface HeatmapData {
  values: ArrayLike<number>;
  rows: number;
  cols: number;
  /** Values at ±scale get the full colour. */
  scale: number;
  /** Text for the hover readout of a cell. */
  describe(row: number, col: number, value: number): string;
  /** Screen-reader summary. */
  label: string;
}

export class Heatmap {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly caption = h('figcaption');
  private readonly readout = h('div', { class: 'heatmap-readout', 'aria-live': 'off' });
  private data: HeatmapData | undefined;
  private cell = { w: 4, h: 4 };
  /** The keyboard cursor (row, column); shown while the canvas has focus. */
  private cursor = { row: 0, col: 0 };
  private palette: Palette | undefined;

  constructor(testId: string, private readonly maxWidth = 420, private readonly maxHeight = 320) {
    this.canvas = h('canvas', { 'data-testid': testId, role: 'img', tabindex: '0' });
    this.element = h('figure', { class: 'heatmap' }, this.canvas, this.caption, this.readout);
    this.canvas.addEventListener('pointermove', (e) => this.onHover(e));
    this.canvas.addEventListener('pointerleave', () => (this.readout.textContent = ''));
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
    // Spoken only while the keyboard drives it: hovering must not flood a screen reader.
    this.canvas.addEventListener('focus', () => (this.readout.setAttribute('aria-live', 'polite'), this.showCursor()));
    this.canvas.addEventListener('blur', () => (this.readout.setAttribute('aria-live', 'off'), this.palette && this.draw(this.palette)));
  }

  /** Shows new values with a caption. */
  set(data: HeatmapData, caption: string, palette: Palette): void {
    this.data = data;
    this.cursor = { row: Math.min(this.cursor.row, data.rows - 1), col: Math.min(this.cursor.col, data.cols - 1) };
    this.caption.textContent = caption;
    this.canvas.setAttribute('aria-label', `${caption}: ${data.label}`);
    this.draw(palette);
  }

  /** Repaints with (possibly new) theme colours. */
  draw(palette: Palette): void {
    this.palette = palette;
    const data = this.data;
    if (!data) return;
    const { rows, cols } = data;
    this.cell = {
      w: Math.min(24, Math.max(2, Math.floor(this.maxWidth / Math.max(1, cols)))),
      h: Math.min(16, Math.max(2, Math.floor(this.maxHeight / Math.max(1, rows)))),
    };
    const dpr = window.devicePixelRatio || 1;
    const width = cols * this.cell.w;
    const height = rows * this.cell.h;
    this.canvas.width = Math.max(1, Math.round(width * dpr));
    this.canvas.height = Math.max(1, Math.round(height * dpr));
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    // One pixel per cell, then scaled up without smoothing: fast for any size and crisp.
    const image = new ImageData(Math.max(1, cols), Math.max(1, rows));
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const [red, green, blue] = colorOf(data.values[r * cols + c] / data.scale, palette);
        const k = (r * cols + c) * 4;
        image.data[k] = red;
        image.data[k + 1] = green;
        image.data[k + 2] = blue;
        image.data[k + 3] = 255;
      }
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const scratch = document.createElement('canvas');
    scratch.width = image.width;
    scratch.height = image.height;
    scratch.getContext('2d')?.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.drawImage(scratch, 0, 0, this.canvas.width, this.canvas.height);
    if (document.activeElement === this.canvas) {
      ctx.strokeStyle = palette.focus;
      ctx.lineWidth = Math.max(1, dpr);
      const { row, col } = this.cursor;
      ctx.strokeRect(col * this.cell.w * dpr + 0.5, row * this.cell.h * dpr + 0.5, this.cell.w * dpr - 1, this.cell.h * dpr - 1);
    }
  }

  private onKey(e: KeyboardEvent): void {
    const data = this.data;
    if (!data) return;
    const { row, col } = this.cursor;
    const moves: Record<string, [number, number]> = {
      ArrowUp: [row - 1, col], ArrowDown: [row + 1, col], ArrowLeft: [row, col - 1], ArrowRight: [row, col + 1],
      Home: [row, 0], End: [row, data.cols - 1], PageUp: [0, col], PageDown: [data.rows - 1, col],
    };
    const to = moves[e.key];
    if (!to) return;
    e.preventDefault();
    e.stopPropagation();
    this.cursor = { row: Math.max(0, Math.min(data.rows - 1, to[0])), col: Math.max(0, Math.min(data.cols - 1, to[1])) };
    this.showCursor();
  }

  private showCursor(): void {
    const data = this.data;
    if (!data) return;
    const { row, col } = this.cursor;
    this.readout.textContent = data.describe(row, col, data.values[row * data.cols + col]);
    if (this.palette) this.draw(this.palette);
  }

  private onHover(e: PointerEvent): void {
    const data = this.data;
    if (!data) return;
    const rect = this.canvas.getBoundingClientRect();
    const col = Math.floor((e.clientX - rect.left) / this.cell.w);
    const row = Math.floor((e.clientY - rect.top) / this.cell.h);
    if (row < 0 || col < 0 || row >= data.rows || col >= data.cols) return;
    this.readout.textContent = data.describe(row, col, data.values[row * data.cols + col]);
  }
}

/** Diverging scale: background at 0, `negative` at −1, `positive` at +1. */
export function colorOf(t: number, palette: Palette): Rgb {
  if (!Number.isFinite(t)) return palette.backgroundRgb;
  const a = Math.min(1, Math.abs(t));
  const to = t < 0 ? palette.negativeRgb : palette.positiveRgb;
  const from = palette.backgroundRgb;
  return [from[0] + (to[0] - from[0]) * a, from[1] + (to[1] - from[1]) * a, from[2] + (to[2] - from[2]) * a];
}

/** A colour bar with the ends of the scale, for beside a heatmap. */
export function scaleLegend(scale: number): HTMLElement {
  return h('div', { class: 'scale-legend', 'aria-hidden': 'true' }, h('span', {}, fmt(-scale)), h('span', { class: 'scale-bar' }), h('span', {}, fmt(scale)));
}
