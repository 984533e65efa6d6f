import { describe, expect, it } from 'vitest';
import {
  changedOnAppend,
  groupChildren,
  rangesTo,
  topSpan,
  type GroupChild,
} from '../../../src/extension/tree/grouping';

const key = (child: GroupChild) => (child.kind === 'batch' ? `b${child.index}` : `r${child.start}/${child.span}`);

/** Every container of an epoch of `count` batches → the keys of its children (ends left out: they may grow). */
function layout(count: number, max: number): Map<string, string> {
  const result = new Map<string, string>();
  const visit = (name: string, start: number, end: number, span: number) => {
    const children = groupChildren(start, end, span, max);
    result.set(name, children.map(key).join(','));
    for (const child of children)
      if (child.kind === 'range') visit(`r${child.start}/${child.span}`, child.start, child.end, child.span);
  };
  visit('epoch', 0, count, topSpan(count, max));
  return result;
}

describe('batch grouping', () => {
  it('keeps batches flat up to max, then groups in ranges of max, then ranges of ranges', () => {
    expect(topSpan(500)).toBe(1);
    expect(topSpan(501)).toBe(500);
    expect(topSpan(250_000)).toBe(500);
    expect(topSpan(250_001)).toBe(250_000);
    const top = groupChildren(0, 1201, topSpan(1201), 500);
    expect(top).toEqual([
      { kind: 'range', start: 0, end: 500, span: 1 },
      { kind: 'range', start: 500, end: 1000, span: 1 },
      { kind: 'range', start: 1000, end: 1201, span: 1 },
    ]);
    expect(groupChildren(1000, 1201, 1, 500)).toHaveLength(201);
  });

  it('no node has more than max children, for 100k batches in one epoch', () => {
    const count = 100_000;
    const top = groupChildren(0, count, topSpan(count));
    expect(top.length).toBeLessThanOrEqual(500);
    for (const child of top) {
      if (child.kind === 'range')
        expect(groupChildren(child.start, child.end, child.span).length).toBeLessThanOrEqual(500);
    }
  });

  it('rangesTo gives the path of ranges to a batch', () => {
    expect(rangesTo(7, 9, 3)).toEqual([{ start: 6, span: 1 }]);
    expect(rangesTo(20, 27, 3)).toEqual([
      { start: 18, span: 3 },
      { start: 18, span: 1 },
    ]);
    expect(rangesTo(2, 3, 3)).toEqual([]);
  });

  it('on append, exactly the container named by changedOnAppend gains a child (checked for every count)', () => {
    const max = 3;
    for (let index = 1; index < 100; index++) {
      const before = layout(index, max);
      const after = layout(index + 1, max);
      const changed = [...before.keys()].filter((name) => after.get(name) !== before.get(name));
      const expected = changedOnAppend(index, max);
      if (expected.kind === 'epoch') expect(changed).toContain('epoch');
      else if (expected.kind === 'range') expect(changed).toEqual([`r${expected.start}/${expected.span}`]);
      else throw new Error('run only for index 0');
      // When the grouping did not deepen, only that one container changed.
      if (topSpan(index, max) === topSpan(index + 1, max)) expect(changed).toHaveLength(1);
    }
    expect(changedOnAppend(0, max)).toEqual({ kind: 'run' });
  });
});
