/**
 * A python config (`"python": { "script": "train.py" }`): the user's own PyTorch script, which the
 * editor runs through the recorder (python/lstm_state_timeline) instead of the trainer. Checked:
 * the script is a file inside the workspace folder and the working folder exists. (The schema is
 * in loadPythonConfig.ts, resolving in resolvePythonConfig.ts.)
 */
import * as fs from 'fs';
import * as path from 'path';
import type { PythonConfig, ResolvedPythonConfig } from '../shared/config';
import { ConfigError } from './configError';

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
