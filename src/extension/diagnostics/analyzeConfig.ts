/**
 * What the trainer would say about a config before training: the same validation (errors)
 * and lint (warnings) it runs, as findings placed on config fields. No `vscode` here.
 */
import * as path from 'path';
import { ConfigError } from '../../trainer/configError';
import { datasetSize } from '../../trainer/dataset';
import { lintConfig } from '../../trainer/lint';
import { checkConfig, parseConfigText, resolveConfig } from '../../trainer/loadConfig';
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
}

/** Validates and lints config text as the trainer would (CSV data is read from disk). */
export function analyzeConfig(text: string, configPath: string, workspaceRoot: string): Finding[] {
  try {
    const config = parseConfigText(text, configPath);
    const resolved = resolveConfig(config, configPath);
    checkConfig(resolved, configPath, workspaceRoot);
    const size = datasetSize(resolved, configPath, workspaceRoot);
    return lintConfig(resolved, size, config).map((warning) => ({
      severity: 'warning' as const,
      message: warning.message,
      code: warning.code,
      ...spanOf(text, warning.field),
    }));
  } catch (error) {
    if (!(error instanceof ConfigError)) return [{ severity: 'error', message: String(error), start: 0, end: 0 }];
    return [errorFinding(text, configPath, error)];
  }
}

function errorFinding(text: string, configPath: string, error: ConfigError): Finding {
  const inConfig = !error.file || path.resolve(error.file) === path.resolve(configPath);
  if (inConfig && error.line !== undefined) {
    // A syntax error: mark the rest of the line from the column the parser stopped at.
    const start = offsetOf(text, error.line - 1, (error.column ?? 1) - 1);
    const lineEnd = text.indexOf('\n', start);
    return { severity: 'error', message: error.reason, start, end: Math.max(start + 1, lineEnd < 0 ? text.length : lineEnd) };
  }
  // An error in another file (a CSV line) keeps its file:line prefix and sits on the field naming that file.
  return { severity: 'error', message: inConfig ? error.reason : error.message, ...spanOf(text, error.field) };
}

function spanOf(text: string, field: string): { start: number; end: number } {
  const span = fieldSpan(text, field);
  return { start: span.offset, end: span.offset + span.length };
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
