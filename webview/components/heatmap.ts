/**
 * One heatmap (rows × columns of values) with a caption and a readout of one cell: under the pointer,
 * or under a keyboard cursor (arrows, Home/End, Page Up/Down) while the canvas has focus.
 */
import { html, nothing, render } from 'lit';
import { createRef, ref } from 'lit/directives/ref.js';
import { cellSize, drawHeatmap, heatmapBuffers, type CellSize, type HeatmapValues } from '../canvas/heatmapDraw';
import type { Palette } from '../state/theme';
import { fmt } from '../numbers/format';

/** What a heatmap shows. */
export interface HeatmapData extends HeatmapValues {
  /** Text for the readout of a cell. */
  describe(row: number, col: number, value: number): string;
  /** Screen-reader summary. */
  label: string;
}

/** A heatmap widget: its figure, canvas, caption and cell readout; its scratch buffers are its own. */
export class Heatmap {
  readonly element = document.createElement('figure');
  private readonly canvas = createRef<HTMLCanvasElement>();
  private readonly buffers = heatmapBuffers();
  private data: HeatmapData | undefined;
  private caption = '';
  private readout = '';
  /** Spoken only while the keyboard drives it: hovering must not flood a screen reader. */
  private live: 'off' | 'polite' = 'off';
  private cell: CellSize = { w: 4, h: 4 };
  /** The keyboard cursor (row, column); shown while the canvas has focus. */
  private cursor = { row: 0, col: 0 };
  private palette: Palette | undefined;

  constructor(
    private readonly testId: string,
    private readonly maxWidth = 420,
    private readonly maxHeight = 320,
  ) {
    this.element.className = 'heatmap';
    this.renderFigure();
  }

  /** Shows new values with a caption. */
  set(data: HeatmapData, caption: string, palette: Palette): void {
    this.data = data;
    this.cursor = { row: Math.min(this.cursor.row, data.rows - 1), col: Math.min(this.cursor.col, data.cols - 1) };
    this.caption = caption;
    this.renderFigure();
    this.draw(palette);
  }

  /** Repaints with (possibly new) theme colours. */
  draw(palette: Palette): void {
    this.palette = palette;
    const canvas = this.canvas.value;
    if (!this.data || !canvas) return;
    this.cell = cellSize(this.data.rows, this.data.cols, this.maxWidth, this.maxHeight);
    drawHeatmap(
      canvas,
      this.data,
      this.cell,
      palette,
      this.buffers,
      document.activeElement === canvas ? this.cursor : undefined,
    );
  }

  private renderFigure(): void {
    const label = this.data ? `${this.caption}: ${this.data.label}` : nothing;
    render(
      html` <canvas
          ${ref(this.canvas)}
          data-testid=${this.testId}
          role="img"
          tabindex="0"
          aria-label=${label}
          @pointermove=${(e: PointerEvent) => this.onHover(e)}
          @pointerleave=${() => this.showReadout('')}
          @keydown=${(e: KeyboardEvent) => this.onKey(e)}
          @focus=${() => this.onFocus(true)}
          @blur=${() => this.onFocus(false)}
        ></canvas>
        <figcaption>${this.caption}</figcaption>
        <div class="heatmap-readout" aria-live=${this.live}>${this.readout}</div>`,
      this.element,
    );
  }

  private showReadout(text: string): void {
    this.readout = text;
    this.renderFigure();
  }

  private onFocus(focused: boolean): void {
    this.live = focused ? 'polite' : 'off';
    if (focused) this.showCursor();
    else {
      this.renderFigure();
      if (this.palette) this.draw(this.palette);
    }
  }

  private onKey(e: KeyboardEvent): void {
    const data = this.data;
    if (!data) return;
    const { row, col } = this.cursor;
    const moves: Record<string, [number, number]> = {
      ArrowUp: [row - 1, col],
      ArrowDown: [row + 1, col],
      ArrowLeft: [row, col - 1],
      ArrowRight: [row, col + 1],
      Home: [row, 0],
      End: [row, data.cols - 1],
      PageUp: [0, col],
      PageDown: [data.rows - 1, col],
    };
    const to = moves[e.key];
    if (!to) return;
    e.preventDefault();
    e.stopPropagation();
    this.cursor = {
      row: Math.max(0, Math.min(data.rows - 1, to[0])),
      col: Math.max(0, Math.min(data.cols - 1, to[1])),
    };
    this.showCursor();
  }

  private showCursor(): void {
    const data = this.data;
    if (!data) return;
    const { row, col } = this.cursor;
    this.showReadout(data.describe(row, col, data.values[row * data.cols + col]));
    if (this.palette) this.draw(this.palette);
  }

  private onHover(e: PointerEvent): void {
    const data = this.data;
    const canvas = this.canvas.value;
    if (!data || !canvas) return;
    const rect = canvas.getBoundingClientRect();
    const col = Math.floor((e.clientX - rect.left) / this.cell.w);
    const row = Math.floor((e.clientY - rect.top) / this.cell.h);
    if (row < 0 || col < 0 || row >= data.rows || col >= data.cols) return;
    this.showReadout(data.describe(row, col, data.values[row * data.cols + col]));
  }
}

/** A colour bar with the ends of the scale, for beside a heatmap. */
export function scaleLegend(scale: number) {
  return html`<div class="scale-legend" aria-hidden="true">
    <span>${fmt(-scale)}</span><span class="scale-bar"></span><span>${fmt(scale)}</span>
  </div>`;
}
