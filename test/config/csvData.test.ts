import * as fs from 'fs';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CsvData } from '../../src/shared/config';
import { loadCsvDataset, resolveCsvPath } from '../../src/config/data/csvData';
import { loadDataset } from '../../src/config/data/loadDataset';
import { loadConfig } from '../../src/config/loadConfig';
import { configError, tempWorkspace, writeConfig, writeFile } from './helpers';

const dir = tempWorkspace();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Rows r = 0..6: a = r + 1, b = 10 * (r + 1), t = 100 + r; a text column is ignored.
const CSV =
  'date,a,b,t\n' + Array.from({ length: 7 }, (_, r) => `d${r},${r + 1},${10 * (r + 1)},${100 + r}`).join('\n') + '\n';
const csvFile = writeFile(dir, 'data/tiny.csv', CSV);
const configPath = path.join(dir, 'tiny.lstm.json');

function load(data: Partial<CsvData>) {
  return loadCsvDataset(
    { csv: 'data/tiny.csv', columns: ['a', 'b'], target: 't', window: 3, ...data },
    configPath,
    dir,
  );
}

describe('csv windows', () => {
  it('cuts windows with stride 1 and targets the row after each window', () => {
    const d = load({});
    // 7 rows, window 3: windows start at rows 0..3 (row 3 + 3 = 6 is the last target row).
    expect([d.samples, d.timesteps, d.features, d.targets]).toEqual([4, 3, 2, 1]);
    expect(Array.from(d.x.slice(0, 6))).toEqual([1, 10, 2, 20, 3, 30]);
    expect(Array.from(d.x.slice(18, 24))).toEqual([4, 40, 5, 50, 6, 60]);
    expect(Array.from(d.y)).toEqual([103, 104, 105, 106]);
    expect(d.source).toBe('data/tiny.csv (window 3, stride 1; columns a, b → target t; raw values, not normalised)');
  });

  it('respects the stride', () => {
    const d = load({ stride: 2, columns: ['a'], window: 2 });
    // Starts 0, 2, 4 (4 + 2 = 6 is the last row).
    expect(d.samples).toBe(3);
    expect(Array.from(d.x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(d.y)).toEqual([102, 104, 106]);
  });

  it('allows the longest window (rows − 1) and the target among the inputs', () => {
    const d = load({ window: 6, columns: ['t'] });
    expect(d.samples).toBe(1);
    expect(d.y[0]).toBe(106);
    expect(configError(() => load({ window: 7 })).field).toBe('data.window');
  });

  it('goes through loadDataset for a csv config', () => {
    const file = writeConfig(dir, 'cfg/run.lstm.json', {
      data: { csv: '../data/tiny.csv', columns: ['b'], target: 'a', window: 2, stride: 2 },
      model: { units: 2 },
      training: { batchSize: 1, epochs: 1 },
    });
    const { resolved, workspaceRoot } = loadConfig(file);
    const d = loadDataset(resolved, file, workspaceRoot);
    expect(Array.from(d.y)).toEqual([3, 5, 7]);
  });

  it('resolves paths relative to the config, allowing absolute paths inside the workspace', () => {
    expect(resolveCsvPath({ csv: csvFile, columns: ['a'], target: 'a', window: 1 }, configPath, dir)).toBe(csvFile);
    expect(
      configError(() => resolveCsvPath({ csv: '../tiny.csv', columns: ['a'], target: 'a', window: 1 }, configPath, dir))
        .field,
    ).toBe('data.csv');
  });

  it('refuses a row with more values than the header, at its line', () => {
    writeFile(dir, 'data/wide.csv', 'a,t\n1,2\n3,4,5\n6,7\n');
    const error = configError(() => load({ csv: 'data/wide.csv', columns: ['a'], window: 1 }));
    expect([error.field, error.line]).toEqual(['data.csv', 3]);
  });

  it('reports an unclosed quote with its line', () => {
    writeFile(dir, 'data/quote.csv', 'a,t\n1,2\n"3,4\n');
    const error = configError(() => load({ csv: 'data/quote.csv', columns: ['a'], window: 1 }));
    expect(error.field).toBe('data.csv');
    expect(error.line).toBe(3);
  });

  it('refuses an empty file', () => {
    writeFile(dir, 'data/empty.csv', '\n\n');
    expect(configError(() => load({ csv: 'data/empty.csv' })).reason).toMatch(/empty; it needs a header row/);
  });

  it('reports the first problem of the whole file: syntax, then columns, then the window, then the first bad cell', () => {
    // A bad cell on line 2 and an unclosed quote on line 4: the syntax error wins.
    writeFile(dir, 'data/both.csv', 'a,t\nx,2\n3,4\n"5,6\n');
    expect(configError(() => load({ csv: 'data/both.csv', columns: ['a'], window: 1 })).line).toBe(4);
    // An unknown column and an unclosed quote further down: still the syntax error.
    expect(configError(() => load({ csv: 'data/both.csv', columns: ['z'], window: 1 })).line).toBe(4);
    // A bad cell on line 2 and too few rows for the window: the window.
    writeFile(dir, 'data/short.csv', 'a,t\nx,2\n3,4\n');
    expect(configError(() => load({ csv: 'data/short.csv', columns: ['a'], window: 2 })).field).toBe('data.window');
    // An unknown column and a bad cell: the column, on its field.
    expect(configError(() => load({ csv: 'data/short.csv', columns: ['z'], window: 1 })).field).toBe('data.columns[0]');
    // Two bad cells: the first in file order (line 3's wide row before line 4's text).
    writeFile(dir, 'data/twoBad.csv', 'a,t\n1,2\n3,4,5\nx,6\n7,8\n');
    expect(configError(() => load({ csv: 'data/twoBad.csv', columns: ['a'], window: 1 })).line).toBe(3);
  });
});
