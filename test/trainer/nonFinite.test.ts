/**
 * A non-finite state stops a run as a non-finite loss does. An LSTM's final h and c stay finite
 * whenever its loss is (|c| grows by at most 1 a timestep; a NaN reaches the prediction), so the
 * real run below gets its non-finite c by fault injection: the real batch step runs, then one
 * value of its final c is replaced before the runner sees it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchStep, type StepResult } from '../../src/trainer/batchStep';
import { TrainingControls } from '../../src/trainer/controls';
import { nonFiniteIn } from '../../src/trainer/nonFinite';
import { train } from '../../src/trainer/train';
import type { LayerValues } from '../../src/trainer/capture';
import { logNumber, logRecords, statesOfBatch } from '../helpers/rawRun';
import { smallConfig, tempWorkspace } from '../helpers/trainInTemp';

const layer = (values: Partial<LayerValues> = {}): LayerValues => ({
  units: 2,
  h0: new Float32Array(4),
  c0: new Float32Array(4),
  h: Float32Array.of(0.1, 0.2, 0.3, 0.4),
  c: Float32Array.of(0.5, 0.6, 0.7, 0.8),
  ...values,
});

describe('nonFiniteIn', () => {
  it('names the loss first, then the first non-finite final state by name and layer', () => {
    expect(nonFiniteIn(0.5, [layer(), layer()])).toBeUndefined();
    expect(nonFiniteIn(Number.NaN, [layer({ h: Float32Array.of(0, Infinity, 0, 0) })])).toBe('the loss became NaN');
    expect(nonFiniteIn(0.5, [layer(), layer({ c: Float32Array.of(0, 0, -Infinity, 0) })])).toBe(
      'the final state c of layer 1 became -Infinity',
    );
    expect(nonFiniteIn(0.5, [layer({ h: Float32Array.of(0, 0, 0, Number.NaN) })])).toBe(
      'the final state h of layer 0 became NaN',
    );
    // The initial states are not the batch's doing: a non-finite h0 alone is not reported here.
    expect(nonFiniteIn(0.5, [layer({ h0: Float32Array.of(Infinity, 0, 0, 0) })])).toBeUndefined();
  });
});

describe('a non-finite final state in a real run', () => {
  afterEach(() => vi.restoreAllMocks());

  it('stops the run at that batch (recorded as it is), failed, with the batch named and the state in states.bin', async () => {
    const realRun = BatchStep.prototype.run;
    let calls = 0;
    vi.spyOn(BatchStep.prototype, 'run').mockImplementation(function (this: BatchStep, ...args): StepResult {
      const result = realRun.apply(this, args);
      // Step 2: row 1, unit 3 of layer 0's final c becomes Infinity; its loss stays finite.
      if (calls++ === 2) result.values[0].c[1 * 5 + 3] = Infinity;
      return result;
    });
    const workspace = tempWorkspace();
    const configPath = path.join(workspace, 'state.lstm.json');
    fs.writeFileSync(
      configPath,
      JSON.stringify(smallConfig({ model: { stateful: true }, data: { layout: 'continuous' }, resets: 'epoch' })),
    );
    const result = await train(
      { configPath, workspaceRoot: workspace, backend: 'wasm' },
      () => {},
      new TrainingControls(() => {}),
    );
    expect(result.type).toBe('failed');
    if (result.type !== 'failed') return;
    expect(result.message).toMatch(
      /^the final state c of layer 0 became Infinity at step 2 \(epoch 1 of 2, train batch 3 of 4\): the learning rate \(\w+, 0\) is probably too high, or the data's values may be too large/,
    );
    const runDir = result.runDir!;
    const batches = logRecords(runDir, 'batch');
    expect(batches.map((b) => b.step)).toEqual([0, 1, 2]);
    expect(Number.isFinite(logNumber(batches[2].loss))).toBe(true);
    // The batch is kept as it was: its final c holds the Infinity, its c norm of row 1 is Infinity.
    const [states] = statesOfBatch(runDir, batches[2], [5]);
    expect(states.c[1 * 5 + 3]).toBe(Infinity);
    expect(states.c.filter((v) => !Number.isFinite(v))).toHaveLength(1);
    expect((batches[2].meanNorms as Array<Record<string, unknown>>)[0].c).toBe('Infinity');
    const [end] = logRecords(runDir, 'end');
    expect(end).toMatchObject({ status: 'failed', message: result.message, step: 3 });
  });
});
