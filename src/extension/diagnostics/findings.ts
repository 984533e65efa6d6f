/**
 * The trainer's problems with a config, placed on the config text: an error or warning on the
 * field it names, a JSON syntax error where the parser stopped. No `vscode` here.
 */
import * as path from 'path';
import type { ConfigProblem } from '../../config/check/checkConfigText';
import { fieldSpan } from './fieldRange';

/** One problem in a config, placed on the text. */
export interface Finding {
  severity: 'error' | 'warning';
  message: string;
  /** Lint code (warnings). */
  code?: string;
  /** Where in the config text: [start, end) offsets. */
  start: number;
  end: number;
  /** The place in another file the problem is about (a bad CSV cell), 1-based. */
  elsewhere?: { file: string; line: number; column?: number };
}

/** Each problem placed on `text`, the config at `configPath`. */
export function findingsOf(text: string, configPath: string, problems: ConfigProblem[]): Finding[] {
  return problems.map((problem) => findingOf(text, configPath, problem));
}

function findingOf(text: string, configPath: string, problem: ConfigProblem): Finding {
  const { severity, code } = problem;
  const inConfig = !problem.file || path.resolve(problem.file) === path.resolve(configPath);
  if (inConfig && problem.line !== undefined) {
    // A syntax error: mark the rest of the line from the column the parser stopped at.
    const start = offsetOf(text, problem.line - 1, (problem.column ?? 1) - 1);
    const lineEnd = text.indexOf('\n', start);
    return {
      severity,
      code,
      message: problem.reason,
      start,
      end: Math.max(start + 1, lineEnd < 0 ? text.length : lineEnd),
    };
  }
  // A problem in another file (a CSV line) keeps its file:line prefix and sits on the field naming that file.
  const span = fieldSpan(text, problem.field);
  return {
    severity,
    code,
    message: inConfig ? problem.reason : problem.message,
    start: span.offset,
    end: span.offset + span.length,
    ...(!inConfig && problem.file && problem.line !== undefined
      ? { elsewhere: { file: problem.file, line: problem.line, column: problem.column } }
      : {}),
  };
}

function offsetOf(text: string, line: number, character: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + character);
}
