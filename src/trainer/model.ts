/**
 * The LSTM stack and its dense head, run as plain layers in a custom loop so that one
 * forward pass gives the loss and every layer's final (h, c) — and so that each batch's
 * initial state is passed in explicitly, which is what makes it recordable.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { ResolvedConfig } from '../shared/config';
import type { Tf } from './backend';

export interface LstmStack {
  lstms: tfTypes.layers.Layer[];
  head: tfTypes.layers.Layer;
  units: number[];
}

/** Per layer [h, c], each [rows, units]. */
export type LayerStates = Array<[tfTypes.Tensor2D, tfTypes.Tensor2D]>;

export interface ForwardResult {
  prediction: tfTypes.Tensor2D;
  finals: LayerStates;
  /** Per layer [rows, timesteps, units] when sequences are returned, else null. */
  sequences: Array<tfTypes.Tensor3D | null>;
}

/** Builds the layers with seeded Keras-default initialisers (glorot kernel, orthogonal recurrent, unit forget bias). */
export function buildStack(tf: Tf, config: ResolvedConfig, features: number, targets: number, keepSequences: boolean): LstmStack {
  const seed = config.model.seed;
  const units = config.model.units;
  const lstms = units.map((u, i) =>
    tf.layers.lstm({
      units: u,
      activation: config.model.activation,
      // tfjs defaults to hardSigmoid; the config default is Keras's sigmoid.
      recurrentActivation: config.model.recurrentActivation,
      unitForgetBias: true,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + 3 * i + 1 }),
      recurrentInitializer: tf.initializers.orthogonal({ seed: seed * 1000 + 3 * i + 2 }),
      returnSequences: keepSequences || i < units.length - 1,
      returnState: true,
      name: `lstm_${i}`,
    }),
  );
  const head = tf.layers.dense({
    units: targets,
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + 999 }),
    name: 'head',
  });
  const stack = { lstms, head, units };
  // Build the weights once with a dummy batch so they exist before the first snapshot.
  tf.tidy(() => {
    const x = tf.zeros([1, 1, features]) as tfTypes.Tensor3D;
    forward(tf, stack, x, units.map((u) => [tf.zeros([1, u]), tf.zeros([1, u])] as [tfTypes.Tensor2D, tfTypes.Tensor2D]));
  });
  return stack;
}

/** One pass through the stack from the given initial states. */
export function forward(tf: Tf, stack: LstmStack, x: tfTypes.Tensor3D, initial: LayerStates): ForwardResult {
  let input: tfTypes.Tensor = x;
  const finals: LayerStates = [];
  const sequences: Array<tfTypes.Tensor3D | null> = [];
  stack.lstms.forEach((lstm, i) => {
    const [output, h, c] = lstm.apply(input, { initialState: initial[i] }) as tfTypes.Tensor[];
    finals.push([h as tfTypes.Tensor2D, c as tfTypes.Tensor2D]);
    sequences.push(output.rank === 3 ? (output as tfTypes.Tensor3D) : null);
    input = output;
  });
  // The last layer's final h is its output at the last timestep (return_state: output == h).
  const prediction = stack.head.apply(finals[finals.length - 1][0]) as tfTypes.Tensor2D;
  return { prediction, finals, sequences };
}

/** Weights in Keras layout (gates i, f, c, o), named as exported: layer<i>.kernel, ..., head.kernel, head.bias. */
export function namedWeights(stack: LstmStack): Array<{ name: string; tensor: tfTypes.Tensor }> {
  const named: Array<{ name: string; tensor: tfTypes.Tensor }> = [];
  stack.lstms.forEach((lstm, i) => {
    const [kernel, recurrent, bias] = lstm.getWeights();
    named.push({ name: `layer${i}.kernel`, tensor: kernel }, { name: `layer${i}.recurrent_kernel`, tensor: recurrent }, { name: `layer${i}.bias`, tensor: bias });
  });
  const [kernel, bias] = stack.head.getWeights();
  named.push({ name: 'head.kernel', tensor: kernel }, { name: 'head.bias', tensor: bias });
  return named;
}

export function countParams(layer: tfTypes.layers.Layer): number {
  return layer.countParams();
}
