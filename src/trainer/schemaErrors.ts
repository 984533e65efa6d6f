/**
 * Turns ajv's list of schema errors into the ONE error a user should fix first, worded
 * with the dotted field path, what was expected (read from the schema) and what was found.
 */
import type { ErrorObject } from 'ajv';
import { ConfigError } from './configError';

/** The parts of a JSON schema node this module reads. */
export interface SchemaNode {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  oneOf?: SchemaNode[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
}

/** One candidate error: field path, wording, and how specific it is. */
interface Candidate { field: string; reason: string; depth: number; rank: number }

// Lower rank wins among errors at the same depth: the shape of a value before its details.
const RANK: Record<string, number> = { oneOf: 0, type: 1, additionalProperties: 2, required: 3, enum: 4 };

/** Picks the most specific of ajv's errors for `data` and words it as a ConfigError. */
export function explainSchemaErrors(errors: ErrorObject[], data: unknown, schema: SchemaNode): ConfigError {
  const candidates: Candidate[] = [];
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf');
  const chosen = new Map<ErrorObject, number | undefined>();
  for (const o of oneOfs) {
    // ajv's schemaPath points at the oneOf array; its owner holds the description.
    const node = nodeAt(schema, o.schemaPath.replace(/\/oneOf$/, ''));
    const value = valueAt(data, o.instancePath);
    const branch = chooseBranch(node?.oneOf ?? [], value);
    chosen.set(o, branch);
    if (branch === undefined) candidates.push(noBranchCandidate(o, node ?? {}, value, data));
  }
  for (const e of errors) {
    if (e.keyword === 'oneOf') continue;
    // Errors of the oneOf branches the value was not meant for are noise.
    const offBranch = oneOfs.some((o) => {
      if (!e.schemaPath.startsWith(`${o.schemaPath}/`) || !isUnder(e.instancePath, o.instancePath)) return false;
      const branch = Number(e.schemaPath.slice(o.schemaPath.length + 1).split('/')[0]);
      return branch !== chosen.get(o);
    });
    if (!offBranch) candidates.push(candidateFor(e, data, schema));
  }
  if (candidates.length === 0) {
    // Only possible if a oneOf matched several branches: word the first one generically.
    const first = errors[0];
    const field = fieldPath(data, first?.instancePath ?? '');
    return new ConfigError(field, `${field ? `\`${field}\`` : 'the config'} ${first?.message ?? 'is invalid'}.`);
  }
  candidates.sort((a, b) => b.depth - a.depth || a.rank - b.rank);
  const best = candidates[0];
  return new ConfigError(best.field, best.reason);
}

/** The branch of a oneOf the value was meant for: by JSON type, then by a discriminating required key. */
export function chooseBranch(branches: SchemaNode[], value: unknown): number | undefined {
  const typed = branches.map((b, i) => ({ b, i })).filter(({ b }) => typeMatches(b, value));
  if (typed.length <= 1) return typed[0]?.i;
  if (isObject(value)) {
    // e.g. `data`: an object having `csv` is the csv form, one having `generator` the generator form.
    const keyed = typed.filter(({ b }) => b.required?.[0] !== undefined && b.required[0] in value);
    return keyed.length === 1 ? keyed[0].i : undefined;
  }
  return typed[0].i;
}

function typeMatches(node: SchemaNode, value: unknown): boolean {
  const actual = jsonType(value);
  if (node.type !== undefined) {
    const types = Array.isArray(node.type) ? node.type : [node.type];
    // An integer branch still "matches" 2.5, so the error says "must be an integer".
    return types.some((t) => t === actual || (actual === 'number' && t === 'integer') || (actual === 'integer' && t === 'number'));
  }
  if (node.enum) return node.enum.some((member) => jsonType(member) === actual || (jsonType(member) === 'number' && actual === 'integer'));
  return true;
}

function noBranchCandidate(error: ErrorObject, node: SchemaNode, value: unknown, data: unknown): Candidate {
  const field = fieldPath(data, error.instancePath);
  const branches = node.oneOf ?? [];
  const depth = depthOf(field);
  if (isObject(value) && branches.every((b) => b.type === 'object')) {
    const keys = branches.map((b) => b.required?.[0]).filter((k): k is string => k !== undefined);
    const present = keys.filter((k) => k in value);
    const forms = branches.map((b) => describe(b)).join('; or ');
    if (present.length > 1) {
      return { field, depth, rank: 0, reason: `\`${field}\` has both ${present.map((k) => `\`${k}\``).join(' and ')}; keep only one form: ${forms}.` };
    }
    return {
      field, depth, rank: 0,
      reason: `\`${field}\` needs either ${keys.map((k) => `\`${k}\``).join(' or ')}. Write ${forms}.`,
    };
  }
  const subject = field ? `\`${field}\`` : 'the config';
  return { field, depth, rank: 0, reason: `${subject} must be ${describe(node)} (got ${typed(value)}).${hint(node)}` };
}

function candidateFor(e: ErrorObject, data: unknown, schema: SchemaNode): Candidate {
  const parentPath = e.schemaPath.slice(0, e.schemaPath.lastIndexOf('/'));
  const node = nodeAt(schema, parentPath) ?? {};
  const rank = RANK[e.keyword] ?? 5;
  if (e.keyword === 'additionalProperties') {
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    const parent = fieldPath(data, e.instancePath);
    const allowed = Object.keys(node.properties ?? {});
    const where = parent ? `in \`${parent}\`` : 'at the top level';
    const guess = closest(key, allowed);
    return {
      field: joinField(parent, key), depth: depthOf(parent) + 1, rank,
      reason: `unknown key \`${key}\` ${where}; allowed: ${allowed.join(', ')}. ${guess ? `Did you mean \`${guess}\`? ` : ''}Remove it or fix its spelling.`,
    };
  }
  if (e.keyword === 'required') {
    const key = String((e.params as { missingProperty: string }).missingProperty);
    const parent = fieldPath(data, e.instancePath);
    const child = node.properties?.[key] ?? {};
    const where = parent ? `\`${parent}\` is missing` : 'the config is missing';
    return {
      field: joinField(parent, key), depth: depthOf(parent) + 1, rank,
      reason: `${where} the required key \`${key}\`: add "${key}": ${describe(child)}.${hint(child)}`,
    };
  }
  const field = fieldPath(data, e.instancePath);
  const value = valueAt(data, e.instancePath);
  const subject = field ? `\`${field}\`` : 'the config';
  if (e.keyword === 'uniqueItems') {
    const { i, j } = e.params as { i: number; j: number };
    return {
      field, depth: depthOf(field), rank,
      reason: `${subject} lists ${show((value as unknown[])[i])} twice (entries ${Math.min(i, j)} and ${Math.max(i, j)}); remove the duplicate.`,
    };
  }
  const got = e.keyword === 'type' ? typed(value)
    : Array.isArray(value) ? `${value.length} entr${value.length === 1 ? 'y' : 'ies'}` : show(value);
  return { field, depth: depthOf(field), rank, reason: `${subject} must be ${describe(node)} (got ${got}).${hint(describedNode(schema, parentPath))}` };
}

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
      return `${plural ? `${type}s` : type === 'integer' ? 'an integer' : 'a number'}${range(node.minimum, node.maximum)}`;
    case 'boolean':
      return plural ? 'booleans' : 'true or false';
    case 'string':
      return `${plural ? '' : 'a '}${node.minLength ? 'non-empty ' : ''}string${plural ? 's' : ''}`;
    case 'array': {
      const count = node.minItems !== undefined && node.maxItems !== undefined
        ? `${node.minItems} to ${node.maxItems} `
        : node.minItems ? `at least ${node.minItems} ` : node.maxItems !== undefined ? `at most ${node.maxItems} ` : '';
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

/** The node at a schema path, or the oneOf owning it when a branch has no description of its own. */
function describedNode(schema: SchemaNode, schemaPath: string): SchemaNode {
  const node = nodeAt(schema, schemaPath) ?? {};
  const branch = /\/oneOf\/\d+$/.exec(schemaPath);
  if (node.description || !branch) return node;
  return nodeAt(schema, schemaPath.slice(0, branch.index)) ?? node;
}

/** The schema's description as a trailing sentence, so the user learns what the field does. */
function hint(node: SchemaNode): string {
  if (!node.description) return '';
  return ` ${node.description}${/[.!?]$/.test(node.description) ? '' : '.'}`;
}

/** A value with its JSON type, e.g. `a string "8"`. */
function typed(value: unknown): string {
  return [typeName(value), show(value)].filter(Boolean).join(' ');
}

function typeName(value: unknown): string {
  const type = jsonType(value);
  if (type === 'null') return '';
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type === 'integer' ? 'number' : type}`;
}

/** The schema node at an ajv schemaPath such as `#/properties/model/properties/units`. */
export function nodeAt(schema: SchemaNode, schemaPath: string): SchemaNode | undefined {
  let node: unknown = schema;
  for (const segment of pointerSegments(schemaPath.replace(/^#/, ''))) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return isObject(node) ? (node as SchemaNode) : undefined;
}

function valueAt(data: unknown, instancePath: string): unknown {
  let value = data;
  for (const segment of pointerSegments(instancePath)) {
    if (Array.isArray(value)) value = value[Number(segment)];
    else if (isObject(value)) value = value[segment];
    else return undefined;
  }
  return value;
}

/** A JSON pointer as a dotted field path: `/model/units/1` → `model.units[1]`. */
export function fieldPath(data: unknown, instancePath: string): string {
  let field = '';
  let value = data;
  for (const segment of pointerSegments(instancePath)) {
    if (Array.isArray(value)) {
      field += `[${segment}]`;
      value = value[Number(segment)];
    } else {
      field = joinField(field, segment);
      value = isObject(value) ? value[segment] : undefined;
    }
  }
  return field;
}

function joinField(parent: string, key: string): string {
  const part = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (!parent) return part;
  return part.startsWith('[') ? `${parent}${part}` : `${parent}.${part}`;
}

function depthOf(field: string): number {
  return field ? field.split(/\.|\[/).length : 0;
}

function pointerSegments(pointer: string): string[] {
  if (!pointer || pointer === '/') return pointer === '/' ? [''] : [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isUnder(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** The allowed key closest to a misspelt one (edit distance ≤ 2), if any. */
function closest(key: string, allowed: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
