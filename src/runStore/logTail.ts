/** The end of a run's log.jsonl: its last complete line, and whether that line is the end record. */

/**
 * The last newline-terminated line in `tail` (bytes read from the end of a log) and the offset of
 * its newline; `newlineAt` is -1 (and `line` empty) when the bytes hold no newline. Works on bytes:
 * the window may start inside a multi-byte character, and a torn last line (no newline) is skipped.
 */
export function lastCompleteLine(tail: Buffer): { line: string; newlineAt: number } {
  const newlineAt = tail.lastIndexOf(0x0a);
  const previous = newlineAt > 0 ? tail.lastIndexOf(0x0a, newlineAt - 1) : -1;
  return { line: tail.subarray(previous + 1, Math.max(newlineAt, 0)).toString('utf8'), newlineAt };
}

/** True when a log line is the run's end record (checked without parsing the line). */
export function isEndLine(line: string): boolean {
  return /"t"\s*:\s*"end"/.test(line);
}
