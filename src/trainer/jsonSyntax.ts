/**
 * Locates the first JSON syntax error in a text. `JSON.parse` messages differ between Node
 * versions and often carry no position, so the position is found by a small strict scanner.
 */

/** The first syntax error: its character offset and what is wrong there. */
export interface JsonSyntaxError { offset: number; message: string }

/** 1-based line and column of a character offset (`\r\n`, `\n` and `\r` each end a line). */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The first syntax error of `text` as strict JSON, or undefined if it is valid. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    new Scanner(text).document();
    return undefined;
  } catch (error) {
    if (error instanceof ScanError) return { offset: error.offset, message: error.message };
    throw error;
  }
}

class ScanError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

class Scanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  document(): void {
    this.ws();
    if (this.pos >= this.text.length) this.fail('the file is empty; it must hold one JSON object');
    this.value();
    this.ws();
    if (this.pos < this.text.length) this.fail('unexpected text after the end of the JSON object');
  }

  private fail(message: string, at = this.pos): never {
    throw new ScanError(at, message);
  }

  private ws(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const ch = t[this.pos];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') this.pos++;
      else if (ch === '/' && (t[this.pos + 1] === '/' || t[this.pos + 1] === '*')) this.fail('comments are not allowed in JSON');
      else break;
    }
  }

  private describeHere(): string {
    if (this.pos >= this.text.length) return 'the end of the file';
    return `\`${this.text[this.pos]}\``;
  }

  private value(): void {
    const ch = this.text[this.pos];
    if (ch === '{') this.object();
    else if (ch === '[') this.array();
    else if (ch === '"') this.string();
    else if (ch === '-' || (ch >= '0' && ch <= '9')) this.number();
    else if (this.text.startsWith('true', this.pos)) this.pos += 4;
    else if (this.text.startsWith('false', this.pos)) this.pos += 5;
    else if (this.text.startsWith('null', this.pos)) this.pos += 4;
    else if (ch === "'") this.fail("strings must use double quotes (\"), not single quotes");
    else this.fail(`expected a value but found ${this.describeHere()}`);
  }

  private object(): void {
    this.pos++; // {
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.ws();
      const ch = this.text[this.pos];
      if (ch === '}') this.fail('trailing comma before `}`: remove the last comma');
      if (ch !== '"') this.fail(`expected a key in double quotes but found ${this.describeHere()}`);
      this.string();
      this.ws();
      if (this.text[this.pos] !== ':') this.fail(`expected \`:\` after the key but found ${this.describeHere()}`);
      this.pos++;
      this.ws();
      this.value();
      this.ws();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === '}') {
        this.pos++;
        return;
      }
      // Most often a missing comma between two members.
      this.fail(`expected \`,\` or \`}\` but found ${this.describeHere()} (a missing comma?)`);
    }
  }

  private array(): void {
    this.pos++; // [
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.text[this.pos] === ']') this.fail('trailing comma before `]`: remove the last comma');
      this.value();
      this.ws();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === ']') {
        this.pos++;
        return;
      }
      this.fail(`expected \`,\` or \`]\` but found ${this.describeHere()} (a missing comma?)`);
    }
  }

  private string(): void {
    const start = this.pos;
    this.pos++; // opening quote
    const t = this.text;
    while (this.pos < t.length) {
      const ch = t[this.pos];
      if (ch === '"') {
        this.pos++;
        return;
      }
      if (ch === '\\') {
        const esc = t[this.pos + 1];
        if (esc === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(this.pos + 2, this.pos + 6))) this.fail('bad \\u escape: it needs 4 hex digits');
          this.pos += 6;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) {
          this.pos += 2;
        } else {
          this.fail(`bad escape \`\\${esc ?? ''}\` in a string`);
        }
        continue;
      }
      if (ch === '\n' || ch === '\r') this.fail('unterminated string: a string must close with `"` on the same line', start);
      if (ch.charCodeAt(0) < 0x20) this.fail('control character in a string: escape it (e.g. \\t)');
      this.pos++;
    }
    this.fail('unterminated string: a string must close with `"`', start);
  }

  private number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match) this.fail('invalid number');
    this.pos += match[0].length;
  }
}
