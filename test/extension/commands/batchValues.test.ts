import { describe, expect, it } from 'vitest';
import { readBatchValues, toCsv, toJson } from '../../../src/extension/commands/batchValues';
import { RunManager } from '../../../src/extension/run/runManager';
import { RunRepository } from '../../../src/extension/runs/runRepository';
import { readRun } from '../../../src/runStore/readRun';
import { MemoryLog, fakeLaunch, tempWorkspace } from '../helpers';

/** A small stateful run recorded by the fake trainer (real files: manifest, log, norms.bin, states.bin). */
async function recordedRun() {
  const log = new MemoryLog();
  const repository = new RunRepository(log);
  const manager = new RunManager(log, repository);
  const session = manager.start(
    fakeLaunch(tempWorkspace(), { stateful: true, epochs: 1, batchesPerEpoch: 3, rows: 2, units: 3, delayMs: 1 }),
  );
  await session.exited;
  manager.dispose();
  repository.dispose();
  return readRun(session.runDir!);
}

describe('batch values (Export Batch / Copy Values)', () => {
  it('reads initial and final h, c per row; a carried batch starts where the previous one ended', async () => {
    const run = await recordedRun();
    const first = readBatchValues(run, run.batches[0]);
    const second = readBatchValues(run, run.batches[1]);
    expect(second.cause).toBe('carried');
    expect(second.carriedFrom).toBe(0);
    expect(first.states![0].h0).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(second.states![0].h0).toEqual(first.states![0].h);
    expect(second.states![0].c0).toEqual(first.states![0].c);
    expect(second.norms[0].h0[1]).toBeCloseTo(Math.hypot(...first.states![0].h[1]), 5);
  });

  it('JSON round-trips; CSV has one line per layer, state and row', async () => {
    const run = await recordedRun();
    const values = readBatchValues(run, run.batches[2]);
    expect(JSON.parse(toJson(values))).toEqual(values);
    const lines = toCsv(values).trim().split('\n');
    expect(lines[0]).toBe('layer,state,row,sample,norm,u0,u1,u2');
    expect(lines).toHaveLength(1 + 4 * 2);
    const [layer, state, row, sample, , ...units] = lines[5].split(',');
    expect([layer, state, row, sample]).toEqual(['0', 'h', '0', String(values.rows![0])]);
    expect(units.map(Number)).toEqual(values.states![0].h[0]);
  });

  it('past the tensor budget only norms are exported, and the CSV says so with empty unit columns', async () => {
    const run = await recordedRun();
    const normsOnly = { ...run.batches[1], statesOffset: null };
    const values = readBatchValues(run, normsOnly);
    expect(values.states).toBeNull();
    const lines = toCsv(values).trim().split('\n');
    expect(lines[0]).toBe('layer,state,row,sample,norm');
    expect(lines[1].split(',')).toHaveLength(5);
  });
});
