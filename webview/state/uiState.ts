/** The panel's UI state, kept with `vscode.setState` so it survives hiding and window reloads. */
import { CAUSES, type InitialStateCause } from '../../src/shared/causes';
import {
  isBoolean,
  isFraction,
  isNonNegativeInteger,
  isNullable,
  isOneOf,
  isRange,
  isRecord,
  isString,
} from '../../src/shared/channels/check';
import type { Viewport } from '../numbers/viewport';

const TENSOR_NAMES = ['h', 'c'] as const;
const STATE_VIEWS = ['initial', 'final', 'difference'] as const;
const X_AXIS_MODES = ['step', 'epoch', 'time'] as const;
const EVENT_FILTERS = ['resets', 'nonFinite', 'unreadable', 'flagged', ...CAUSES] as const;

/** Which state tensor the inspector shows: hidden or cell. */
export type TensorName = (typeof TENSOR_NAMES)[number];
/** Which moment of the batch the inspector shows: its initial state, final state, or their difference. */
export type StateView = (typeof STATE_VIEWS)[number];
/** What the loss chart's x axis is labelled with (positions stay batches, aligned with the timeline). */
export type XAxisMode = (typeof X_AXIS_MODES)[number];
/** What the list of batches of note shows: explicit resets, one cause, non-finite losses, unreadable or flagged batches. */
export type EventFilter = (typeof EVENT_FILTERS)[number];

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

/** One check per field: a field added to UiState without a check is a compile error. */
const FIELD_CHECKS: { [K in keyof UiState]: (value: unknown) => value is UiState[K] } = {
  runDir: isString,
  selected: isNullable(isNonNegativeInteger),
  viewport: isNullable(isRange),
  follow: isBoolean,
  layer: isNonNegativeInteger,
  tensor: (value) => isOneOf(TENSOR_NAMES, value),
  view: (value) => isOneOf(STATE_VIEWS, value),
  smoothing: isFraction,
  summaryPage: isNonNegativeInteger,
  hiddenRow: isNonNegativeInteger,
  highlight: isNullable((value) => isOneOf(CAUSES, value)),
  xAxis: (value) => isOneOf(X_AXIS_MODES, value),
  logY: isBoolean,
  epochMeans: isBoolean,
  events: (value) => isOneOf(EVENT_FILTERS, value),
  eventsPage: isNonNegativeInteger,
};

/**
 * A kept state read back (from disk after a reload): undefined unless it names its run folder; a field
 * missing (kept by an older version) or of the wrong type gets its default.
 */
export function readUiState(kept: unknown): UiState | undefined {
  if (!isRecord(kept) || !isString(kept.runDir)) return undefined;
  const state = defaultUiState(kept.runDir);
  const take = <K extends keyof UiState>(key: K) => {
    const value = kept[key];
    const check: (value: unknown) => value is UiState[K] = FIELD_CHECKS[key];
    if (check(value)) state[key] = value;
  };
  for (const key of Object.keys(FIELD_CHECKS) as Array<keyof UiState>) take(key);
  return state;
}
