/**
 * Reads, validates and resolves a `*.lstm.json` config. Every failure is one ConfigError that
 * names the field path (or file:line) and says what to do; nothing is written on failure.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ValidateFunction } from 'ajv';
import { isCsvData, isPythonConfig, type LstmConfig } from '../shared/config';
import { ConfigError } from './configError';
import { checkCsvFile } from './data/csvData';
import { withFieldPrefix } from './fieldPrefix';
import { findDuplicateOrHugeNumber, findTooDeep } from './jsonChecks';
import { findJsonSyntaxError, lineColumnAt } from './jsonSyntax';
import { notForTrainer } from './loadPythonConfig';
import { resolveConfig, type RunConfig } from './resolveConfig';
import { explainSchemaErrors } from './schemaErrors/explainSchemaErrors';
import { trainerSchema } from './schemaForms';

export { resolveConfig, type RunConfig } from './resolveConfig';

let validator: ValidateFunction | undefined;

/** The compiled schema validator (compiled once per process). */
function validate(value: unknown): ValidateFunction['errors'] {
  validator ??= new Ajv({ allErrors: true }).compile(trainerSchema);
  return validator(value) ? null : validator.errors;
}

/** Parses and schema-validates config text; every text problem carries its line and column. */
export function parseConfigText(text: string, configPath: string): LstmConfig {
  const body = text.replace(/^\uFEFF/, '');
  const at = (offset: number) => ({ file: configPath, ...lineColumnAt(body, offset) });
  if (!body.trim()) {
    throw new ConfigError(
      '',
      'the file is empty: a config is a JSON object (see examples/*.lstm.json).',
      at(body.length),
    );
  }
  const deep = findTooDeep(body);
  if (deep) throw new ConfigError(deep.field, `invalid config: ${deep.message}.`, at(deep.offset));
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const found = findJsonSyntaxError(body);
    const what = found?.message ?? (error instanceof Error ? error.message : String(error));
    throw new ConfigError(
      '',
      `invalid JSON: ${what}. Fix the syntax at this position.`,
      at(found?.offset ?? body.length),
    );
  }
  const problem = findDuplicateOrHugeNumber(body);
  if (problem) throw new ConfigError(problem.field, `${problem.message}.`, at(problem.offset));
  if (isPythonConfig(value)) throw notForTrainer();
  const errors = validate(value);
  if (errors && errors.length > 0) throw explainSchemaErrors(errors, value, trainerSchema);
  return value as LstmConfig;
}

/** Nearest ancestor folder of the config holding `.git`, `.vscode` or `package.json`; else the config's folder. */
export function findWorkspaceRoot(configPath: string): string {
  const configDir = path.dirname(path.resolve(configPath));
  for (let dir = configDir; ; dir = path.dirname(dir)) {
    if (['.git', '.vscode', 'package.json'].some((marker) => fs.existsSync(path.join(dir, marker)))) return dir;
    if (path.dirname(dir) === dir) return configDir;
  }
}

/** Checks the schema cannot make: batch rows named in capture.hiddenRows, predict's data, CSV files and columns. */
export function checkConfig(resolved: RunConfig, configPath: string, workspaceRoot: string): void {
  checkHiddenRows(resolved);
  if (resolved.predict?.data === 'validation' && !resolved.validation) {
    throw new ConfigError(
      'predict.data',
      '"validation" predicts on the validation samples, but the config has no "validation". ' +
        'Add "validation": { "split": 0.2 } (or its own data), or predict on "train".',
    );
  }
  if (isCsvData(resolved.data)) checkCsvFile(resolved.data, configPath, workspaceRoot);
  const validation = resolved.validation;
  if (validation && 'data' in validation && isCsvData(validation.data)) {
    const data = validation.data;
    withFieldPrefix('validation.', () => checkCsvFile(data, configPath, workspaceRoot));
  }
}

/** The rows named in capture.hiddenRows must exist in a batch (a check that reads no data). */
export function checkHiddenRows(resolved: RunConfig): void {
  const { batchSize } = resolved.training;
  resolved.capture.hiddenRows.forEach((row, i) => {
    if (row >= batchSize) {
      throw new ConfigError(
        `capture.hiddenRows[${i}]`,
        `row ${row} does not exist: a batch has ${batchSize} rows (training.batchSize), numbered 0 to ${batchSize - 1}. ` +
          `Use rows below ${batchSize} or raise training.batchSize.`,
      );
    }
  });
}

/** Reads, validates, resolves and checks a config file. */
export function loadConfig(
  configPath: string,
  workspaceRoot?: string,
): { config: LstmConfig; resolved: RunConfig; workspaceRoot: string } {
  const file = path.resolve(configPath);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? `config file not found: ${file}. Check the path (configs are *.lstm.json files; see examples/).`
        : code === 'EISDIR'
          ? `${file} is a folder, not a config file. Pass the path of a *.lstm.json file.`
          : `cannot read the config file ${file}: ${(error as Error).message}.`;
    throw new ConfigError('', reason, { file });
  }
  const config = parseConfigText(text, file);
  const resolved = resolveConfig(config, file);
  const root = path.resolve(workspaceRoot ?? findWorkspaceRoot(file));
  checkConfig(resolved, file, root);
  return { config, resolved, workspaceRoot: root };
}
