/**
 * A CSV series cut into windows: sample j covers rows [j*stride, j*stride + window) of the
 * chosen columns, and its target is the target column at row j*stride + window.
 * Values are used raw (no normalisation), so the numbers in a run match the file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import type { CsvData } from '../../shared/config';
import { ConfigError } from '../configError';
import { DEFAULTS } from '../configDefaults';
import type { Dataset } from './dataset';

/** One parsed CSV record and the 1-based line it starts on, as an editor numbers lines. */
interface CsvRow { cells: string[]; line: number }

interface CsvInfoRecord { record: string[]; info: { lines: number } }

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Absolute path of `data.csv`; refuses paths that leave the workspace folder. */
export function resolveCsvPath(data: CsvData, configPath: string, workspaceRoot: string): string {
  const configDir = path.dirname(path.resolve(configPath));
  const file = path.resolve(configDir, data.csv);
  const root = path.resolve(workspaceRoot);
  const outside = (candidate: string, base: string): boolean => {
    const rel = path.relative(base, candidate);
    return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  };
  const refuse = (): never => {
    throw new ConfigError(
      'data.csv',
      `"${data.csv}" resolves to ${file}, which is outside the workspace folder ${root}. ` +
        'Move the CSV file into the workspace and give its path relative to the config file.',
    );
  };
  if (outside(file, root)) refuse();
  if (!fs.existsSync(file)) {
    throw new ConfigError(
      'data.csv',
      `file not found: ${file} ("${data.csv}" relative to the config's folder ${configDir}). Check the path or create the file.`,
    );
  }
  // A symlink inside the workspace may still point outside it.
  if (outside(fs.realpathSync(file), safeRealpath(root))) refuse();
  if (!fs.statSync(file).isFile()) {
    throw new ConfigError('data.csv', `${file} is not a file. Point data.csv at a CSV file.`);
  }
  return file;
}

/** Checks the CSV file exists inside the workspace and that its header has every named column. */
export function checkCsvFile(data: CsvData, configPath: string, workspaceRoot: string): void {
  const file = resolveCsvPath(data, configPath, workspaceRoot);
  const rows = readRows(file, 1);
  columnIndices(data, rows, file);
}

/** Reads the CSV file and cuts it into windows. */
export function loadCsvDataset(data: CsvData, configPath: string, workspaceRoot: string): Dataset {
  const file = resolveCsvPath(data, configPath, workspaceRoot);
  const rows = readRows(file);
  const { inputs, target } = columnIndices(data, rows, file);
  const header = rows[0].cells;
  const body = rows.slice(1);
  const window = data.window;
  const stride = data.stride ?? DEFAULTS.stride;
  if (body.length - 1 < window) {
    const most = body.length - 1;
    throw new ConfigError(
      'data.window',
      `a window of ${window} needs at least ${window + 1} data rows (${window} for the window and 1 for the target after it), ` +
        `but ${file} has ${body.length} data row${body.length === 1 ? '' : 's'} below its header. ` +
        (most >= 1 ? `Use a window of at most ${most} or a longer file.` : 'Add data rows to the file.'),
    );
  }
  const features = inputs.length;
  // Parse each needed cell once, in file order, so the first bad cell is the one reported.
  const values = new Float64Array(body.length * features);
  const targets = new Float64Array(body.length);
  body.forEach((row, r) => {
    checkRowLength(row, header, file);
    inputs.forEach((c, f) => {
      values[r * features + f] = cellNumber(row, c, header, file);
    });
    targets[r] = cellNumber(row, target, header, file);
  });
  const samples = Math.floor((body.length - 1 - window) / stride) + 1;
  const x = new Float32Array(samples * window * features);
  const y = new Float32Array(samples);
  for (let j = 0; j < samples; j++) {
    const start = j * stride;
    x.set(values.subarray(start * features, (start + window) * features), j * window * features);
    y[j] = targets[start + window];
  }
  const source = `${data.csv} (window ${window}, stride ${stride}; columns ${data.columns.join(', ')} → target ${data.target}; raw values, not normalised)`;
  return { x, y, samples, timesteps: window, features, targets: 1, source };
}

/** Parses the file into rows with their line numbers (`limit`: stop after that many records). */
function readRows(file: string, limit?: number): CsvRow[] {
  // Line endings normalised so that csv-parse's line count matches an editor's.
  const text = fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
  let records: CsvInfoRecord[];
  try {
    records = parse(text, {
      bom: true,
      trim: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      ...(limit !== undefined ? { to: limit } : {}),
    }) as CsvInfoRecord[];
  } catch (error) {
    const lines = (error as { lines?: unknown }).lines;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError('data.csv', `the CSV file cannot be parsed: ${reason}. Fix the file at that line.`, {
      file,
      ...(typeof lines === 'number' ? { line: lines } : {}),
    });
  }
  if (records.length === 0) {
    throw new ConfigError('data.csv', `${file} is empty; it needs a header row naming its columns, then one row per timestep.`);
  }
  // `info.lines` is the line a record ends on; a quoted cell with newlines starts earlier.
  return records.map(({ record, info }) => ({
    cells: record,
    line: info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0),
  }));
}

/** Header positions of the input columns and the target; unknown names are errors on their field. */
function columnIndices(data: CsvData, rows: CsvRow[], file: string): { inputs: number[]; target: number } {
  const header = rows[0].cells;
  const find = (name: string, field: string): number => {
    const matches = header.flatMap((h, i) => (h === name ? [i] : []));
    if (matches.length === 0) {
      throw new ConfigError(
        field,
        `column "${name}" is not in the header of ${file}; available: ${header.map((h) => `"${h}"`).join(', ')}. Use one of these names (case matters).`,
      );
    }
    if (matches.length > 1) {
      throw new ConfigError(field, `the header of ${file} has ${matches.length} columns named "${name}"; rename one of them so the column is unambiguous.`, {
        file,
        line: rows[0].line,
      });
    }
    return matches[0];
  };
  return {
    inputs: data.columns.map((name, i) => find(name, `data.columns[${i}]`)),
    target: find(data.target, 'data.target'),
  };
}

function checkRowLength(row: CsvRow, header: string[], file: string): void {
  // Extra empty cells (a trailing comma) are harmless; extra values mean the row is misaligned.
  if (row.cells.length > header.length && row.cells.slice(header.length).some((cell) => cell !== '')) {
    throw new ConfigError(
      'data.csv',
      `this row has ${row.cells.length} cells but the header has ${header.length} columns. Fix the row so its cells line up with the header.`,
      { file, line: row.line },
    );
  }
}

function cellNumber(row: CsvRow, column: number, header: string[], file: string): number {
  const cell = row.cells[column];
  const name = header[column];
  if (cell === undefined || cell === '') {
    throw new ConfigError('data.csv', `column "${name}" is empty; every row needs a number in each column the config uses. Fill the cell or remove the row.`, {
      file,
      line: row.line,
    });
  }
  const value = Number(cell);
  if (!NUMBER.test(cell) || !Number.isFinite(value)) {
    throw new ConfigError('data.csv', `column "${name}" holds "${cell}", which is not a number. Write a plain decimal number (e.g. 3.14, -2, 1e-3).`, {
      file,
      line: row.line,
    });
  }
  return value;
}

function safeRealpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}
