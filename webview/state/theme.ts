/** The theme the panel holds: the colours and font its canvases paint with (read by host/theme.ts). */
import type { InitialStateCause } from '../../src/shared/causes';
import type { Phase } from '../../src/shared/runFormat';

/** Everything the canvases paint with. */
export interface Palette {
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  focus: string;
  selection: string;
  loss: string;
  ema: string;
  negative: string;
  positive: string;
  cause: Record<InitialStateCause, string>;
  /** The lane colour of each phase's batches (training has none). */
  phase: Record<Phase, string>;
  /** Non-finite losses (markers in the timeline and the loss chart). */
  nonFinite: string;
  /** Batches with a flag (withGraph, fromEval, shuffledData). */
  flag: string;
  /** Validation loss in the loss chart. */
  validation: string;
  /** Parsed background, for blending heatmap colours. */
  backgroundRgb: Rgb;
  negativeRgb: Rgb;
  positiveRgb: Rgb;
}

/** A colour as red, green, blue in 0..255. */
export type Rgb = [number, number, number];

/** The palette and the font family the canvases draw with. */
export interface Theme {
  palette: Palette;
  font: string;
}
