import { describe, expect, it } from 'vitest';
import { headerOf } from '../../../src/extension/commands/csvHeader';

describe('headerOf: the column names the New Training Config picker offers', () => {
  it('reads the first record only, as RFC 4180 has it', () => {
    expect(headerOf('a,b,c\n1,2,3\n')).toEqual(['a', 'b', 'c']);
    expect(headerOf('\ufeff"month","passengers, thousands", temp \r\n1,2,3')).toEqual([
      'month',
      'passengers, thousands',
      'temp',
    ]);
    expect(headerOf('"say ""hi""",x')).toEqual(['say "hi"', 'x']);
    expect(headerOf('only')).toEqual(['only']);
    expect(headerOf('a,,b')).toEqual(['a', '', 'b']);
    expect(headerOf('')).toEqual([]);
  });
});
