/**
 * Reads a python config: validated against the python form of the schema (a trainer key in it
 * gets its own plain sentence), resolved and checked. Every failure is one ConfigError naming
 * the field.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { isPythonConfig, type PythonConfig, type ResolvedPythonConfig } from '../shared/config';
import { ConfigError } from './configError';
import { checkPythonConfig } from './pythonConfig';
import { resolvePythonConfig } from './resolvePythonConfig';
import { explainSchemaErrors } from './schemaErrors/explainSchemaErrors';
import { PYTHON_CONFIG_KEYS, pythonSchema, trainerSchema } from './schemaForms';

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
