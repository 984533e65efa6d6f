/**
 * Where a config field (a dotted path such as `training.shuffle` or `model.units[1]`, as the
 * trainer names fields) sits in the config text, so a diagnostic lands on that field.
 * Pure (jsonc-parser, no `vscode`), with the same JSON parser VS Code uses.
 */
import { findNodeAtLocation, parseTree, type Node, type Segment } from 'jsonc-parser';

/** A span of the config text. */
export interface TextSpan {
  offset: number;
  length: number;
  /** False when the field itself is absent and the span points at its nearest ancestor's key. */
  exact: boolean;
}

/** `model.units[1]` → ['model', 'units', 1]; `''` → []. */
export function parseFieldPath(field: string): Segment[] {
  const segments: Segment[] = [];
  for (const match of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(match[1]);
  }
  return segments;
}

/**
 * The span of the field's value; for a missing field, the key of its deepest present
 * ancestor; for the whole file (or unparsable text), the first character.
 */
export function fieldSpan(text: string, field: string): TextSpan {
  const root = parseTree(text);
  if (!root) return { offset: 0, length: Math.min(1, text.length), exact: false };
  const segments = parseFieldPath(field);
  for (let depth = segments.length; depth > 0; depth--) {
    const node = findNodeAtLocation(root, segments.slice(0, depth));
    if (node) {
      const exact = depth === segments.length;
      // The value of a present field; the key (a short, readable mark) of an ancestor.
      const mark = exact ? node : (keyOf(node) ?? node);
      return { offset: mark.offset, length: mark.length, exact };
    }
  }
  // Nothing of the path exists: mark the opening brace of the document.
  return { offset: root.offset, length: Math.min(1, root.length), exact: segments.length === 0 };
}

/** The property-name node of a value inside an object, if it is one. */
function keyOf(node: Node): Node | undefined {
  const property = node.parent;
  return property?.type === 'property' ? property.children?.[0] : undefined;
}

/** 0-based line and character of an offset (lines end at \n; \r\n counts as one break). */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: Math.min(offset, text.length) - lineStart };
}
