/** The host's batch columns across chunk boundaries (16,384 batches a chunk), against the shared contract's toColumns. */
import { describe, expect, it } from 'vitest';
import { BatchTable } from '../../../src/extension/runs/batchTable';
import { recordAt, toColumns } from '../../../src/shared/batchColumns';
import { CAUSES } from '../../../src/shared/causes';
import { PHASES, type BatchRecord } from '../../../src/shared/runFormat';

const COUNT = 40_000;

/** Varied records: every phase and cause, null and non-finite losses, flags, two layers. */
function records(): BatchRecord[] {
  return Array.from({ length: COUNT }, (_, step) => ({
    t: 'batch',
    step,
    epoch: Math.floor(step / 7000),
    batch: step % 7000,
    phase: PHASES[step % PHASES.length],
    rowCount: 1 + (step % 5),
    rows: null,
    timesteps: step % 3 ? null : 4 + (step % 9),
    loss: step % 11 === 0 ? null : step % 13 === 0 ? Number.NaN : step % 17 === 0 ? Number.NEGATIVE_INFINITY : step / 7,
    cause: CAUSES[step % CAUSES.length],
    carriedFrom: step % 2 ? step - 1 : null,
    rowSources: null,
    flags: step % 19 === 0 ? ['withGraph', 'shuffledData'] : [],
    dataContinues: step % 3 === 0 ? null : step % 3 === 1,
    meanNorms: [
      { h0: step, c0: step + 0.5, h: -step, c: 1 / (step + 1) },
      { h0: 2 * step, c0: Number.NaN, h: 3, c: 4 },
    ],
    normsOffset: 0,
    statesOffset: null,
    hiddenOffset: null,
    ms: step * 0.25,
    ...(CAUSES[step % CAUSES.length] === 'unreadable' ? { unreadable: `line ${step} could not be read` } : {}),
  }));
}

describe('BatchTable', () => {
  const all = records();
  const table = new BatchTable(2);
  all.forEach((record, step) => table.push(record, step % 5 === 0 ? -1 : step * 100));

  it('holds every batch as toColumns packs it, across chunks; at(i) is recordAt of the contract', () => {
    expect(table.length).toBe(COUNT);
    const expected = toColumns(all, { detail: false });
    expect(table.columns()).toEqual(expected);
    for (const step of [0, 1, 16_383, 16_384, 16_385, 32_767, 32_768, COUNT - 1])
      expect(table.at(step)).toEqual(recordAt(expected, step));
    expect(table.at(-1)).toEqual(recordAt(expected, COUNT - 1));
    expect(table.at(COUNT)).toBeUndefined();
  });

  it('a range of steps across a chunk boundary, and the copy made in steps, equal the whole columns cut there', async () => {
    const part = toColumns(all.slice(16_000, 33_000), { detail: false });
    expect(table.columns(16_000, 33_000)).toEqual(part);
    expect(await table.columnsInSteps(16_000, 33_000)).toEqual(part);
    expect(await table.columnsInSteps()).toEqual(table.columns());
  });

  it("keeps each batch's line offset, and the facts the tree needs beside the columns", () => {
    for (const step of [0, 5, 16_384, 16_385, COUNT - 1])
      expect(table.lineAt(step)).toBe(step % 5 === 0 ? -1 : step * 100);
    expect(table.causeOf(16_390)).toBe(all[16_390].cause);
    expect([table.epochOf(30_001), table.batchOf(30_001), table.phaseOf(30_001)]).toEqual([
      all[30_001].epoch,
      all[30_001].batch,
      all[30_001].phase,
    ]);
  });
});
