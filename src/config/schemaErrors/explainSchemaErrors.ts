/**
 * Turns ajv's list of schema errors into the ONE error a user should fix first, worded
 * with the dotted field path, what was expected (read from the schema) and what was found.
 * Here: which error to choose; candidates.ts words each one.
 */
import type { ErrorObject } from 'ajv';
import { ConfigError } from '../configError';
import { candidateFor, noBranchCandidate, type Candidate } from './candidates';
import { fieldPath, isUnder, nodeAt, valueAt } from './pointers';
import { isObject, jsonType, type SchemaNode } from './schemaNode';

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
    return types.some(
      (t) => t === actual || (actual === 'number' && t === 'integer') || (actual === 'integer' && t === 'number'),
    );
  }
  if (node.enum)
    return node.enum.some(
      (member) => jsonType(member) === actual || (jsonType(member) === 'number' && actual === 'integer'),
    );
  return true;
}
