/**
 * What the webview's canvases write: an init script records every fillText of the loss chart and
 * the timeline (their last frame only), so tests read the axis titles, tick labels and scales that
 * were drawn, where they were drawn, and not what the code meant to draw.
 */
import type { Page } from 'playwright-core';

/** A text drawn on a canvas, at (x, y) in device pixels. */
export interface DrawnText {
  text: string;
  x: number;
  y: number;
  align: CanvasTextAlign;
  baseline: CanvasTextBaseline;
  /** Drawn turned by 90° (a vertical axis title). */
  rotated: boolean;
}

export type CanvasName = 'loss' | 'timeline';

/** Init script (runs before the webview): records fillText per canvas, forgetting a canvas's texts when it is cleared whole. */
export function recordCanvasText(): void {
  const drawn: Record<string, unknown[]> = { loss: [], timeline: [] };
  Object.assign(window, { __drawn: drawn });
  const nameOf = (canvas: HTMLCanvasElement | OffscreenCanvas): string | undefined =>
    canvas instanceof HTMLCanvasElement
      ? canvas.closest('.loss-plot')
        ? 'loss'
        : canvas.closest('[data-testid="timeline"]')
          ? 'timeline'
          : undefined
      : undefined;
  const proto = CanvasRenderingContext2D.prototype;
  const { fillText, clearRect, fillRect } = proto;
  const restart = (ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number) => {
    const name = nameOf(ctx.canvas);
    if (name && x <= 0 && y <= 0 && x + w >= ctx.canvas.width && y + h >= ctx.canvas.height) drawn[name] = [];
  };
  proto.fillText = function (text: string, x: number, y: number, maxWidth?: number) {
    const name = nameOf(this.canvas);
    if (name) {
      const m = this.getTransform();
      drawn[name].push({
        text: String(text),
        x: m.a * x + m.c * y + m.e,
        y: m.b * x + m.d * y + m.f,
        align: this.textAlign,
        baseline: this.textBaseline,
        rotated: Math.abs(m.b) > 1e-9,
      });
    }
    return maxWidth === undefined ? fillText.call(this, text, x, y) : fillText.call(this, text, x, y, maxWidth);
  };
  proto.clearRect = function (x: number, y: number, w: number, h: number) {
    restart(this, x, y, w, h);
    return clearRect.call(this, x, y, w, h);
  };
  proto.fillRect = function (x: number, y: number, w: number, h: number) {
    restart(this, x, y, w, h);
    return fillRect.call(this, x, y, w, h);
  };
}

/** The texts of the last frame drawn on a canvas (needs `recordCanvasText` as the page's init script). */
export function drawnTexts(page: Page, canvas: CanvasName): Promise<DrawnText[]> {
  return page.evaluate((name) => (window as unknown as { __drawn: Record<string, DrawnText[]> }).__drawn[name], canvas);
}
