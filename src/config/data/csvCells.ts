/** One CSV cell read as a number, with errors that point at its line and column. */
import { ConfigError } from '../configError';

/** One parsed CSV record and the 1-based line it starts on, as an editor numbers lines. */
export interface CsvRow {
  cells: string[];
  line: number;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The largest float32: training runs in float32, so a bigger value would become Infinity. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** The number in cell `column` of `row`; `text` (the whole file) is read only to place an error. */
export function cellNumber(row: CsvRow, column: number, header: string[], file: string, text: string): number {
  const cell = row.cells[column];
  const name = cut(header[column]);
  const at = () => ({ file, ...cellPosition(text, row.line, column) });
  if (cell === undefined || cell === '') {
    throw new ConfigError(
      'data.csv',
      `column "${name}" is empty; every row needs a number in each column the config uses. Fill the cell or remove the row.`,
      { file, line: row.line },
    );
  }
  const value = Number(cell);
  if (!NUMBER.test(cell) || Number.isNaN(value)) {
    throw new ConfigError(
      'data.csv',
      `column "${name}" holds "${cut(cell)}", which is not a number. Write a plain decimal number (e.g. 3.14, -2, 1e-3).`,
      at(),
    );
  }
  if (!(Math.abs(value) <= FLOAT32_MAX)) {
    throw new ConfigError(
      'data.csv',
      `column "${name}" holds ${cut(cell)}, beyond the range of float32 (±${FLOAT32_MAX.toPrecision(5)}), in which training runs: it would become ${value > 0 ? '' : '-'}Infinity. ` +
        'Scale the column down (e.g. divide it by a power of ten) or fix the value.',
      at(),
    );
  }
  return value;
}

/** Line and 1-based character column of cell `index` of the record starting on `line` (quotes may hold commas and newlines). */
function cellPosition(text: string, line: number, index: number): { line: number; column: number } {
  let at = 0;
  for (let l = 1; l < line && at >= 0; l++) at = text.indexOf('\n', at) + 1;
  let currentLine = line;
  let lineStart = at;
  let cell = 0;
  let quoted = false;
  for (let i = at; i < text.length; i++) {
    const ch = text[i];
    if (cell === index && !quoted && (i === at || text[i - 1] === ','))
      return { line: currentLine, column: i - lineStart + 1 };
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) cell++;
    else if (ch === '\n') {
      if (!quoted) break;
      currentLine++;
      lineStart = i + 1;
    }
  }
  return { line, column: 1 };
}

/** Text from the file shown cut, so a huge cell cannot make a huge message. */
export function cut(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
