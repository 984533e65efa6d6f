/**
 * The trainer steps the LSTM cells itself (src/trainer/forward.ts). Checked here against
 * tfjs's own Keras port, tf.layers.lstm, given the same weights: same final (h, c), same
 * hidden sequence, for both gate activations and a stacked model.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/shared/config';
import { forward } from '../../src/trainer/forward';
import { buildStack, disposeStack, namedWeights, type LayerStates } from '../../src/trainer/model';
import { maxAbsDiff } from '../helpers/referenceLstm';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => tf.disposeVariables());

function modelConfig(units: number[], recurrentActivation: 'sigmoid' | 'hardSigmoid'): ResolvedConfig {
  return { model: { units, stateful: false, recurrentActivation, activation: 'tanh', seed: 7 } } as ResolvedConfig;
}

describe('forward pass', () => {
  for (const recurrentActivation of ['sigmoid', 'hardSigmoid'] as const) {
    it(`equals tf.layers.lstm with the same weights (${recurrentActivation} gates, two layers, non-zero initial state)`, () => {
      const stack = buildStack(tf, modelConfig([6, 4], recurrentActivation), 3, 2);
      const x = tf.randomNormal([5, 9, 3], 0, 1, 'float32', 11) as tf.Tensor3D;
      const initial = stack.units.map((u, i) => [
        tf.randomNormal([5, u], 0, 0.5, 'float32', 20 + i),
        tf.randomNormal([5, u], 0, 0.5, 'float32', 30 + i),
      ]) as LayerStates;
      const ours = forward(tf, stack, x, initial);
      const weights = new Map(namedWeights(stack).map(({ name, tensor }) => [name, tensor]));
      let input: tf.Tensor = x;
      stack.units.forEach((units, i) => {
        const layer = tf.layers.lstm({ units, recurrentActivation, returnSequences: true, returnState: true });
        const [, h] = layer.apply(input, { initialState: initial[i] }) as tf.Tensor[];
        layer.setWeights(['kernel', 'recurrent_kernel', 'bias'].map((name) => weights.get(`layer${i}.${name}`)!));
        const [sequenceAgain, hAgain, cAgain] = layer.apply(input, { initialState: initial[i] }) as tf.Tensor[];
        // The first call only built the layer with its own initial weights: it must differ.
        expect(maxAbsDiff(h.dataSync(), hAgain.dataSync())).toBeGreaterThan(1e-3);
        expect(maxAbsDiff(ours.finals[i][0].dataSync(), hAgain.dataSync())).toBeLessThanOrEqual(1e-6);
        expect(maxAbsDiff(ours.finals[i][1].dataSync(), cAgain.dataSync())).toBeLessThanOrEqual(1e-6);
        const ourSequence = tf.stack(ours.steps[i], 1);
        expect(ourSequence.shape).toEqual(sequenceAgain.shape);
        expect(maxAbsDiff(ourSequence.dataSync(), sequenceAgain.dataSync())).toBeLessThanOrEqual(1e-6);
        input = sequenceAgain;
        layer.dispose();
      });
      const head = tf.add(tf.matMul(ours.finals[1][0], weights.get('head.kernel')!), weights.get('head.bias')!);
      expect(maxAbsDiff(ours.prediction.dataSync(), head.dataSync())).toBeLessThanOrEqual(1e-6);
      disposeStack(stack);
    });
  }

  it('starts with Keras initial weights: unit forget bias, orthogonal recurrent kernel', () => {
    const stack = buildStack(tf, modelConfig([4], 'sigmoid'), 2, 1);
    const bias = Array.from(stack.layers[0].bias.dataSync());
    expect(bias).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    // Orthogonal [4, 16]: its rows are orthonormal, so R·Rᵀ is the identity.
    const r = stack.layers[0].recurrentKernel;
    const gram = tf.matMul(r, r, false, true).dataSync();
    expect(maxAbsDiff(gram, tf.eye(4).dataSync())).toBeLessThanOrEqual(1e-5);
    expect(stack.variables).toHaveLength(5);
    disposeStack(stack);
  });
});
