/**
 * A python config (`"python": { "script": "train.py" }`): the user's own PyTorch script, which the
 * editor runs through the recorder (python/lstm_state_timeline) instead of the trainer. Resolved
 * (absolute paths, defaults) and checked: the script is a file inside the workspace folder and
 * the working folder exists. No schema here (loadPythonConfig.ts), so the editor's host can
 * resolve a config the check worker has validated without loading ajv.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { PythonConfig, ResolvedPythonConfig } from '../shared/config';
import { ConfigError } from './configError';

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

/** The script must be a file inside the workspace folder (symlinks followed); the working folder must exist. */
export function checkPythonConfig(resolved: ResolvedPythonConfig, config: PythonConfig, workspaceRoot: string): void {
  const root = path.resolve(workspaceRoot);
  const written = config.python.script;
  const outside = (file: string, base: string) => {
    const rel = path.relative(base, file);
    return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  };
  const refuse = (): never => {
    throw new ConfigError(
      'python.script',
      `"${written}" resolves to ${resolved.script}, which is outside the workspace folder ${root}. ` +
        'Move the script into the workspace and give its path relative to the config file.',
    );
  };
  if (outside(resolved.script, root)) refuse();
  if (!fs.existsSync(resolved.script)) {
    throw new ConfigError(
      'python.script',
      `script not found: ${resolved.script}. Give the path of your training script relative to the config file.`,
    );
  }
  if (outside(fs.realpathSync(resolved.script), fs.realpathSync(root))) refuse();
  if (!fs.statSync(resolved.script).isFile()) {
    throw new ConfigError('python.script', `${resolved.script} is not a file. Point python.script at a .py file.`);
  }
  if (!fs.existsSync(resolved.cwd) || !fs.statSync(resolved.cwd).isDirectory()) {
    throw new ConfigError(
      'python.cwd',
      `working folder not found: ${resolved.cwd}. Give an existing folder relative to the config file, or leave python.cwd out (the config's folder).`,
    );
  }
}
