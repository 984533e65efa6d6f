/**
 * What the trainer would say about config text before training, as plain data (it crosses a
 * worker boundary): its ConfigError, or its lint warnings. Split by cost: `checkWithoutData`
 * reads no data file and is cheap enough for the editor's thread; `checkWithData` reads and
 * parses a whole CSV file, so the editor runs it in a worker (checkWorker.ts).
 */
import { isCsvData, type LstmConfig, type ResolvedConfig } from '../../shared/config';
import { ConfigError } from '../configError';
import { datasetSize } from '../data/loadDataset';
import { lintConfig } from '../lint';
import { checkConfig, checkHiddenRows, parseConfigText, resolveConfig } from '../loadConfig';

/** One problem the trainer would report, on a config field (and, for a file position, that file). */
export interface ConfigProblem {
  severity: 'error' | 'warning';
  /** Dotted field path, e.g. `training.shuffle`; '' for the whole file. */
  field: string;
  /** What is wrong and what to do, without a location prefix. */
  reason: string;
  /** The full message as the trainer prints it (with its file:line or field prefix). */
  message: string;
  /** Lint code of a warning, e.g. `LSTM001`. */
  code?: string;
  /** File, 1-based line and column of an error that has a position (JSON syntax, a CSV cell). */
  file?: string;
  line?: number;
  column?: number;
}

/** A check that read no data file: its problems, or `needsData` when the config names a CSV file still to be checked. */
export type QuickCheck = { needsData: false; problems: ConfigProblem[] } | { needsData: true };

/** Every check that reads no data file. For generated data that is every check the trainer makes. */
export function checkWithoutData(text: string, configPath: string, workspaceRoot: string): QuickCheck {
  try {
    const { config, resolved } = parsed(text, configPath);
    checkHiddenRows(resolved);
    if (isCsvData(resolved.data)) return { needsData: true };
    return { needsData: false, problems: lint(resolved, config, configPath, workspaceRoot) };
  } catch (error) {
    return { needsData: false, problems: [problemOf(error)] };
  }
}

/** Every check the trainer makes before training, the data file included (a CSV is read and parsed whole). */
export function checkWithData(text: string, configPath: string, workspaceRoot: string): ConfigProblem[] {
  try {
    const { config, resolved } = parsed(text, configPath);
    checkConfig(resolved, configPath, workspaceRoot);
    return lint(resolved, config, configPath, workspaceRoot);
  } catch (error) {
    return [problemOf(error)];
  }
}

function parsed(text: string, configPath: string): { config: LstmConfig; resolved: ResolvedConfig } {
  const config = parseConfigText(text, configPath);
  return { config, resolved: resolveConfig(config, configPath) };
}

/** The lint warnings, after the dataset checks the trainer makes (which may throw a ConfigError). */
function lint(resolved: ResolvedConfig, config: LstmConfig, configPath: string, workspaceRoot: string): ConfigProblem[] {
  const size = datasetSize(resolved, configPath, workspaceRoot);
  return lintConfig(resolved, size, config).map((warning) => ({
    severity: 'warning',
    field: warning.field,
    reason: warning.message,
    message: warning.message,
    code: warning.code,
  }));
}

/** A thrown ConfigError as a problem; anything else (a bug, an I/O failure) as an error on the whole file. */
export function problemOf(error: unknown): ConfigProblem {
  if (!(error instanceof ConfigError)) return { severity: 'error', field: '', reason: String(error), message: String(error) };
  const { field, reason, message, file, line, column } = error;
  return { severity: 'error', field, reason, message, file, line, column };
}
