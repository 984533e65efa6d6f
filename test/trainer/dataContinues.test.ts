/**
 * `dataContinues`, measured per batch: does row i's data continue the data row i's state came
 * from? Checked against the data itself (a sample continues another exactly when its first value
 * is the other's target), on generator layouts, CSV windows with several strides, shuffling and
 * across phases; and the answer states both the carried state and the data's continuity.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { answerForRecords } from '../../src/shared/answer';
import type { LstmConfig } from '../../src/shared/config';
import type { FinishedProgress } from '../../src/trainer/progress';
import { expectDataContinuesFromData } from '../helpers/phaseChecks';
import { smallConfig, trainInTemp } from '../helpers/trainInTemp';

const carried = (run: {
  batches: Array<{ carriedFrom: number | null; dataContinues: boolean | null; phase: string }>;
}) => run.batches.filter((b) => b.carriedFrom !== null);

const finishedAnswer = (events: unknown[]) =>
  (events.find((e) => (e as FinishedProgress).type === 'finished') as FinishedProgress).answer;

describe('dataContinues on generated layouts', () => {
  it('continuous: true within an epoch, false where epoch 2 carries the end of epoch 1', async () => {
    const { run, events } = await trainInTemp(
      smallConfig({ model: { stateful: true }, data: { layout: 'continuous' }, resets: 'never' }),
    );
    expectDataContinuesFromData(run);
    expect(run.batches.map((b) => b.dataContinues)).toEqual([null, true, true, true, false, true, true, true]);
    expect(finishedAnswer(events)).toBe(answerForRecords(run.manifest, run.batches));
    expect(finishedAnswer(events)).toMatch(
      /^stateful: row i carries row i's state in 7 batches; row i's data continues in 6 of them but not in 1;/,
    );
  });

  it('independent: the state is carried, the data never continues, and the answer says so (LSTM005)', async () => {
    const { run, events } = await trainInTemp(
      smallConfig({ model: { stateful: true }, data: { layout: 'independent' }, resets: 'epoch' }),
    );
    expectDataContinuesFromData(run);
    expect(carried(run).every((b) => b.dataContinues === false)).toBe(true);
    expect(finishedAnswer(events)).toMatch(
      /^stateful: row i carries row i's state in 6 batches, but in all of them row i's data does not continue \(LSTM005\): the carried state comes from an unrelated sequence; resets: 1 at the start, 1 at epoch end;/,
    );
  });

  it('shuffled: carried rows hold unrelated samples (LSTM001)', async () => {
    const { run, events } = await trainInTemp(
      smallConfig({
        model: { stateful: true },
        data: { layout: 'continuous', samples: 100 },
        training: { shuffle: true, epochs: 3 },
        resets: 'never',
      }),
    );
    expectDataContinuesFromData(run);
    expect(carried(run).every((b) => b.dataContinues === false)).toBe(true);
    expect(finishedAnswer(events)).toContain("in all of them row i's data does not continue (LSTM001)");
  });

  it('stateless continuous: a zero start where the series goes on is a state dropped mid-series', async () => {
    const { run, events } = await trainInTemp(smallConfig({ data: { layout: 'continuous' }, training: { epochs: 1 } }));
    expectDataContinuesFromData(run);
    expect(run.batches.map((b) => b.dataContinues)).toEqual([null, true, true, true]);
    expect(finishedAnswer(events)).toContain(
      "in 3 batches row i's data continues the previous batch's row i, so a state is dropped where the series goes on",
    );
  });
});

describe('dataContinues on CSV windows', () => {
  /** 60 rows of distinct values 1…60: a window's target is the value after it, so continuity shows in the data. */
  function csvConfig(stride: number): { config: LstmConfig; file: string; text: string } {
    const text = `v\n${Array.from({ length: 60 }, (_, r) => r + 1).join('\n')}\n`;
    return {
      file: 'series.csv',
      text,
      config: {
        data: { csv: 'series.csv', columns: ['v'], target: 'v', window: 6, stride },
        model: { units: 3, stateful: true },
        training: { batchSize: 3, epochs: 1, learningRate: 0 },
        resets: 'epoch',
      },
    };
  }

  it.each([
    [2, true],
    [1, false],
    [3, false],
    [4, false],
  ])(
    'stride %i with window 6 and batch size 3: row i of the next batch continues row i: %s',
    async (stride, continues) => {
      const { config, file, text } = csvConfig(stride);
      const { run, events } = await trainInTemp(config, undefined, 'csv.lstm.json', (dir) =>
        fs.writeFileSync(path.join(dir, file), text),
      );
      expectDataContinuesFromData(run);
      expect(carried(run).length).toBeGreaterThan(2);
      expect(carried(run).every((b) => b.dataContinues === continues)).toBe(true);
      const answer = finishedAnswer(events);
      if (continues) expect(answer).toMatch(/^stateful: row i continues row i of the previous batch;/);
      else
        expect(answer).toContain(
          "but in all of them row i's data does not continue (LSTM006): the carried state comes from an unrelated window",
        );
      // The lint says the same before the run.
      expect(run.warnings.some((w) => w.code === 'LSTM006')).toBe(!continues);
    },
  );
});

describe('dataContinues across phases', () => {
  it("validation's own data is a series of its own: carrying training's state into it never continues the data", async () => {
    const { run } = await trainInTemp({
      ...smallConfig({ model: { stateful: true }, data: { layout: 'continuous' }, resets: 'never' }),
      validation: {
        data: { generator: 'sine', samples: 20, timesteps: 7, features: 1, seed: 3, layout: 'continuous' },
      },
      validationState: 'shared',
    });
    expectDataContinuesFromData(run);
    const validation = run.batches.filter((b) => b.phase === 'validate');
    // Its first batch carries training's last state (unrelated data); its second continues its first.
    expect(validation.map((b) => [b.batch, b.cause, b.dataContinues])).toEqual([
      [0, 'carried', false],
      [1, 'carried', true],
      [0, 'carried', false],
      [1, 'carried', true],
    ]);
  });
});
