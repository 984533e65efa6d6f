/** One ajv error worded as a candidate ConfigError: field path, reason, and how specific it is. */
import type { ErrorObject } from 'ajv';
import { depthOf, describedNode, fieldPath, joinField, nodeAt, valueAt } from './pointers';
import { isObject, type SchemaNode } from './schemaNode';
import { closest, describe, hint, show, typed } from './wording';

/** One candidate error: field path, wording, and how specific it is (deeper, then lower rank, wins). */
export interface Candidate {
  field: string;
  reason: string;
  depth: number;
  rank: number;
}

// Lower rank wins among errors at the same depth: the shape of a value before its details.
const RANK: Record<string, number> = { oneOf: 0, type: 1, additionalProperties: 2, required: 3, enum: 4 };

/** A value that fits none of a oneOf's branches: name the forms it could take. */
export function noBranchCandidate(error: ErrorObject, node: SchemaNode, value: unknown, data: unknown): Candidate {
  const field = fieldPath(data, error.instancePath);
  const branches = node.oneOf ?? [];
  const depth = depthOf(field);
  if (isObject(value) && branches.every((b) => b.type === 'object')) {
    const keys = branches.map((b) => b.required?.[0]).filter((k): k is string => k !== undefined);
    const present = keys.filter((k) => k in value);
    const forms = branches.map((b) => describe(b)).join('; or ');
    if (present.length > 1) {
      return {
        field,
        depth,
        rank: 0,
        reason: `\`${field}\` has both ${present.map((k) => `\`${k}\``).join(' and ')}; keep only one form: ${forms}.`,
      };
    }
    return {
      field,
      depth,
      rank: 0,
      reason: `\`${field}\` needs either ${keys.map((k) => `\`${k}\``).join(' or ')}. Write ${forms}.`,
    };
  }
  const subject = field ? `\`${field}\`` : 'the config';
  return { field, depth, rank: 0, reason: `${subject} must be ${describe(node)} (got ${typed(value)}).${hint(node)}` };
}

/** Any other ajv error: unknown key, missing key, duplicate entry, or a value outside what the schema allows. */
export function candidateFor(e: ErrorObject, data: unknown, schema: SchemaNode): Candidate {
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
      field: joinField(parent, key),
      depth: depthOf(parent) + 1,
      rank,
      reason: `unknown key \`${key}\` ${where}; allowed: ${allowed.join(', ')}. ${guess ? `Did you mean \`${guess}\`? ` : ''}Remove it or fix its spelling.`,
    };
  }
  if (e.keyword === 'required') {
    const key = String((e.params as { missingProperty: string }).missingProperty);
    const parent = fieldPath(data, e.instancePath);
    const child = node.properties?.[key] ?? {};
    const where = parent ? `\`${parent}\` is missing` : 'the config is missing';
    return {
      field: joinField(parent, key),
      depth: depthOf(parent) + 1,
      rank,
      reason: `${where} the required key \`${key}\`: add "${key}": ${describe(child)}.${hint(child)}`,
    };
  }
  const field = fieldPath(data, e.instancePath);
  const value = valueAt(data, e.instancePath);
  const subject = field ? `\`${field}\`` : 'the config';
  if (e.keyword === 'uniqueItems') {
    const { i, j } = e.params as { i: number; j: number };
    return {
      field,
      depth: depthOf(field),
      rank,
      reason: `${subject} lists ${show((value as unknown[])[i])} twice (entries ${Math.min(i, j)} and ${Math.max(i, j)}); remove the duplicate.`,
    };
  }
  const got =
    e.keyword === 'type'
      ? typed(value)
      : e.keyword === 'maxLength' && typeof value === 'string'
        ? `${value.length} characters: ${show(value)}`
        : Array.isArray(value)
          ? `${value.length} entr${value.length === 1 ? 'y' : 'ies'}`
          : show(value);
  return {
    field,
    depth: depthOf(field),
    rank,
    reason: `${subject} must be ${describe(node)} (got ${got}).${hint(describedNode(schema, parentPath))}`,
  };
}
