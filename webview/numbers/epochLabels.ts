/** Which epochs the timeline labels: every k-th, k a round number, so that labels never overlap at any zoom. */

const ROUND = [1, 2, 5];

/** The smallest round stride (1, 2, 5, 10, 20, 50, …) that puts labels `labelPx` apart or more. */
export function epochLabelStride(pxPerEpoch: number, labelPx: number): number {
  if (!(pxPerEpoch > 0)) return Number.POSITIVE_INFINITY;
  for (let scale = 1; scale < 1e9; scale *= 10)
    for (const base of ROUND) if (base * scale * pxPerEpoch >= labelPx) return base * scale;
  return Number.POSITIVE_INFINITY;
}

/** A label to draw: its text and where it starts. */
export interface EpochLabel {
  x: number;
  text: string;
}

/**
 * Labels for epochs starting at `xs` (pixels, ascending) numbered `numbers` (0-based): those whose
 * 1-based number is a multiple of the stride, dropped where one would still touch the previous one
 * (uneven epochs) or run past `right`. `width` measures a text.
 */
export function epochLabels(
  xs: readonly number[],
  numbers: readonly number[],
  stride: number,
  gap: number,
  right: number,
  width: (text: string) => number,
): EpochLabel[] {
  const labels: EpochLabel[] = [];
  let free = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < xs.length; i++) {
    const n = numbers[i] + 1;
    if (stride > 1 && n % stride !== 0 && n !== 1) continue;
    const text = `epoch ${n}`;
    const x = Math.max(xs[i], 0);
    const w = width(text);
    if (x < free || x + w > right) continue;
    labels.push({ x, text });
    free = x + w + gap;
  }
  return labels;
}
