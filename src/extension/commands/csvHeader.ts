/**
 * The column names of a CSV file, from its first record only: the New Training Config picker offers
 * them without reading the file (a CSV may be hundreds of MB; the full check runs in the config
 * worker). Pure apart from reading the file's first bytes; quoted names with commas, doubled quotes
 * and a BOM are handled as RFC 4180 has them.
 */
import * as fs from 'fs';

const FIRST_BYTES = 64 * 1024;

/** The header cells of the CSV text's first record (trimmed), or [] when there is none. */
export function headerOf(text: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ',') {
      cells.push(cell.trim());
      cell = '';
    } else if (!quoted && (ch === '\n' || ch === '\r')) {
      break;
    } else {
      cell += ch;
    }
  }
  cells.push(cell.trim());
  return cells.length === 1 && cells[0] === '' ? [] : cells;
}

/** The header of a CSV file, read from its first 64 KB. */
export async function readCsvHeader(file: string): Promise<string[]> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(FIRST_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, FIRST_BYTES, 0);
    return headerOf(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}
