/**
 * What the trainer would say about config text before training, as plain data (it crosses a
 * worker boundary): its ConfigError, or its lint warnings. The same steps as the trainer's
 * prepareRun, data file included, and the memory estimate: a CSV file is read and parsed whole,
 * so the editor runs this in a worker (checkWorker.ts), never on its own thread.
 */
import * as path from 'path';
import { ConfigError } from '../configError';
import { datasetSize } from '../data/loadDataset';
import { lintConfig } from '../lint';
import { checkConfig, findWorkspaceRoot, parseConfigText, resolveConfig } from '../loadConfig';
import { isCheckedPythonConfig } from '../loadPythonConfig';
import { checkMemory, estimateMemory, expectedBackend, memoryLimits } from '../memoryEstimate';

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

/** Every check the trainer makes before training; `workspaceRoot` defaults to the one the trainer would find. */
export function checkConfigText(
  text: string,
  configPath: string,
  workspaceRoot = findWorkspaceRoot(configPath),
): ConfigProblem[] {
  try {
    if (isCheckedPythonConfig(text, configPath, workspaceRoot)) return [];
    const config = parseConfigText(text, configPath);
    const resolved = resolveConfig(config, configPath);
    checkConfig(resolved, configPath, workspaceRoot);
    const size = datasetSize(resolved, configPath, workspaceRoot);
    // As the trainer refuses a run that cannot fit, before it allocates anything.
    const backend = expectedBackend(resolved.backend, [__dirname, path.dirname(configPath), workspaceRoot]);
    checkMemory(estimateMemory(resolved, size.memory), memoryLimits(backend));
    return lintConfig(resolved, size, config).map((warning) => ({
      severity: 'warning',
      field: warning.field,
      reason: warning.message,
      message: warning.message,
      code: warning.code,
    }));
  } catch (error) {
    return [problemOf(error)];
  }
}

/** A thrown ConfigError as a problem; anything else (a bug, an I/O failure) as an error on the whole file. */
export function problemOf(error: unknown): ConfigProblem {
  if (!(error instanceof ConfigError))
    return { severity: 'error', field: '', reason: String(error), message: String(error) };
  const { field, reason, message, file, line, column } = error;
  return { severity: 'error', field, reason, message, file, line, column };
}
