/** One optimiser step on one batch, from an explicit initial state, returning what the run records. */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from './backend';
import type { LayerValues } from './capture';
import { forward, type LayerStates, type LstmStack } from './model';

export function zeroStates(tf: Tf, units: number[], rows: number): LayerStates {
  return units.map((u) => [tf.zeros([rows, u]), tf.zeros([rows, u])] as [tfTypes.Tensor2D, tfTypes.Tensor2D]);
}

export function disposeStates(states: LayerStates): void {
  for (const [h, c] of states) {
    h.dispose();
    c.dispose();
  }
}

export interface StepResult {
  loss: number;
  finals: LayerStates;
  values: LayerValues[];
  hidden: Float32Array | null;
  ms: number;
}

/** One optimiser step on one batch, from the given initial state (null = zeros). */
export class BatchStep {
  constructor(
    private readonly tf: Tf,
    private readonly stack: LstmStack,
    private readonly optimizer: tfTypes.Optimizer,
    private readonly hiddenRows: number[],
  ) {}

  run(xAll: tfTypes.Tensor3D, yAll: tfTypes.Tensor2D, rows: number[], initial: { tensors: LayerStates; values: LayerValues[] } | null): StepResult {
    const { tf, stack } = this;
    const started = performance.now();
    const n = rows.length;
    const index = tf.tensor1d(rows, 'int32');
    const xb = tf.gather(xAll, index) as tfTypes.Tensor3D;
    const yb = tf.gather(yAll, index) as tfTypes.Tensor2D;
    const initialTensors = initial ? initial.tensors : zeroStates(tf, stack.units, n);
    const hiddenRows = this.hiddenRows.filter((row) => row < n);
    let finals: LayerStates = [];
    let hiddenTensor: tfTypes.Tensor | null = null;
    const lossTensor = this.optimizer.minimize(() => {
      const out = forward(tf, stack, xb, initialTensors);
      finals = out.finals.map(([h, c]) => [tf.keep(h), tf.keep(c)]);
      if (hiddenRows.length > 0) {
        const picked = out.sequences.map((seq) => tf.gather(seq as tfTypes.Tensor3D, hiddenRows).reshape([-1]));
        hiddenTensor = tf.keep(tf.concat(picked));
      }
      return tf.losses.meanSquaredError(yb, out.prediction) as tfTypes.Scalar;
    }, true) as tfTypes.Scalar;
    const loss = lossTensor.dataSync()[0];
    const values = finals.map(([h, c], i): LayerValues => {
      const units = stack.units[i];
      const h0 = initial ? initial.values[i].h : new Float32Array(n * units);
      const c0 = initial ? initial.values[i].c : new Float32Array(n * units);
      return { units, h0, c0, h: h.dataSync() as Float32Array, c: c.dataSync() as Float32Array };
    });
    const hidden = hiddenTensor ? ((hiddenTensor as tfTypes.Tensor).dataSync() as Float32Array) : null;
    (hiddenTensor as tfTypes.Tensor | null)?.dispose();
    if (!initial) disposeStates(initialTensors);
    tf.dispose([lossTensor, index, xb, yb]);
    return { loss, finals, values, hidden, ms: performance.now() - started };
  }
}

