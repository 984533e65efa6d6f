/** Packing batch records into typed-array columns (how snapshots cross postMessage) loses nothing. */
import { expect, test } from 'vitest';
import { recordAt, toColumns } from '../../src/shared/batchColumns';
import { readRun } from '../../src/runStore/readRun';
import { writeSyntheticRun } from '../fixtures/syntheticRun';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

test('every record survives the round trip exactly, nulls and multi-layer norms included', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-columns-'));
  try {
    writeSyntheticRun({
      dir,
      stateful: true,
      epochs: 3,
      batchesPerEpoch: 5,
      batchSize: 4,
      units: [3, 2],
      resets: 'epoch',
      manualResetsAt: [7],
      capturedBatches: 6,
      hiddenRows: [1],
    });
    const { batches } = readRun(dir);
    const last = { ...batches[batches.length - 1], rows: [1, 2], rowCount: 2 };
    const records = [...batches.slice(0, -1), last];
    const columns = toColumns(records);
    expect(columns.count).toBe(15);
    expect(columns.layers).toBe(2);
    records.forEach((record, i) => expect(recordAt(columns, i)).toEqual(record));
    expect(recordAt(columns, 10).statesOffset).toBeNull();
    expect(toColumns([]).count).toBe(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('without the detail columns the summary fields survive and rows, row sources and offsets are left out', () => {
  const record = {
    t: 'batch' as const,
    epoch: 2,
    batch: 1,
    step: 0,
    phase: 'validate' as const,
    rowCount: 2,
    rows: [5, 6],
    timesteps: 3,
    loss: Number.NaN,
    cause: 'permuted' as const,
    carriedFrom: null,
    rowSources: [1, 0],
    flags: ['withGraph' as const],
    dataContinues: false,
    meanNorms: [{ h0: 0.1, c0: 0.2, h: 0.3, c: 0.4 }],
    normsOffset: 64,
    statesOffset: 128,
    hiddenOffset: null,
    ms: 1.5,
  };
  const columns = toColumns([record], { detail: false });
  expect(columns.detail).toBeUndefined();
  expect(recordAt(columns, 0)).toEqual({
    ...record,
    rows: null,
    rowSources: null,
    normsOffset: 0,
    statesOffset: null,
  });
  expect(recordAt(toColumns([record]), 0)).toEqual(record);
});
