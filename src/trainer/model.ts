/**
 * The model's weights: an LSTM stack in Keras layout (kernel [inputs, 4·units],
 * recurrent_kernel [units, 4·units], bias [4·units], gates i, f, c, o) and a dense head,
 * held as plain variables so that a custom loop (forward.ts) can step the cells itself:
 * one forward pass gives the loss, every layer's final (h, c) and each timestep's h, and
 * each batch's initial state is passed in explicitly, which is what makes it recordable.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { ResolvedConfig } from '../shared/config';
import type { Tf } from './backend';

export interface LstmLayer {
  units: number;
  kernel: tfTypes.Variable;
  recurrentKernel: tfTypes.Variable;
  bias: tfTypes.Variable;
}

export interface LstmStack {
  layers: LstmLayer[];
  head: { kernel: tfTypes.Variable; bias: tfTypes.Variable };
  units: number[];
  recurrentActivation: ResolvedConfig['model']['recurrentActivation'];
  /** Every trainable variable, for the optimiser. */
  variables: tfTypes.Variable[];
}

/** Per layer [h, c], each [rows, units]. */
export type LayerStates = Array<[tfTypes.Tensor2D, tfTypes.Tensor2D]>;

/** Creates the weights with Keras's default initialisers, seeded: glorot-uniform kernels, orthogonal recurrent kernels, unit forget bias. */
export function buildStack(tf: Tf, config: ResolvedConfig, features: number, targets: number): LstmStack {
  const seed = config.model.seed;
  const units = config.model.units;
  // tidy disposes the initial values; each variable keeps its own reference to the data.
  const variable = (init: () => tfTypes.Tensor) => tf.tidy(() => tf.variable(init(), true));
  const layers = units.map((u, i): LstmLayer => {
    const inputs = i === 0 ? features : units[i - 1];
    return {
      units: u,
      kernel: variable(() => tf.initializers.glorotUniform({ seed: seed * 1000 + 3 * i + 1 }).apply([inputs, 4 * u])),
      recurrentKernel: variable(() => tf.initializers.orthogonal({ seed: seed * 1000 + 3 * i + 2 }).apply([u, 4 * u])),
      // Keras's unit_forget_bias: the forget gate (second quarter) starts at 1, the rest at 0.
      bias: variable(() => tf.concat([tf.zeros([u]), tf.ones([u]), tf.zeros([2 * u])])),
    };
  });
  const last = units[units.length - 1];
  const head = {
    kernel: variable(() => tf.initializers.glorotUniform({ seed: seed * 1000 + 999 }).apply([last, targets])),
    bias: variable(() => tf.zeros([targets])),
  };
  const variables = [...layers.flatMap((l) => [l.kernel, l.recurrentKernel, l.bias]), head.kernel, head.bias];
  return { layers, head, units, recurrentActivation: config.model.recurrentActivation, variables };
}

export function disposeStack(stack: LstmStack): void {
  for (const variable of stack.variables) variable.dispose();
}

/** Weights in Keras layout, named as exported: layer<i>.kernel, layer<i>.recurrent_kernel, layer<i>.bias, head.kernel, head.bias. */
export function namedWeights(stack: LstmStack): Array<{ name: string; tensor: tfTypes.Tensor }> {
  const named = stack.layers.flatMap((layer, i) => [
    { name: `layer${i}.kernel`, tensor: layer.kernel },
    { name: `layer${i}.recurrent_kernel`, tensor: layer.recurrentKernel },
    { name: `layer${i}.bias`, tensor: layer.bias },
  ]);
  return [...named, { name: 'head.kernel', tensor: stack.head.kernel }, { name: 'head.bias', tensor: stack.head.bias }];
}

export const paramsOf = (...tensors: tfTypes.Tensor[]) => tensors.reduce((sum, t) => sum + t.size, 0);
