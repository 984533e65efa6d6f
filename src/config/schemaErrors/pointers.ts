/**
 * JSON pointers: ajv's instancePath read against the data and written as the dotted field
 * path users see, and ajv's schemaPath read against the schema.
 */
import { isObject, type SchemaNode } from './schemaNode';

/** `/model/units/1` → ['model', 'units', '1'], with `~1` and `~0` unescaped. */
export function pointerSegments(pointer: string): string[] {
  if (!pointer || pointer === '/') return pointer === '/' ? [''] : [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value a JSON pointer points at in `data` (undefined if it leads nowhere). */
export function valueAt(data: unknown, instancePath: string): unknown {
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

/** `model` + `units` → `model.units`; a key that is not an identifier is bracketed: `model["a b"]`. */
export function joinField(parent: string, key: string): string {
  const part = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (!parent) return part;
  return part.startsWith('[') ? `${parent}${part}` : `${parent}.${part}`;
}

/** How deep a field path goes: '' is 0, `model.units[1]` is 3. */
export function depthOf(field: string): number {
  return field ? field.split(/\.|\[/).length : 0;
}

/** True when pointer `path` is `ancestor` or lies inside it. */
export function isUnder(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
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

/** The node at a schema path, or the oneOf owning it when a branch has no description of its own. */
export function describedNode(schema: SchemaNode, schemaPath: string): SchemaNode {
  const node = nodeAt(schema, schemaPath) ?? {};
  const branch = /\/oneOf\/\d+$/.exec(schemaPath);
  if (node.description || !branch) return node;
  return nodeAt(schema, schemaPath.slice(0, branch.index)) ?? node;
}
