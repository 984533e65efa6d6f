/**
 * Checks on config text that JSON.parse does not make, each with the position a user can jump
 * to: nesting too deep to walk safely (a 10,000-deep array would overflow every recursive
 * reader, the schema validator included), duplicate keys (JSON.parse keeps the last silently),
 * and numbers beyond the range of a double (JSON.parse turns 1e400 into Infinity).
 */
import { visit, type JSONPath } from 'jsonc-parser';
import { joinField } from './schemaErrors/pointers';

/** Deeper than any config needs (the deepest field, `validation.data.columns[0]`, is 4 levels). */
export const MAX_NESTING = 32;

/** A problem found in the text: where it is (offset), the field it is in, and what to do. */
export interface TextProblem {
  offset: number;
  field: string;
  message: string;
}

/** The first `{` or `[` nested deeper than MAX_NESTING (outside strings), scanned without recursion. */
export function findTooDeep(text: string): TextProblem | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') {
      if (++depth > MAX_NESTING) {
        return {
          offset: i,
          field: '',
          message: `nesting deeper than ${MAX_NESTING} levels starts here; a config is only a few levels deep. Remove the extra brackets`,
        };
      }
    } else if (ch === '}' || ch === ']') depth--;
  }
  return undefined;
}

/** The first duplicate key or out-of-range number of text that parses as JSON and is not too deep. */
export function findDuplicateOrHugeNumber(text: string): TextProblem | undefined {
  let found: TextProblem | undefined;
  const keys: Array<Map<string, number>> = [];
  visit(text, {
    onObjectBegin: () => {
      keys.push(new Map());
    },
    onObjectEnd: () => {
      keys.pop();
    },
    onObjectProperty: (key, offset, _length, startLine, _startCharacter, pathSupplier) => {
      const seen = keys[keys.length - 1];
      const firstLine = seen?.get(key);
      if (firstLine !== undefined) {
        const field = fieldOf([...pathSupplier(), key]);
        found ??= {
          offset,
          field,
          message: `\`${cut(field)}\` is given twice (first on line ${firstLine + 1}): duplicate keys, of which JSON keeps only the last. Remove one`,
        };
      } else seen?.set(key, startLine);
    },
    onLiteralValue: (value, offset, length, _startLine, _startCharacter, pathSupplier) => {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        const field = fieldOf(pathSupplier());
        found ??= {
          offset,
          field,
          message: `\`${cut(field) || 'the config'}\` is ${cut(text.slice(offset, offset + length))}, beyond the range of a number (about ±1.8e308). Write a smaller value`,
        };
      }
    },
  });
  return found;
}

function fieldOf(jsonPath: JSONPath): string {
  return jsonPath.reduce<string>(
    (field, part) => (typeof part === 'number' ? `${field}[${part}]` : joinField(field, part)),
    '',
  );
}

/** Long keys and numbers shown cut: an error line stays readable whatever the file holds. */
function cut(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
