/** The panel's UI state, kept with `vscode.setState` so it survives hiding and window reloads. */
import type { Viewport } from '../numbers/viewport';

/** Which state tensor the inspector shows: hidden or cell. */
export type TensorName = 'h' | 'c';
/** Which moment of the batch the inspector shows: its initial state, final state, or their difference. */
export type StateView = 'initial' | 'final' | 'difference';

/** Everything the user chose in the panel; `runDir` also tells the serializer which run to reopen. */
export interface UiState {
  runDir: string;
  selected: number | null;
  viewport: Viewport | null;
  /** Keep the newest batch in view while a run is live. */
  follow: boolean;
  layer: number;
  tensor: TensorName;
  view: StateView;
  smoothing: number;
  summaryPage: number;
  hiddenRow: number;
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
  };
}
