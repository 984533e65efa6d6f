/** One batch's recorded states as JSON or CSV, for the clipboard or a file (pure; reads the run folder). */
import type { InitialStateCause } from '../../shared/causes';
import type { BatchRecord, RunManifest } from '../../shared/runFormat';
import { readBatchNorms, readBatchStates } from '../../runStore/batchData';

const STATES = ['h0', 'c0', 'h', 'c'] as const;

/** Everything saved for one batch; `states` is null past the tensor budget (then only norms exist). */
export interface BatchValues {
  runDir: string;
  step: number;
  epoch: number;
  batch: number;
  cause: InitialStateCause;
  carriedFrom: number | null;
  /** NaN or ±Infinity when not finite; null when not known. */
  loss: number | null;
  /** Sample index (into X) of every row. */
  rows: number[] | null;
  /** Per layer: h0, c0 (initial) and h, c (final) as [row][unit]. */
  states: Array<Record<(typeof STATES)[number], number[][]>> | null;
  /** Per layer: the per-row L2 norm of each state. */
  norms: Array<Record<(typeof STATES)[number], number[]>>;
}

/** Reads one batch's states and norms from the run folder. */
export function readBatchValues(run: { runDir: string; manifest: RunManifest }, record: BatchRecord): BatchValues {
  const rows = record.rowCount;
  const states = readBatchStates(run, record);
  return {
    runDir: run.runDir,
    step: record.step,
    epoch: record.epoch,
    batch: record.batch,
    cause: record.cause,
    carriedFrom: record.carriedFrom,
    loss: record.loss,
    rows: record.rows,
    states:
      states &&
      states.map((layer, i) => {
        const units = run.manifest.model.layers[i].units;
        const matrix = (values: Float32Array) =>
          Array.from({ length: rows }, (_, r) => Array.from(values.subarray(r * units, (r + 1) * units)));
        return { h0: matrix(layer.h0), c0: matrix(layer.c0), h: matrix(layer.h), c: matrix(layer.c) };
      }),
    norms: readBatchNorms(run, record).map((layer) => ({
      h0: [...layer.h0],
      c0: [...layer.c0],
      h: [...layer.h],
      c: [...layer.c],
    })),
  };
}

/** The values as indented JSON. */
export function toJson(values: BatchValues): string {
  return `${JSON.stringify(values, null, 1)}\n`;
}

/**
 * One line per layer, state and row: `layer,state,row,sample,norm,u0,u1,...`
 * (state is h0/c0 = initial, h/c = final; unit columns are empty when only norms were kept).
 */
export function toCsv(values: BatchValues): string {
  const units = values.states ? Math.max(...values.states.map((layer) => layer.h[0]?.length ?? 0)) : 0;
  const header = ['layer', 'state', 'row', 'sample', 'norm', ...Array.from({ length: units }, (_, u) => `u${u}`)];
  const lines = [header.join(',')];
  values.norms.forEach((norms, layer) => {
    for (const state of STATES) {
      for (let row = 0; row < values.norms[layer].h0.length; row++) {
        const sample = values.rows?.[row] ?? '';
        const cells = values.states?.[layer][state][row] ?? [];
        lines.push([layer, state, row, sample, norms[state][row], ...cells].join(','));
      }
    }
  });
  return `${lines.join('\n')}\n`;
}
