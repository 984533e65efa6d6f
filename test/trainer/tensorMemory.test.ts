/**
 * Tensors live in the backend's memory, outside the garbage collector's reach: a trainer that
 * leaks a few per batch grows without bound over a long run (and the extension trains many
 * runs). Counted with the engine's own bookkeeping on the backend the trainer used.
 */
import { describe, expect, it } from 'vitest';
import { loadBackend } from '../../src/trainer/backend';
import { smallConfig, trainInTemp } from '../helpers/trainInTemp';

describe('tensor memory', () => {
  it('stays flat batch after batch and returns to where it started after a stateful run with hidden capture, a manual reset and a stop', async () => {
    const { tf } = await loadBackend('wasm');
    const before = tf.memory().numTensors;
    const alive: number[] = [];
    const { run } = await trainInTemp(
      smallConfig({
        model: { stateful: true, units: [4, 3] },
        data: { layout: 'continuous' },
        resets: 'epoch',
        capture: { hiddenRows: [0, 3] },
        training: { epochs: 6, learningRate: 0.01 },
      }),
      (event) => {
        if (event.type !== 'batch') return;
        alive.push(tf.memory().numTensors);
        if (event.record.step === 5) return { type: 'resetNow' };
        if (event.record.step === 17) return { type: 'stop' };
      },
    );
    expect(run.batches.map((b) => b.cause)).toContain('manual');
    expect(run.batches.length).toBe(18); // the stop lands at the boundary after step 17
    // From the second batch on (the optimiser makes its slots at the first), the count never moves.
    expect(new Set(alive.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('tensor memory with validation and prediction', () => {
  it.each(['shared', 'isolated', 'reset'] as const)(
    'returns to where it started after a stateful run validating (%s) and predicting, with a manual reset during validation',
    async (validationState) => {
      const { tf } = await loadBackend('wasm');
      const before = tf.memory().numTensors;
      const { run } = await trainInTemp(
        {
          ...smallConfig({
            model: { stateful: true, units: [4, 3] },
            data: { layout: 'continuous' },
            capture: { hiddenRows: [0] },
            training: { epochs: 3, learningRate: 0.01 },
          }),
          resets: 'never',
          validation: { split: 0.25 },
          validationState,
          predict: { data: 'validation' },
        },
        (event) =>
          event.type === 'batch' && event.record.phase === 'train' && event.record.step === 6
            ? { type: 'resetNow' }
            : undefined,
      );
      expect(run.batches.map((b) => b.phase)).toContain('predict');
      // The reset asked for after step 6 lands on the next batch: epoch 1's validation.
      expect(run.batches[7]).toMatchObject({ phase: 'validate', cause: 'manual' });
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});
