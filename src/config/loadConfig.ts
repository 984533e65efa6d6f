/**
 * Reads, validates and resolves a `*.lstm.json` config. Every failure is one ConfigError that
 * names the field path (or file:line) and says what to do; nothing is written on failure.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ValidateFunction } from 'ajv';
import { isCsvData, isPythonConfig, type LstmConfig, type ResolvedConfig } from '../shared/config';
import { ConfigError } from './configError';
import { DEFAULTS } from './configDefaults';
import { checkCsvFile } from './data/csvData';
import { findJsonSyntaxError, lineColumnAt } from './jsonSyntax';
import { notForTrainer } from './loadPythonConfig';
import { explainSchemaErrors } from './schemaErrors/explainSchemaErrors';
import { trainerSchema } from './schemaForms';

let validator: ValidateFunction | undefined;

/** The compiled schema validator (compiled once per process). */
function validate(value: unknown): ValidateFunction['errors'] {
  validator ??= new Ajv({ allErrors: true }).compile(trainerSchema);
  return validator(value) ? null : validator.errors;
}

/** Parses and schema-validates config text; syntax errors carry the line and column. */
export function parseConfigText(text: string, configPath: string): LstmConfig {
  const body = text.replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const found = findJsonSyntaxError(body);
    const offset = found?.offset ?? body.length;
    const { line, column } = lineColumnAt(body, offset);
    const what = found?.message ?? (error instanceof Error ? error.message : String(error));
    throw new ConfigError('', `invalid JSON: ${what}. Fix the syntax at this position.`, {
      file: configPath,
      line,
      column,
    });
  }
  if (isPythonConfig(value)) throw notForTrainer();
  const errors = validate(value);
  if (errors && errors.length > 0) throw explainSchemaErrors(errors, value, trainerSchema);
  return value as LstmConfig;
}

/** The config with every schema default filled in; `runsDir` becomes absolute. */
export function resolveConfig(config: LstmConfig, configPath: string): ResolvedConfig {
  const configDir = path.dirname(path.resolve(configPath));
  const data = isCsvData(config.data)
    ? { ...config.data, columns: [...config.data.columns], stride: config.data.stride ?? DEFAULTS.stride }
    : {
        ...config.data,
        features: config.data.features ?? DEFAULTS.features,
        seed: config.data.seed ?? DEFAULTS.dataSeed,
        layout: config.data.layout ?? DEFAULTS.layout,
      };
  const { model, training, capture = {} } = config;
  const resets = config.resets ?? DEFAULTS.resets;
  return {
    name: config.name ?? defaultName(configPath),
    data,
    model: {
      units: Array.isArray(model.units) ? [...model.units] : [model.units],
      stateful: model.stateful ?? DEFAULTS.stateful,
      recurrentActivation: model.recurrentActivation ?? DEFAULTS.recurrentActivation,
      activation: model.activation ?? DEFAULTS.activation,
      seed: model.seed ?? DEFAULTS.modelSeed,
    },
    training: {
      batchSize: training.batchSize,
      epochs: training.epochs,
      shuffle: training.shuffle ?? DEFAULTS.shuffle,
      optimizer: training.optimizer ?? DEFAULTS.optimizer,
      learningRate: training.learningRate ?? DEFAULTS.learningRate,
      seed: training.seed ?? DEFAULTS.trainingSeed,
    },
    resets: typeof resets === 'string' ? resets : { ...resets },
    capture: {
      tensorBudgetBytes: capture.tensorBudgetBytes ?? DEFAULTS.tensorBudgetBytes,
      hiddenRows: [...(capture.hiddenRows ?? DEFAULTS.hiddenRows)],
      inputs: capture.inputs ?? DEFAULTS.inputs,
    },
    backend: config.backend ?? DEFAULTS.backend,
    runsDir: path.resolve(configDir, config.runsDir ?? DEFAULTS.runsDir),
  };
}

/** `air.lstm.json` → `air` (or the file name without `.json`). */
function defaultName(configPath: string): string {
  const base = path.basename(configPath);
  if (base.endsWith('.lstm.json') && base.length > '.lstm.json'.length) return base.slice(0, -'.lstm.json'.length);
  return base.replace(/\.json$/, '') || base;
}

/** Nearest ancestor folder of the config holding `.git`, `.vscode` or `package.json`; else the config's folder. */
export function findWorkspaceRoot(configPath: string): string {
  const configDir = path.dirname(path.resolve(configPath));
  for (let dir = configDir; ; dir = path.dirname(dir)) {
    if (['.git', '.vscode', 'package.json'].some((marker) => fs.existsSync(path.join(dir, marker)))) return dir;
    if (path.dirname(dir) === dir) return configDir;
  }
}

/** Checks the schema cannot make: batch rows named in capture.hiddenRows, CSV file and columns. */
export function checkConfig(resolved: ResolvedConfig, configPath: string, workspaceRoot: string): void {
  checkHiddenRows(resolved);
  if (isCsvData(resolved.data)) checkCsvFile(resolved.data, configPath, workspaceRoot);
}

/** The rows named in capture.hiddenRows must exist in a batch (a check that reads no data). */
export function checkHiddenRows(resolved: ResolvedConfig): void {
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
): { config: LstmConfig; resolved: ResolvedConfig; workspaceRoot: string } {
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
