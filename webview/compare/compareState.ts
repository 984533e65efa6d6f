/** What a comparison page shows, and what its parts may ask of it. */
import type { Viewport } from '../numbers/viewport';
import type { RunModel } from '../state/runModel';
import type { Theme } from '../state/theme';
import type { Alignment } from './alignment';

/** What the comparison shows now. */
export interface CompareState {
  runs: RunModel[];
  align: Alignment;
  smoothing: number;
  viewport: Viewport;
  theme: Theme;
  /** Colour of each run's curve. */
  colors: string[];
  /** Left and right gutters of the loss chart's plot, which the timelines copy. */
  gutters: { left: number; right: number };
}

/** The page as its loss chart and timelines see it. */
export interface ComparePageApi {
  readonly state: CompareState;
  setViewport(viewport: Viewport): void;
  setGutters(gutters: { left: number; right: number }): void;
  /** Repaint next frame (with `patch` applied). */
  update(patch: Partial<CompareState>): void;
}

/** "seed-stateful · 30/11/2026, 16:35:22": a run's name and start time, unique for runs of one config. */
export function runLabel(run: RunModel): string {
  const m = run.manifest;
  if (!m) return run.runDir;
  const t = new Date(m.createdAt);
  return Number.isNaN(t.getTime()) ? m.name : `${m.name} · ${t.toLocaleString()}`;
}
