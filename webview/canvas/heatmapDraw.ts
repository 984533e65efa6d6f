/** Paints a matrix of values as a heatmap with a diverging colour scale: one pixel per cell, scaled up crisp. */
import type { Palette, Rgb } from '../state/theme';

/** The values of a heatmap: `rows` × `cols`, row-major; values at ±scale get the full colour. */
export interface HeatmapValues {
  values: ArrayLike<number>;
  rows: number;
  cols: number;
  scale: number;
}

/** Cell size in CSS pixels. */
export interface CellSize {
  w: number;
  h: number;
}

/** Scratch memory of one heatmap, kept by its view: an off-screen canvas holding one pixel per cell. */
export interface HeatmapBuffers {
  scratch: HTMLCanvasElement;
  image: ImageData | undefined;
}

/** Empty buffers; the image grows to the matrix on first use. */
export function heatmapBuffers(): HeatmapBuffers {
  return { scratch: document.createElement('canvas'), image: undefined };
}

/** Cells as large as fit in `maxWidth` × `maxHeight` CSS pixels, between 2 and 24 (16 tall). */
export function cellSize(rows: number, cols: number, maxWidth: number, maxHeight: number): CellSize {
  return {
    w: Math.min(24, Math.max(2, Math.floor(maxWidth / Math.max(1, cols)))),
    h: Math.min(16, Math.max(2, Math.floor(maxHeight / Math.max(1, rows)))),
  };
}

/** Sizes `canvas` to the matrix and paints it; `cursor`, if given, is outlined (the keyboard's cell). */
export function drawHeatmap(
  canvas: HTMLCanvasElement,
  data: HeatmapValues,
  cell: CellSize,
  palette: Palette,
  buffers: HeatmapBuffers,
  cursor?: { row: number; col: number },
): void {
  const { rows, cols } = data;
  const dpr = window.devicePixelRatio || 1;
  const width = cols * cell.w;
  const height = rows * cell.h;
  canvas.width = Math.max(1, Math.round(width * dpr));
  canvas.height = Math.max(1, Math.round(height * dpr));
  // CSSOM, not a style attribute: allowed by the panel's CSP.
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const w = Math.max(1, cols);
  const h = Math.max(1, rows);
  if (buffers.image?.width !== w || buffers.image.height !== h) buffers.image = new ImageData(w, h);
  const image = buffers.image;
  if (rows === 0 || cols === 0) image.data.fill(0);
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
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { scratch } = buffers;
  scratch.width = w;
  scratch.height = h;
  scratch.getContext('2d')?.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(scratch, 0, 0, canvas.width, canvas.height);
  if (cursor) {
    ctx.strokeStyle = palette.focus;
    ctx.lineWidth = Math.max(1, dpr);
    ctx.strokeRect(
      cursor.col * cell.w * dpr + 0.5,
      cursor.row * cell.h * dpr + 0.5,
      cell.w * dpr - 1,
      cell.h * dpr - 1,
    );
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
