/** Turns one batch's initial and final states into what the run folder keeps: norms always, full tensors within the budget. */
import { normsFloats, statesFloats } from '../shared/runFormat';

/** Per layer, row-major [rows * units] values of the four states. */
export interface LayerValues {
  units: number;
  h0: Float32Array;
  c0: Float32Array;
  h: Float32Array;
  c: Float32Array;
}

/** L2 norm of every row of a [rows * units] block (accumulated in float64). */
export function rowNorms(values: Float32Array, rows: number, units: number): Float32Array {
  const norms = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let u = r * units; u < (r + 1) * units; u++) sum += values[u] * values[u];
    norms[r] = Math.sqrt(sum);
  }
  return norms;
}

const mean = (values: Float32Array) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);

/** The norms block (per layer h0, c0, h, c × rows) and the per-layer means shown in summaries. */
export function normsBlock(
  layers: LayerValues[],
  rows: number,
): { block: Float32Array; means: Array<{ h0: number; c0: number; h: number; c: number }> } {
  const block = new Float32Array(normsFloats(layers.length, rows));
  const means = layers.map((layer, i) => {
    const [h0, c0, h, c] = [layer.h0, layer.c0, layer.h, layer.c].map((values) => rowNorms(values, rows, layer.units));
    block.set(h0, (i * 4 + 0) * rows);
    block.set(c0, (i * 4 + 1) * rows);
    block.set(h, (i * 4 + 2) * rows);
    block.set(c, (i * 4 + 3) * rows);
    return { h0: mean(h0), c0: mean(c0), h: mean(h), c: mean(c) };
  });
  return { block, means };
}

/** The states block: per layer h0, c0, h, c (each [rows * units]). */
export function statesBlock(layers: LayerValues[], rows: number): Float32Array {
  const block = new Float32Array(
    statesFloats(
      layers.map((l) => l.units),
      rows,
    ),
  );
  let at = 0;
  for (const layer of layers) {
    for (const values of [layer.h0, layer.c0, layer.h, layer.c]) {
      block.set(values, at);
      at += values.length;
    }
  }
  return block;
}

/** Spends the byte budget for full tensors, batch by batch, until it is gone. */
export class TensorBudget {
  private spent = 0;
  private exhausted = false;

  constructor(private readonly budgetBytes: number) {}

  /** True (and the bytes are counted) if a block of this size still fits; once one does not, none does, so captured batches form one prefix of the run. */
  take(bytes: number): boolean {
    if (this.exhausted || this.spent + bytes > this.budgetBytes) {
      this.exhausted = true;
      return false;
    }
    this.spent += bytes;
    return true;
  }
}
