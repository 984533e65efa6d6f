/**
 * The host's compact model of a run (typed-array columns, line offsets, step runs) against an
 * independent reading of the same folder: runStore's readRun, which keeps every record whole.
 * Summaries, full records read back from the log, groups, counts, tallies, the answer and the
 * tree's batch items must agree — on a real trainer run with validation and prediction, and on
 * damaged logs (unreadable lines, a repeated step, a torn last line).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import * as vscode from 'vscode';
import type { RunModel } from '../../../src/extension/runs/runModel';
import { RunRepository } from '../../../src/extension/runs/runRepository';
import { StepRuns } from '../../../src/extension/runs/stepRuns';
import { RunsTreeProvider } from '../../../src/extension/tree/runsTreeProvider';
import { readRun, type RunData } from '../../../src/runStore/readRun';
import { answerForRun, countCauses, countFlags } from '../../../src/runStore/runSummary';
import { tallyRecords } from '../../../src/shared/answer';
import { recordAt, toColumns } from '../../../src/shared/batchColumns';
import { RUN_FILES, type BatchRecord } from '../../../src/shared/runFormat';
import { writeConfig } from '../../config/helpers';
import { writeSyntheticRun } from '../../fixtures/syntheticRun';
import { smallConfig } from '../../helpers/trainInTemp';
import { MemoryLog, tempWorkspace } from '../helpers';
import { thisProcess } from '../runFolder';

const cli = path.resolve(__dirname, '../../../dist/cli.js');

let repository: RunRepository | undefined;
afterEach(() => repository?.dispose());

/** A record as the columns keep it: without rows, row sources and tensor offsets (the contract's summary). */
const summary = (record: BatchRecord) => recordAt(toColumns([record], { detail: false }), 0);

/** Every figure of the model against the whole-folder reading. */
async function expectSameAsReadRun(model: RunModel, read: RunData): Promise<void> {
  expect(model.batches.length).toBe(read.batches.length);
  for (const record of read.batches) {
    expect(model.batches.at(record.step)).toEqual(summary(record));
    // The full record, read back from its line of the log (a placeholder's is its summary).
    expect(await model.record(record.step)).toEqual(record);
  }
  expect(model.batches.columns()).toEqual(toColumns(read.batches, { detail: false }));
  expect(model.counts).toEqual(countCauses(read.batches));
  expect(model.flags).toEqual(countFlags(read.batches));
  expect(model.tally).toEqual(tallyRecords(read.batches));
  expect(model.answer()).toBe(answerForRun(read));
  expect(model.log.resets).toEqual(read.resets);
  expect(model.log.epochs).toEqual(read.epochs);
  expect(model.log.problems).toEqual(read.problems);
  expect(model.status).toBe(read.status);
  // Groups: the steps of each epoch and phase, in order, as the records say.
  const groups = new Map<string, number[]>();
  for (const r of read.batches)
    groups.set(`${r.epoch}:${r.phase}`, [...(groups.get(`${r.epoch}:${r.phase}`) ?? []), r.step]);
  for (const [key, steps] of groups) {
    const [epoch, phase] = key.split(':') as [string, BatchRecord['phase']];
    const group = model.group(Number(epoch), phase)!;
    expect(Array.from({ length: group.steps.length }, (_, i) => group.steps.at(i))).toEqual(steps);
    steps.forEach((step, position) => expect(model.positionOf(step)).toBe(position));
    const batches = steps.map((step) => read.batches[step]);
    expect(group.counts).toEqual(countCauses(batches));
    const finite = batches.map((b) => b.loss).filter((l): l is number => l !== null && Number.isFinite(l));
    expect(group.lossCount).toBe(finite.length);
    expect(group.lossSum).toBeCloseTo(
      finite.reduce((a, b) => a + b, 0),
      12,
    );
  }
  const groupCount = model
    .epochNumbers()
    .reduce((n, epoch) => n + (model.epochs[epoch] ? 1 : 0) + model.phasesOf(epoch).length, 0);
  expect(groupCount).toBe(groups.size);
}

/** The tree's batch items: full tensors or norms only as the record's statesOffset says; row sources in the tooltip. */
async function expectTreeItems(runDir: string, read: RunData): Promise<void> {
  const tree = new RunsTreeProvider(repository!, async () => [runDir], 1_000_000);
  try {
    const items: vscode.TreeItem[] = [];
    const visit = async (node?: Parameters<typeof tree.getChildren>[0]): Promise<void> => {
      for (const child of await tree.getChildren(node)) {
        if (child.kind === 'batch') items.push(await tree.resolveTreeItem(tree.getTreeItem(child), child));
        else await visit(child);
      }
    };
    await visit();
    expect(items).toHaveLength(read.batches.length);
    for (const item of items) {
      const step = Number(/step (\d+)/.exec((item.tooltip as vscode.MarkdownString).value)![1]);
      const record = read.batches[step];
      expect(item.contextValue).toBe(
        record.unreadable ? 'batch.unreadable' : record.statesOffset === null ? 'batch.normsOnly' : 'batch.captured',
      );
      if (record.rowSources)
        expect((item.tooltip as vscode.MarkdownString).value).toContain(
          `0←${record.rowSources[0] ?? '·'}, 1←${record.rowSources[1] ?? '·'}`,
        );
    }
  } finally {
    tree.dispose();
  }
}

describe('the compact run model', () => {
  it('a real trainer run with validation and prediction: the same summaries, records, groups, counts, tallies and answer as readRun', async () => {
    const config = writeConfig(tempWorkspace(), 'phases.lstm.json', {
      ...smallConfig({ model: { units: [3, 2], stateful: true }, data: { layout: 'continuous' } }),
      resets: 'never',
      validation: { split: 0.25 },
      validationState: 'shared',
      predict: {},
    });
    const result = spawnSync(process.execPath, [cli, 'train', config, '--json', '--backend', 'wasm'], {
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    const runDir = JSON.parse(result.stdout.trim().split('\n').at(-1)!).runDir as string;
    const read = readRun(runDir);
    expect(new Set(read.batches.map((b) => b.phase))).toEqual(new Set(['train', 'validate', 'predict']));
    repository = new RunRepository(new MemoryLog());
    const model = await repository.open(runDir);
    await expectSameAsReadRun(model, read);
    await expectTreeItems(runDir, read);
  });

  it('a damaged log — unreadable lines, a repeated step, a torn last line — reads as readRun reads it', async () => {
    const runDir = path.join(tempWorkspace(), 'damaged');
    writeSyntheticRun({
      dir: runDir,
      stateful: true,
      epochs: 3,
      batchesPerEpoch: 5,
      batchSize: 3,
      units: [2],
      resets: 'epoch',
      capturedBatches: 6,
      validation: { batches: 2, state: 'isolated' },
      damagedLines: [4, 9],
      nonFinite: { 3: Number.POSITIVE_INFINITY },
      unknownLoss: [5],
      override: { 7: { cause: 'permuted', rowSources: [2, 0, 1], flags: ['shuffledData'] } },
      status: 'open',
    });
    const logPath = path.join(runDir, RUN_FILES.log);
    const lines = fs.readFileSync(logPath, 'utf8').split('\n').filter(Boolean);
    const repeated = lines.find((line) => line.includes('"step":2,'))!;
    fs.appendFileSync(logPath, `${repeated}\n{"t":"batch","step":99,"epo`);
    const read = readRun(runDir);
    expect(read.batches.filter((b) => b.cause === 'unreadable').map((b) => b.step)).toEqual([4, 9]);
    expect(read.problems.map((p) => p.message).join('\n')).toMatch(/repeats step 2/);
    expect(read.tornTail).toBe(true);
    repository = new RunRepository(new MemoryLog());
    const model = await repository.open(runDir);
    await expectSameAsReadRun(model, read);
    await expectTreeItems(runDir, read);
  });

  it('a recorded script (rows unknown, timesteps per batch, a GRU) reads as readRun reads it', async () => {
    const runDir = path.join(tempWorkspace(), 'recorded');
    writeSyntheticRun({
      dir: runDir,
      stateful: true,
      epochs: 2,
      batchesPerEpoch: 4,
      batchSize: 2,
      units: [3],
      recorder: true,
      gru: true,
      override: { 5: { cause: 'partial', rowSources: [1, null], dataContinues: false } },
    });
    repository = new RunRepository(new MemoryLog());
    await expectSameAsReadRun(await repository.open(runDir), readRun(runDir));
  });

  it('a live run read in several reads: every later batch is found at its line offset', async () => {
    const runDir = path.join(tempWorkspace(), 'live');
    writeSyntheticRun({
      dir: runDir,
      stateful: true,
      epochs: 4,
      batchesPerEpoch: 6,
      batchSize: 2,
      units: [2],
      resets: { everyBatches: 4 },
      status: 'open',
      writer: thisProcess(),
    });
    const logPath = path.join(runDir, RUN_FILES.log);
    const text = fs.readFileSync(logPath, 'utf8');
    // The first read ends inside a line: the rest of it comes with the next read.
    const cut = Math.floor(text.length / 3);
    fs.writeFileSync(logPath, text.slice(0, cut));
    repository = new RunRepository(new MemoryLog());
    const model = await repository.open(runDir);
    const first = model.batches.length;
    fs.appendFileSync(logPath, text.slice(cut, 2 * cut));
    await repository.refresh(runDir);
    fs.appendFileSync(logPath, text.slice(2 * cut));
    await repository.refresh(runDir);
    expect(first).toBeGreaterThan(0);
    expect(model.batches.length).toBeGreaterThan(first);
    await expectSameAsReadRun(model, readRun(runDir));
  });

  it('a record read back notices a log that was rewritten under it', async () => {
    const runDir = path.join(tempWorkspace(), 'rewritten');
    writeSyntheticRun({ dir: runDir, stateful: false, epochs: 1, batchesPerEpoch: 3, batchSize: 2 });
    repository = new RunRepository(new MemoryLog());
    const model = await repository.open(runDir);
    const logPath = path.join(runDir, RUN_FILES.log);
    fs.writeFileSync(
      logPath,
      `{"t":"warning","code":"X","message":"m","field":"f"}\n${fs.readFileSync(logPath, 'utf8')}`,
    );
    await expect(model.record(2)).rejects.toThrow(/log\.jsonl.*batch 2/);
  });
});

describe('StepRuns', () => {
  it('positions and steps agree with a plain sorted list, across gaps', () => {
    const steps = [0, 1, 2, 7, 8, 20, 21, 22, 23, 40];
    const runs = new StepRuns();
    steps.forEach((step, i) => expect(runs.push(step)).toBe(i));
    expect(runs.length).toBe(steps.length);
    steps.forEach((step, i) => {
      expect(runs.at(i)).toBe(step);
      expect(runs.positionOf(step)).toBe(i);
    });
    for (const absent of [3, 6, 9, 19, 24, 39, 41]) expect(runs.positionOf(absent)).toBe(-1);
  });
});
