/**
 * A python config (`"python": { "script": "train.py" }`): the user's own PyTorch script, which the
 * editor runs through the recorder (python/lstm_state_timeline) instead of the trainer. Parsed
 * against the python form of the schema, resolved (absolute paths, defaults), and checked: the
 * script is a file inside the workspace folder and the working folder exists.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ValidateFunction } from 'ajv';
import { isPythonConfig, type PythonConfig, type ResolvedPythonConfig } from '../shared/config';
import { ConfigError } from './configError';
import { explainSchemaErrors } from './schemaErrors/explainSchemaErrors';
import { PYTHON_CONFIG_KEYS, pythonSchema, trainerSchema } from './schemaForms';

/** The recorder's defaults (python/lstm_state_timeline/options.py), as the schema states them. */
const DEFAULT_HIDDEN_ROWS = [0];
const DEFAULT_BUDGET_BYTES = 64 * 1024 * 1024;

let validator: ValidateFunction | undefined;

/** Schema-validates a parsed python config; a trainer key in it gets its own plain sentence. */
export function parsePythonConfig(value: PythonConfig): PythonConfig {
  const trainerKey = Object.keys(value).find(
    (key) => !PYTHON_CONFIG_KEYS.includes(key) && key in (trainerSchema.properties ?? {}),
  );
  if (trainerKey) {
    throw new ConfigError(
      trainerKey,
      `"python" records your own script, so \`${trainerKey}\` (a setting of the built-in trainer) does not apply. ` +
        'Remove it, or remove "python" to train with the built-in trainer.',
    );
  }
  validator ??= new Ajv({ allErrors: true }).compile(pythonSchema);
  if (!validator(value)) throw explainSchemaErrors(validator.errors ?? [], value, pythonSchema);
  return value;
}

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

/** Reads, validates, resolves and checks a python config; throws its one ConfigError. */
export function loadPythonConfig(value: PythonConfig, configPath: string, workspaceRoot: string): ResolvedPythonConfig {
  const config = parsePythonConfig(value);
  const resolved = resolvePythonConfig(config, configPath);
  checkPythonConfig(resolved, config, workspaceRoot);
  return resolved;
}

/**
 * For the editor's checks: true when the text is a python config that passes every check; false
 * when it is anything else (invalid JSON included: the trainer's checks word that); throws the
 * python config's ConfigError.
 */
export function isCheckedPythonConfig(text: string, configPath: string, workspaceRoot: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return false;
  }
  if (!isPythonConfig(value)) return false;
  loadPythonConfig(value, configPath, workspaceRoot);
  return true;
}

/** What the trainer says when handed a python config. */
export function notForTrainer(): ConfigError {
  return new ConfigError(
    'python',
    'this config records your own PyTorch script, which the built-in trainer does not run. ' +
      'Start it with "LSTM: Start Training" in the editor, or record the script with `lstm-state-timeline record -- python3 <script>`.',
  );
}
