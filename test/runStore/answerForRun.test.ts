/**
 * The answer read back from a saved trainer run (answerForRun: what the panel, the tree and the
 * report show) says what the log shows: where validation leaves the state, and — when the state
 * is carried but the data is not — both facts, with the counts taken from log.jsonl.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/runStore/readRun';
import { answerForRun } from '../../src/runStore/runSummary';
import type { LstmConfig } from '../../src/shared/config';
import { logRecords } from '../helpers/rawRun';
import { smallConfig, trainInTemp } from '../helpers/trainInTemp';

/** Stateful, continuous series, 30 train samples (3 batches) and 10 validation samples (1 batch) per epoch. */
const validated = (extra: Partial<LstmConfig>, epochs = 3): LstmConfig => ({
  ...smallConfig({ model: { stateful: true }, data: { layout: 'continuous' }, training: { epochs } }),
  validation: { split: 0.25 },
  ...extra,
});

/** The answer's clauses (it joins them with "; "). */
const clauses = (answer: string) => answer.split('; ');

describe('answerForRun on trainer runs with validation', () => {
  it("shared: the epochs that start from validation's state are named, as the log shows them", async () => {
    const { run } = await trainInTemp(validated({ resets: 'never', validationState: 'shared' }));
    const batches = logRecords(run.runDir, 'batch');
    // From the log: which epochs' first training batch carries a validation batch's state.
    const fromValidation = batches
      .filter(
        (b) => b.phase === 'train' && b.carriedFrom !== null && batches[b.carriedFrom as number].phase === 'validate',
      )
      .map((b) => (b.epoch as number) + 1);
    expect(fromValidation).toEqual([2, 3]);
    const answer = answerForRun(readRun(run.runDir));
    expect(clauses(answer)).toContain(
      "validation (3 batches) starts from the state training left, and epochs 2–3 start from the state validation left (Keras's behaviour)",
    );
  });

  it('shared with epoch resets: the reset after validation is said in the same clause', async () => {
    const { run } = await trainInTemp(validated({ resets: 'epoch', validationState: 'shared' }, 2));
    const batches = logRecords(run.runDir, 'batch');
    expect(batches.filter((b) => b.cause === 'epoch').map((b) => [b.phase, b.epoch])).toEqual([['train', 1]]);
    expect(clauses(answerForRun(readRun(run.runDir)))).toContain(
      'validation (2 batches) starts from the state training left, and the epoch-end reset zeroes the state after it',
    );
  });

  it('data that does not continue (CSV windows, LSTM006): the state is carried in N batches, the data in none', async () => {
    // 60 distinct values, windows of 6, stride 1, batch size 3: row i of the next batch starts 3 rows on, not 6.
    const text = `v\n${Array.from({ length: 60 }, (_, r) => r + 1).join('\n')}\n`;
    const { run } = await trainInTemp(
      {
        data: { csv: 'series.csv', columns: ['v'], target: 'v', window: 6, stride: 1 },
        model: { units: 3, stateful: true },
        training: { batchSize: 3, epochs: 1, learningRate: 0 },
        resets: 'never',
      },
      undefined,
      'csv.lstm.json',
      (dir) => fs.writeFileSync(path.join(dir, 'series.csv'), text),
    );
    const carried = logRecords(run.runDir, 'batch').filter((b) => b.carriedFrom !== null);
    expect(carried.length).toBeGreaterThan(10);
    expect(carried.every((b) => b.dataContinues === false)).toBe(true);
    expect(answerForRun(readRun(run.runDir))).toMatch(
      new RegExp(
        `^stateful: row i carries row i's state in ${carried.length} batches, but in all of them row i's data does not continue \\(LSTM006\\): the carried state comes from an unrelated window;`,
      ),
    );
  });
});
