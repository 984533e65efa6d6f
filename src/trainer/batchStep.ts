/** One batch from an explicit initial state — an optimiser step, or a forward pass only — returning what the run records. */
import type * as tfTypes from '@tensorflow/tfjs';
import { hiddenRowsIn } from '../shared/runFormat';
import type { Tf } from './backend';
import type { LayerValues } from './capture';
import { forward } from './forward';
import type { LayerStates, LstmStack } from './model';

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

/** One batch from the given initial state (null = zeros): an optimiser step when training, a forward pass otherwise. */
export class BatchStep {
  constructor(
    private readonly tf: Tf,
    private readonly stack: LstmStack,
    private readonly optimizer: tfTypes.Optimizer,
    private readonly hiddenRows: number[],
  ) {}

  run(
    xAll: tfTypes.Tensor3D,
    yAll: tfTypes.Tensor2D,
    rows: number[],
    initial: { tensors: LayerStates; values: LayerValues[] } | null,
    train = true,
  ): StepResult {
    const { tf, stack } = this;
    const started = performance.now();
    const n = rows.length;
    const index = tf.tensor1d(rows, 'int32');
    const xb = tf.gather(xAll, index) as tfTypes.Tensor3D;
    const yb = tf.gather(yAll, index) as tfTypes.Tensor2D;
    const initialTensors = initial ? initial.tensors : zeroStates(tf, stack.units, n);
    const hiddenRows = hiddenRowsIn(this.hiddenRows, n);
    let finals: LayerStates = [];
    let hidden: Float32Array | null = null;
    const pass = (): tfTypes.Scalar => {
      const out = forward(tf, stack, xb, initialTensors);
      finals = out.finals.map(([h, c]) => [tf.keep(h), tf.keep(c)]);
      // Read while the step tensors are alive: eager ops have already computed them.
      if (hiddenRows.length > 0) hidden = readHiddenRows(out.steps, hiddenRows, stack.units);
      return tf.losses.meanSquaredError(yb, out.prediction) as tfTypes.Scalar;
    };
    // Validation and prediction run the same pass without a gradient tape or an update (Keras's evaluate, predict).
    const lossTensor = train ? (this.optimizer.minimize(pass, true, stack.variables) as tfTypes.Scalar) : tf.tidy(pass);
    const loss = lossTensor.dataSync()[0];
    const values = finals.map(([h, c], i): LayerValues => {
      const units = stack.units[i];
      const h0 = initial ? initial.values[i].h : new Float32Array(n * units);
      const c0 = initial ? initial.values[i].c : new Float32Array(n * units);
      return { units, h0, c0, h: h.dataSync() as Float32Array, c: c.dataSync() as Float32Array };
    });
    if (!initial) disposeStates(initialTensors);
    tf.dispose([lossTensor, index, xb, yb]);
    return { loss, finals, values, hidden, ms: performance.now() - started };
  }
}

/** The kept rows' h at every timestep: per layer [rows, timesteps, units], layers one after another. */
function readHiddenRows(steps: tfTypes.Tensor2D[][], rows: number[], units: number[]): Float32Array {
  const timesteps = steps[0].length;
  const out = new Float32Array(rows.length * timesteps * units.reduce((a, b) => a + b, 0));
  let layerStart = 0;
  steps.forEach((hs, layer) => {
    const u = units[layer];
    hs.forEach((h, t) => {
      const values = h.dataSync();
      rows.forEach((row, r) => out.set(values.subarray(row * u, (row + 1) * u), layerStart + (r * timesteps + t) * u));
    });
    layerStart += rows.length * timesteps * u;
  });
  return out;
}
