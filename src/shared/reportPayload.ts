/**
 * What a standalone HTML report embeds (packed with packedData.ts: the arrays as one compressed
 * blob): a run's snapshot and batch columns, and the tensors of its batches — the first `rows`
 * rows of each, an initial state left out where it is exactly zeros or exactly its source's final
 * state (rebuilt on reading) — or, for a comparison, the runs' snapshots.
 */
import type { BatchColumns } from './batchColumns';
import type { CompareRun, RunSnapshot } from './channels/webviewChannel';

/** How an embedded batch's initial state is stored. */
export const INITIAL_STORED = 0;
/** All zeros: not stored. */
export const INITIAL_ZEROS = 1;
/** Exactly the final state of its `carriedFrom`, row i from row `rowSources[i] ?? i`: not stored. */
export const INITIAL_CARRIED = 2;

/** The embedded tensors, for the embedded steps in ascending order. */
export interface ReportTensors {
  /** Rows embedded at most per batch (its first ones). */
  rows: number;
  steps: Int32Array;
  /** Rows embedded of each step: min(rows, its row count). */
  rowCount: Int32Array;
  /** INITIAL_* of each step. */
  initial: Uint8Array;
  /** First value of each step in `values`: per layer h0, c0 (when stored), then h, c (c only for an LSTM). */
  offset: Float64Array;
  values: Float32Array;
  /** First value of each step's hidden sequences in `hidden` (-1: none): per kept layer [hidden rows][timesteps][units]. */
  hiddenOffset: Float64Array;
  hiddenTimesteps: Int32Array;
  hidden: Float32Array;
}

/** Per-row norms of the batches without embedded tensors (their first rows), per layer h0, c0, h, c (h0, h for GRU/RNN). */
export interface ReportNorms {
  steps: Int32Array;
  rowCount: Int32Array;
  offset: Float64Array;
  values: Float32Array;
}

/** The report of one run. */
export interface RunReportPayload {
  kind: 'run';
  snapshot: RunSnapshot;
  columns: BatchColumns;
  tensors: ReportTensors;
  norms: ReportNorms;
  /** What the report leaves out (rows, batches past the budget, damaged batches), shown in the inspector. */
  note?: string;
}

/** A comparison of runs. */
export interface CompareReportPayload {
  kind: 'compare';
  runs: CompareRun[];
}

export type ReportPayload = RunReportPayload | CompareReportPayload;
