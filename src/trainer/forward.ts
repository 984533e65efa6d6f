/**
 * One pass of the LSTM stack, stepped here rather than inside tf.layers.lstm: the same
 * equations (Keras's, gates i, f, c, o), with the input projection fused with the bias, and
 * every timestep's h left in hand — the hidden sequence the run keeps costs no extra op, where
 * the layer would stack a [rows, timesteps, units] copy per batch to return it.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from './backend';
import type { LayerStates, LstmStack } from './model';

export interface ForwardResult {
  prediction: tfTypes.Tensor2D;
  finals: LayerStates;
  /** Per layer, h at every timestep ([rows, units] each); the last is the final h. */
  steps: tfTypes.Tensor2D[][];
}

/** The gate activation: Keras's sigmoid, or hardSigmoid as tfjs and Keras 2 define it, clip(0.2·x + 0.5, 0, 1). */
function gateActivation(tf: Tf, name: LstmStack['recurrentActivation']): (x: tfTypes.Tensor2D) => tfTypes.Tensor2D {
  if (name === 'hardSigmoid') return (x) => tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1) as tfTypes.Tensor2D;
  return (x) => tf.sigmoid(x);
}

/** Runs the stack on x [rows, timesteps, features] from the given initial (h, c) of each layer. */
export function forward(tf: Tf, stack: LstmStack, x: tfTypes.Tensor3D, initial: LayerStates): ForwardResult {
  const gate = gateActivation(tf, stack.recurrentActivation);
  // Time-major: layer 0 steps through the batch's timesteps, each layer above through the h sequence below it.
  let inputs = tf.unstack(tf.transpose(x, [1, 0, 2])) as tfTypes.Tensor2D[];
  const finals: LayerStates = [];
  const steps: tfTypes.Tensor2D[][] = [];
  stack.layers.forEach((layer, i) => {
    let [h, c] = initial[i];
    const hs: tfTypes.Tensor2D[] = [];
    for (const xt of inputs) {
      const z = tf.add(
        tf.fused.matMul({ a: xt, b: layer.kernel, bias: layer.bias }),
        tf.matMul(h, layer.recurrentKernel),
      );
      const [zi, zf, zg, zo] = tf.split(z, 4, 1) as tfTypes.Tensor2D[];
      // The schema's only cell activation is tanh.
      c = tf.add(tf.mul(gate(zf), c), tf.mul(gate(zi), tf.tanh(zg)));
      h = tf.mul(gate(zo), tf.tanh(c));
      hs.push(h);
    }
    finals.push([h, c]);
    steps.push(hs);
    inputs = hs;
  });
  const lastH = finals[finals.length - 1][0];
  const prediction = tf.fused.matMul({
    a: lastH,
    b: stack.head.kernel as tfTypes.Tensor2D,
    bias: stack.head.bias,
  }) as tfTypes.Tensor2D;
  return { prediction, finals, steps };
}
