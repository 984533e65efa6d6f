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
import { cellNumber, type CsvRow } from './csvCells';
import type { Dataset } from './dataset';

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
    const target = linkTarget(file);
    if (target !== undefined) {
      throw new ConfigError(
        'data.csv',
        `${file} is a link to ${target}, which does not exist. Point data.csv at an existing CSV file.`,
      );
    }
    throw new ConfigError(
      'data.csv',
      `file not found: ${file} ("${data.csv}" relative to the config's folder ${configDir}). Check the path or create the file.`,
    );
  }
  // A symlink inside the workspace may still point outside it: say where it leads.
  const real = fs.realpathSync(file);
  if (outside(real, safeRealpath(root))) {
    throw new ConfigError(
      'data.csv',
      `"${data.csv}" (${file}) is a link that leads to ${real}, which is outside the workspace folder ${root}. ` +
        'Copy the CSV file into the workspace and give its path relative to the config file.',
    );
  }
  if (!fs.statSync(file).isFile()) {
    throw new ConfigError('data.csv', `${file} is not a file. Point data.csv at a CSV file.`);
  }
  return file;
}

/** Checks the CSV file exists inside the workspace and that its header has every named column. */
export function checkCsvFile(data: CsvData, configPath: string, workspaceRoot: string): void {
  const file = resolveCsvPath(data, configPath, workspaceRoot);
  let header: CsvRow | undefined;
  readRows(readCsvText(file), file, (row) => (header ??= row), 1);
  columnIndices(data, header!, file);
}

/**
 * Reads the CSV file and cuts it into windows. Rows are checked as they are parsed (a big file
 * is never held as rows), but the errors keep the order of a whole-file check: the CSV syntax,
 * then the columns, then the window, then the first bad cell in file order.
 */
export function loadCsvDataset(data: CsvData, configPath: string, workspaceRoot: string): Dataset {
  const file = resolveCsvPath(data, configPath, workspaceRoot);
  let header: CsvRow | undefined;
  let columns: { inputs: number[]; target: number } | undefined;
  let columnError: unknown;
  let cellError: unknown;
  let bodyRows = 0;
  // Each needed cell parsed once, in file order; packed arrays of doubles.
  const values: number[] = [];
  const targets: number[] = [];
  const text = readCsvText(file);
  const cell = (row: CsvRow, column: number) => cellNumber(row, column, header!.cells, file, text);
  readRows(text, file, (row) => {
    if (!header) {
      header = row;
      try {
        columns = columnIndices(data, row, file);
      } catch (error) {
        columnError = error;
      }
      return;
    }
    bodyRows++;
    if (!columns || cellError) return;
    try {
      checkRowLength(row, header.cells, file);
      for (const c of columns.inputs) values.push(cell(row, c));
      targets.push(cell(row, columns.target));
    } catch (error) {
      cellError = error;
    }
  });
  if (columnError) throw columnError;
  const window = data.window;
  const stride = data.stride ?? DEFAULTS.stride;
  if (bodyRows - 1 < window) {
    const most = bodyRows - 1;
    throw new ConfigError(
      'data.window',
      `a window of ${window} needs at least ${window + 1} data rows (${window} for the window and 1 for the target after it), ` +
        `but ${file} has ${bodyRows} data row${bodyRows === 1 ? '' : 's'} below its header. ` +
        (most >= 1 ? `Use a window of at most ${most} or a longer file.` : 'Add data rows to the file.'),
    );
  }
  if (cellError) throw cellError;
  const features = columns!.inputs.length;
  const samples = Math.floor((bodyRows - 1 - window) / stride) + 1;
  const rowValues = Float64Array.from(values);
  const x = new Float32Array(samples * window * features);
  const y = new Float32Array(samples);
  for (let j = 0; j < samples; j++) {
    const start = j * stride;
    x.set(rowValues.subarray(start * features, (start + window) * features), j * window * features);
    y[j] = targets[start + window];
  }
  const source = `${data.csv} (window ${window}, stride ${stride}; columns ${data.columns.join(', ')} → target ${data.target}; raw values, not normalised)`;
  return { x, y, samples, timesteps: window, features, targets: 1, source };
}

/** The file's text with line endings normalised, so that csv-parse's line count matches an editor's. */
function readCsvText(file: string): string {
  return fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
}

/**
 * Parses the text, handing each record with its line number to `onRow` as it is read (rows are
 * not kept); `limit`: stop after that many records. `onRow` must not throw.
 */
function readRows(text: string, file: string, onRow: (row: CsvRow) => void, limit?: number): void {
  let records = 0;
  try {
    parse(text, {
      bom: true,
      trim: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      ...(limit !== undefined ? { to: limit } : {}),
      on_record: (record: string[], context: { lines: number }) => {
        records++;
        // `lines` is the line a record ends on; a quoted cell with newlines starts earlier.
        onRow({ cells: record, line: context.lines - newlinesIn(record) });
        return null;
      },
    });
  } catch (error) {
    const lines = (error as { lines?: unknown }).lines;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError('data.csv', `the CSV file cannot be parsed: ${reason}. Fix the file at that line.`, {
      file,
      ...(typeof lines === 'number' ? { line: lines } : {}),
    });
  }
  if (records === 0) {
    throw new ConfigError(
      'data.csv',
      `${file} is empty; it needs a header row naming its columns, then one row per timestep.`,
    );
  }
}

function newlinesIn(cells: string[]): number {
  let count = 0;
  for (const cell of cells) {
    for (let at = cell.indexOf('\n'); at >= 0; at = cell.indexOf('\n', at + 1)) count++;
  }
  return count;
}

/** Header positions of the input columns and the target; unknown names are errors on their field. */
function columnIndices(data: CsvData, headerRow: CsvRow, file: string): { inputs: number[]; target: number } {
  const header = headerRow.cells;
  const find = (name: string, field: string): number => {
    const matches = header.flatMap((h, i) => (h === name ? [i] : []));
    if (matches.length === 0) {
      throw new ConfigError(
        field,
        `column "${name}" is not in the header of ${file}; available: ${header.map((h) => `"${h}"`).join(', ')}. Use one of these names (case matters).`,
      );
    }
    if (matches.length > 1) {
      throw new ConfigError(
        field,
        `the header of ${file} has ${matches.length} columns named "${name}"; rename one of them so the column is unambiguous.`,
        {
          file,
          line: headerRow.line,
        },
      );
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

/** Where a dangling symlink points, or undefined when `file` is not a link. */
function linkTarget(file: string): string | undefined {
  try {
    return path.resolve(path.dirname(file), fs.readlinkSync(file));
  } catch {
    return undefined;
  }
}

function safeRealpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}
