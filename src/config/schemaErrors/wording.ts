/** Plain words for what a schema accepts, what a config holds, and which key was probably meant. */
import { distance } from 'fastest-levenshtein';
import { jsonType, type SchemaNode } from './schemaNode';

/** Plain words for what a schema node accepts, e.g. "an integer ≥ 1" or "one of \"adam\", \"sgd\"". */
export function describe(node: SchemaNode, plural = false): string {
  if (node.oneOf) return node.oneOf.map((b) => describe(b, plural)).join(' or ');
  if (node.enum) {
    const list = node.enum.map((v) => JSON.stringify(v)).join(', ');
    return node.enum.length === 1 ? list : `one of ${list}`;
  }
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  switch (type) {
    case 'integer':
    case 'number':
      return `${plural ? `${type}s` : type === 'integer' ? 'an integer' : 'a number'}${
        node.exclusiveMinimum !== undefined || node.exclusiveMaximum !== undefined
          ? exclusiveRange(node.exclusiveMinimum, node.exclusiveMaximum)
          : range(node.minimum, node.maximum)
      }`;
    case 'boolean':
      return plural ? 'booleans' : 'true or false';
    case 'string':
      return `${plural ? '' : 'a '}${node.minLength ? 'non-empty ' : ''}string${plural ? 's' : ''}${
        node.maxLength !== undefined ? ` of at most ${node.maxLength} characters` : ''
      }`;
    case 'array': {
      const count =
        node.minItems !== undefined && node.maxItems !== undefined
          ? `${node.minItems} to ${node.maxItems} `
          : node.minItems
            ? `at least ${node.minItems} `
            : node.maxItems !== undefined
              ? `at most ${node.maxItems} `
              : '';
      return `${plural ? 'lists' : 'a list'} of ${count}${node.items ? describe(node.items, true) : 'values'}`;
    }
    case 'object': {
      const keys = node.required ?? [];
      // A titled oneOf branch reads better by its name, e.g. "a csv object with ...".
      const named = node.title !== undefined && /^\w+$/.test(node.title);
      const head = plural ? 'objects' : named ? `a ${node.title} object` : 'an object';
      return keys.length ? `${head} with ${keys.map((k) => `"${k}"`).join(', ')}` : head;
    }
    default:
      return 'a valid value';
  }
}

function range(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return '';
}

function exclusiveRange(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return ` greater than ${min} and less than ${max}`;
  if (min !== undefined) return ` > ${min}`;
  return ` < ${max}`;
}

/** The schema's description as a trailing sentence, so the user learns what the field does. */
export function hint(node: SchemaNode): string {
  if (!node.description) return '';
  return ` ${node.description}${/[.!?]$/.test(node.description) ? '' : '.'}`;
}

/** A value with its JSON type, e.g. `a string "8"`. */
export function typed(value: unknown): string {
  return [typeName(value), show(value)].filter(Boolean).join(' ');
}

function typeName(value: unknown): string {
  const type = jsonType(value);
  if (type === 'null') return '';
  // An integer is shown as a number: "a number 42", not "an integer 42".
  const name = type === 'integer' ? 'number' : type;
  return `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`;
}

/** A value as JSON, cut to 40 characters; `nothing` for undefined. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  // A long string is cut before it is quoted: a 50 MB value must not be copied whole into a message.
  const text =
    typeof value === 'string' && value.length > 40 ? JSON.stringify(value.slice(0, 40)) : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** The allowed key closest to a misspelt one (edit distance ≤ 2, case ignored), if any. */
export function closest(key: string, allowed: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
