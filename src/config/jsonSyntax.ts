/**
 * Where and why config text is not JSON, in words a user can act on. Node's `JSON.parse`
 * messages often give no position, so jsonc-parser (VS Code's own JSON scanner) finds it.
 */
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

const WORDS: Record<string, string> = {
  CommaExpected: 'expected `,` (a missing comma?)',
  ColonExpected: 'expected `:` after the key',
  PropertyNameExpected: 'expected a key in double quotes',
  ValueExpected: 'expected a value',
  CloseBraceExpected: 'expected `}`',
  CloseBracketExpected: 'expected `]`',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfComment: 'unterminated comment',
  InvalidSymbol: 'unexpected character',
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
};

/** The first syntax error of `text` (offset into it and a message), or undefined if it parses. */
export function findJsonSyntaxError(text: string): { offset: number; message: string } | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  const first = errors[0];
  if (!first)
    return text.trim() ? undefined : { offset: text.length, message: 'the file is empty; a config is a JSON object' };
  const code = printParseErrorCode(first.error);
  // jsonc-parser reports a trailing comma as a missing key or value at the closing bracket.
  const before = text.slice(0, first.offset).trimEnd();
  if (
    (code === 'PropertyNameExpected' || code === 'ValueExpected') &&
    before.endsWith(',') &&
    /^\s*[}\]]/.test(text.slice(first.offset))
  ) {
    return {
      offset: before.length - 1,
      message: `trailing comma before \`${text.slice(first.offset).trim()[0]}\`: remove the last comma`,
    };
  }
  return { offset: first.offset, message: WORDS[code] ?? code };
}

/** 1-based line and column of `offset`; CRLF counts as one line break. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}
