/**
 * The tensors a report embeds, within a byte budget: the first R rows of every captured batch (R as
 * large as the budget allows, so every batch keeps its continuity), each initial state left out when
 * it is exactly zeros or exactly its source's final state. A batch whose data cannot be read is
 * skipped with a problem naming it; the rest of the run is still embedded.
 */
import type { RunData } from '../runStore/readRun';
import { readBatchHidden, readBatchNorms, readBatchStates, type StateBlocks } from '../runStore/batchData';
import { messageOf } from '../runStore/runFolderError';
import { hiddenRowsIn, type BatchRecord } from '../shared/runFormat';
import {
  INITIAL_CARRIED,
  INITIAL_STORED,
  INITIAL_ZEROS,
  type ReportNorms,
  type ReportTensors,
} from '../shared/reportPayload';

/** Rows of norms kept for a batch without tensors (the inspector's norms table shows 64). */
const NORM_ROWS = 64;

/** Growable float32 storage. */
class Floats {
  values = new Float32Array(1 << 16);
  length = 0;
  push(block: ArrayLike<number>): void {
    if (this.length + block.length > this.values.length) {
      const next = new Float32Array(Math.max(this.length + block.length, this.values.length * 2));
      next.set(this.values.subarray(0, this.length));
      this.values = next;
    }
    this.values.set(block, this.length);
    this.length += block.length;
  }
  done(): Float32Array {
    return this.values.slice(0, this.length);
  }
}

/** Embedded rows of a step: per layer its final h and c, for the initial state of the steps carried from it. */
type Finals = Array<{ h: Float32Array; c: Float32Array; units: number; cellUnits: number }>;

export interface EmbeddedTensors {
  tensors: ReportTensors;
  norms: ReportNorms;
  /** Rows embedded per batch, of how many at most. */
  rows: number;
  maxRows: number;
  /** Captured batches embedded, of how many. */
  embedded: number;
  captured: number;
  /** Batches skipped because their data could not be read: "step k: why". */
  problems: string[];
}

/** The tensors and norms of `run` within `budgetBytes` of float32 values. */
export function embedTensors(run: RunData, budgetBytes: number): EmbeddedTensors {
  const layers = run.manifest.model.layers;
  const hasCell = run.manifest.model.states.includes('c');
  const captured = run.batches.filter((b) => b.statesOffset !== null && !b.unreadable);
  const maxRows = Math.max(1, ...captured.map((b) => b.rowCount));
  // A batch's final states are what it costs (its initial state is mostly zeros or carried): one row of each.
  const rowBytes = layers.reduce((sum, l) => sum + 4 * (l.units + (hasCell ? l.cellUnits : 0)), 0);
  const rows = Math.max(1, Math.min(maxRows, Math.floor(budgetBytes / Math.max(1, captured.length * rowBytes))));
  const values = new Floats();
  const hidden = new Floats();
  const steps: number[] = [];
  const rowCount: number[] = [];
  const initial: number[] = [];
  const offset: number[] = [];
  const hiddenOffset: number[] = [];
  const hiddenTimesteps: number[] = [];
  const finals = new Map<number, Finals>();
  const problems: string[] = [];
  const tensorSteps = new Set<number>();
  for (const batch of captured) {
    // A run whose initial states rarely dedupe may pass the budget by half: the rest gets norms only.
    if (values.length * 4 > budgetBytes * 1.5) break;
    let states: StateBlocks[] | null;
    try {
      states = readBatchStates(run, batch);
    } catch (error) {
      problems.push(`step ${batch.step}: ${messageOf(error)}`);
      continue;
    }
    if (!states) continue;
    const r = Math.min(rows, batch.rowCount);
    const kept: Finals = states.map((s, l) => ({
      h: s.h.subarray(0, r * layers[l].units),
      c: s.c.subarray(0, hasCell ? r * layers[l].cellUnits : 0),
      units: layers[l].units,
      cellUnits: hasCell ? layers[l].cellUnits : 0,
    }));
    const mode = initialMode(batch, states, kept, r, finals);
    steps.push(batch.step);
    rowCount.push(r);
    initial.push(mode);
    offset.push(values.length);
    states.forEach((s, l) => {
      if (mode === INITIAL_STORED) {
        values.push(s.h0.subarray(0, r * layers[l].units));
        if (hasCell) values.push(s.c0.subarray(0, r * layers[l].cellUnits));
      }
      values.push(kept[l].h);
      if (hasCell) values.push(kept[l].c);
    });
    finals.set(batch.step, kept);
    tensorSteps.add(batch.step);
    embedHidden(run, batch, r, hidden, hiddenOffset, hiddenTimesteps, problems);
  }
  return {
    tensors: {
      rows,
      steps: Int32Array.from(steps),
      rowCount: Int32Array.from(rowCount),
      initial: Uint8Array.from(initial),
      offset: Float64Array.from(offset),
      values: values.done(),
      hiddenOffset: Float64Array.from(hiddenOffset),
      hiddenTimesteps: Int32Array.from(hiddenTimesteps),
      hidden: hidden.done(),
    },
    norms: embedNorms(run, tensorSteps, problems),
    rows,
    maxRows,
    embedded: steps.length,
    captured: captured.length,
    problems,
  };
}

/** Zeros, carried (bitwise the source's embedded final rows), or stored. */
function initialMode(
  batch: BatchRecord,
  states: StateBlocks[],
  kept: Finals,
  r: number,
  finals: Map<number, Finals>,
): number {
  const zero = states.every((s, l) => isZero(s.h0, r * kept[l].units) && isZero(s.c0, r * kept[l].cellUnits));
  if (zero) return INITIAL_ZEROS;
  const source = batch.carriedFrom === null ? undefined : finals.get(batch.carriedFrom);
  if (!source) return INITIAL_STORED;
  const sourceRows = source[0].h.length / Math.max(1, source[0].units);
  for (let i = 0; i < r; i++) {
    const from = batch.rowSources ? batch.rowSources[i] : i;
    if (from === null || from >= sourceRows) return INITIAL_STORED;
    for (let l = 0; l < states.length; l++) {
      const { units, cellUnits } = kept[l];
      if (!sameRow(states[l].h0, i, source[l].h, from, units)) return INITIAL_STORED;
      if (!sameRow(states[l].c0, i, source[l].c, from, cellUnits)) return INITIAL_STORED;
    }
  }
  return INITIAL_CARRIED;
}

function isZero(values: Float32Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (values[i] !== 0) return false;
  return true;
}

function sameRow(a: Float32Array, row: number, b: Float32Array, from: number, units: number): boolean {
  for (let u = 0; u < units; u++) if (!Object.is(a[row * units + u], b[from * units + u])) return false;
  return true;
}

function embedHidden(
  run: RunData,
  batch: BatchRecord,
  r: number,
  hidden: Floats,
  hiddenOffset: number[],
  hiddenTimesteps: number[],
  problems: string[],
): void {
  const { hiddenRows, hiddenLayers, model } = run.manifest;
  const kept = hiddenRowsIn(hiddenRows, batch.rowCount);
  let blocks: Float32Array[] | null = null;
  try {
    blocks = readBatchHidden(run, batch);
  } catch (error) {
    problems.push(`step ${batch.step} (hidden sequence): ${messageOf(error)}`);
  }
  if (!blocks || !kept.length) {
    hiddenOffset.push(-1);
    hiddenTimesteps.push(0);
    return;
  }
  const timesteps = blocks[0].length / Math.max(1, kept.length * model.layers[hiddenLayers[0]].units);
  // Only the hidden rows among the embedded rows [0, r): the leading ones of the list (the reader takes the same).
  let shown = 0;
  while (shown < kept.length && kept[shown] < r) shown++;
  hiddenOffset.push(hidden.length);
  hiddenTimesteps.push(timesteps);
  blocks.forEach((block, k) => hidden.push(block.subarray(0, shown * timesteps * model.layers[hiddenLayers[k]].units)));
}

function embedNorms(run: RunData, tensorSteps: Set<number>, problems: string[]): ReportNorms {
  const values = new Floats();
  const steps: number[] = [];
  const rowCount: number[] = [];
  const offset: number[] = [];
  for (const batch of run.batches) {
    if (tensorSteps.has(batch.step) || batch.unreadable) continue;
    let norms: StateBlocks[];
    try {
      norms = readBatchNorms(run, batch);
    } catch (error) {
      problems.push(`step ${batch.step}: ${messageOf(error)}`);
      continue;
    }
    const r = Math.min(NORM_ROWS, batch.rowCount);
    steps.push(batch.step);
    rowCount.push(r);
    offset.push(values.length);
    for (const n of norms)
      for (const block of [n.h0, n.c0, n.h, n.c]) values.push(block.subarray(0, block.length ? r : 0));
  }
  return {
    steps: Int32Array.from(steps),
    rowCount: Int32Array.from(rowCount),
    offset: Float64Array.from(offset),
    values: values.done(),
  };
}
