/**
 * A python config resolved: the script and working folder made absolute (relative to the config),
 * the recorder's defaults filled in. Path arithmetic only, no checks (pythonConfig.ts checks), so
 * the editor's host resolves a config the check worker has validated without any checking code.
 */
import * as path from 'path';
import type { PythonConfig, ResolvedPythonConfig } from '../shared/config';

/** The recorder's defaults (python/lstm_state_timeline/options.py), as the schema states them. */
const DEFAULT_HIDDEN_ROWS = [0];
const DEFAULT_BUDGET_BYTES = 64 * 1024 * 1024;

/** Paths made absolute (the script and cwd relative to the config), defaults filled in. */
export function resolvePythonConfig(config: PythonConfig, configPath: string): ResolvedPythonConfig {
  const configDir = path.dirname(path.resolve(configPath));
  const { python } = config;
  return {
    name: config.name ?? path.basename(configPath).replace(/(\.lstm)?\.json$/, ''),
    script: path.resolve(configDir, python.script),
    args: [...(python.args ?? [])],
    cwd: path.resolve(configDir, python.cwd ?? '.'),
    runsDir: path.resolve(configDir, config.runsDir ?? '.lstm-runs'),
    stride: python.stride,
    epochs: python.epochs,
    hiddenRows: [...(python.hiddenRows ?? DEFAULT_HIDDEN_ROWS)],
    budgetBytes: python.budgetBytes ?? DEFAULT_BUDGET_BYTES,
  };
}
