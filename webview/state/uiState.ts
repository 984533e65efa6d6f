/** The panel's UI state, kept with `vscode.setState` so it survives hiding and window reloads. */
import type { InitialStateCause } from '../../src/shared/causes';
import type { Viewport } from '../numbers/viewport';

/** Which state tensor the inspector shows: hidden or cell. */
export type TensorName = 'h' | 'c';
/** Which moment of the batch the inspector shows: its initial state, final state, or their difference. */
export type StateView = 'initial' | 'final' | 'difference';
/** What the loss chart's x axis is labelled with (positions stay batches, aligned with the timeline). */
export type XAxisMode = 'step' | 'epoch' | 'time';
/** What the list of batches of note shows: explicit resets, one cause, non-finite losses, unreadable or flagged batches. */
export type EventFilter = 'resets' | 'nonFinite' | 'unreadable' | 'flagged' | InitialStateCause;

/** Everything the user chose in the panel; `runDir` also tells the serializer which run to reopen. */
export interface UiState {
  runDir: string;
  selected: number | null;
  viewport: Viewport | null;
  /** While the run is live, fit the batches so far (until the user zooms or pans). */
  follow: boolean;
  layer: number;
  tensor: TensorName;
  view: StateView;
  smoothing: number;
  summaryPage: number;
  hiddenRow: number;
  /** The cause picked in the legend: drawn highlighted, and `[` / `]` jump between its batches. */
  highlight: InitialStateCause | null;
  xAxis: XAxisMode;
  logY: boolean;
  /** Draw the per-epoch mean losses (training and validation). */
  epochMeans: boolean;
  events: EventFilter;
  eventsPage: number;
}

/** Defaults for a run opened for the first time. */
export function defaultUiState(runDir: string): UiState {
  return {
    runDir,
    selected: null,
    viewport: null,
    follow: true,
    layer: 0,
    tensor: 'h',
    view: 'final',
    smoothing: 0.6,
    summaryPage: 0,
    hiddenRow: 0,
    highlight: null,
    xAxis: 'step',
    logY: false,
    epochMeans: true,
    events: 'resets',
    eventsPage: 0,
  };
}

/** A kept state from an older version lacks the newer fields: fill them in. */
export function completeUiState(kept: Partial<UiState> & { runDir: string }): UiState {
  return { ...defaultUiState(kept.runDir), ...kept };
}
