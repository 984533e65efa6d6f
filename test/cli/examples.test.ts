/**
 * The three validation examples (examples/validation-{shared,isolated,reset}.lstm.json) as a user
 * runs them, with 2 epochs instead of 15 to stay quick: each trains, its causes follow its mode
 * (checked in states.bin: zeros or bitwise the named batch's final state), and its answer has the
 * validation clause that `npm run demo` prints.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig';
import { readRun } from '../../src/runStore/readRun';
import { answerForRun } from '../../src/runStore/runSummary';
import { logRecords, statesOfBatch } from '../helpers/rawRun';
import { tempWorkspace } from '../helpers/trainInTemp';

const cli = path.resolve(__dirname, '../../dist/cli.js');
const examples = path.resolve(__dirname, '../../examples');

type Batch = Record<string, unknown>;

/** Trains a copy of the example with `epochs` epochs; the --json summary and the log's batch records. */
function trainExample(mode: string, epochs = 2): { summary: Record<string, unknown>; batches: Batch[] } {
  const { $schema: _schema, ...config } = JSON.parse(
    fs.readFileSync(path.join(examples, `validation-${mode}.lstm.json`), 'utf8'),
  );
  const workspace = tempWorkspace();
  const file = path.join(workspace, `validation-${mode}.lstm.json`);
  fs.writeFileSync(file, JSON.stringify({ ...config, training: { ...config.training, epochs } }));
  const result = spawnSync(process.execPath, [cli, 'train', file, '--json', '--backend', 'wasm'], {
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
  return { summary, batches: logRecords(summary.runDir, 'batch') };
}

/** The clause the demo prints: the part of the answer that starts with "validation (". */
const validationClause = (answer: string) => answer.split('; ').find((part) => part.startsWith('validation ('));

const UNITS = [16];
const isZero = (values: Float32Array) => values.every((v) => v === 0);
const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe('the validation examples', () => {
  it('load as they are: schema-valid and checked (15 epochs, batch size 200, stateful, a 0.2 split)', () => {
    for (const mode of ['shared', 'isolated', 'reset']) {
      const { resolved } = loadConfig(path.join(examples, `validation-${mode}.lstm.json`));
      expect(resolved).toMatchObject({
        validation: { split: 0.2 },
        validationState: mode,
        model: { stateful: true },
        training: { batchSize: 200, epochs: 15 },
        predict: { data: 'validation', reset: false },
      });
    }
  });

  it.each([
    [
      'shared',
      // Epoch 2 starts from validation's state; the prediction (on the validation data) from the last validation's.
      { epoch2: ['carried', 'validate'], predict: ['carried', 'validate'] },
      "validation (2 batches) starts from the state training left, and epoch 2 starts from the state validation left (Keras's behaviour)",
      'prediction (1 batch) starts from the state validation left',
    ],
    [
      'isolated',
      // The training state is put back after validation: epoch 2 and the prediction are restored from training's last batch.
      { epoch2: ['restored', 'train'], predict: ['restored', 'train'] },
      'validation (2 batches) starts from the state training left, and the training state is restored after each validation',
      'prediction (1 batch) starts from the state training left',
    ],
    [
      'reset',
      { epoch2: ['phase', null], predict: ['phase', null] },
      'validation (2 batches) starts from zeros, and training after it starts from zeros',
      'prediction (1 batch) starts from zeros (zeroed after validation)',
    ],
  ])('%s: trains, with its cause pattern and the answer the demo prints', (mode, expected, clause, prediction) => {
    const { summary, batches } = trainExample(mode);
    // 4 training batches and 1 validation batch per epoch, then one prediction batch.
    expect(batches.map((b) => b.phase)).toEqual([
      ...['train', 'train', 'train', 'train', 'validate'],
      ...['train', 'train', 'train', 'train', 'validate'],
      'predict',
    ]);
    const runDir = summary.runDir as string;
    const states = (step: number) => statesOfBatch(runDir, batches[step], UNITS)[0];
    for (const [step, [cause, sourcePhase]] of [
      [5, expected.epoch2],
      [10, expected.predict],
    ] as const) {
      const batch = batches[step];
      expect([batch.cause, sourcePhase && batches[batch.carriedFrom as number].phase], `step ${step}`).toEqual([
        cause,
        sourcePhase,
      ]);
      // The claim holds in the saved numbers: zeros, or bitwise the final state of carriedFrom.
      if (sourcePhase === null) {
        expect(isZero(states(step).h0) && isZero(states(step).c0), `step ${step} zeros`).toBe(true);
      } else {
        const source = states(batch.carriedFrom as number);
        expect(same(states(step).h0, source.h) && same(states(step).c0, source.c), `step ${step} carried`).toBe(true);
      }
    }
    // Isolated and reset really differ from shared: validation's final state is not what epoch 2 starts from.
    if (mode !== 'shared') expect(same(states(5).h0, states(4).h)).toBe(false);
    const answer = summary.answer as string;
    expect(answer).toBe(answerForRun(readRun(runDir)));
    expect(validationClause(answer)).toBe(clause);
    expect(answer).toContain(`; ${prediction}`);
  });
});
