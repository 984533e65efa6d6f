/** What the panel shows, in one object: the run, the user's choices, the view, and the selected batch's tensors. */
import type { BatchDetail } from '../../src/shared/channels/webviewChannel';
import type { Theme } from './theme';
import type { Viewport } from '../numbers/viewport';
import { RunModel } from './runModel';
import type { UiState } from './uiState';

/** Where the selected batch's tensors are. */
export type DetailState =
  | { step: null }
  | { step: number; status: 'loading' }
  | { step: number; status: 'ready'; detail: BatchDetail }
  | { step: number; status: 'error'; message: string };

/** Plot-area gutters in CSS pixels: the loss chart's, copied by the timeline so both x axes line up. */
export interface Gutters {
  left: number;
  right: number;
}

/** The whole state of the panel; the store replaces it (never mutates it) on every change, except the run. */
export interface PanelState {
  /** The run, changed in place by snapshots and deltas: subscribers compare `run.version`. */
  readonly run: RunModel;
  /** The user's choices, kept by the host across reloads; its `viewport` is the last one the user chose. */
  readonly ui: UiState;
  /** The batches in view now (following the newest batch moves it without the user). */
  readonly viewport: Viewport;
  readonly detail: DetailState;
  /** The tensors of the batch that continues the selected one (the continuity view compares them). */
  readonly successor: DetailState;
  readonly theme: Theme;
  readonly gutters: Gutters;
}

/** The state before the host's snapshot arrives. */
export function initialPanelState(ui: UiState, theme: Theme): PanelState {
  return {
    run: new RunModel(),
    ui,
    viewport: { start: 0, end: 1 },
    detail: { step: null },
    successor: { step: null },
    theme,
    gutters: { left: 56, right: 12 },
  };
}
