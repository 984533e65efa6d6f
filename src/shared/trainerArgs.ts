/**
 * The trainer's command line, written by whoever starts it (the editor, the CLI) and read by
 * the trainer: `<config> [--workspace DIR] [--runs-dir DIR] [--backend B] [--tensor-budget BYTES]`
 * (the editor passes an absolute config path, so it never starts with `-`).
 * Read with Node's `util.parseArgs` and TRAINER_ARGS; the call itself is at the Node entry
 * points, since src/shared is also compiled for the webview, which has no `util`.
 */
import { BACKEND_CHOICES, isBackendChoice, type BackendChoice } from './config';

/** What the caller (extension or CLI) may override from its own settings or flags. */
export interface TrainRequest {
  configPath: string;
  workspaceRoot?: string;
  runsDir?: string;
  backend?: BackendChoice;
  tensorBudgetBytes?: number;
}

/** The trainer's options in `util.parseArgs` form (the CLI's `train` takes these and adds its own). */
export const TRAINER_OPTIONS = {
  workspace: { type: 'string' },
  'runs-dir': { type: 'string' },
  backend: { type: 'string' },
  'tensor-budget': { type: 'string' },
} as const;

/** The whole `util.parseArgs` config of the trainer: strict, so an unknown option is an error naming it. */
export const TRAINER_ARGS = { options: TRAINER_OPTIONS, allowPositionals: true, strict: true } as const;

/** The values `util.parseArgs` returns for TRAINER_OPTIONS. */
export type TrainerOptionValues = { [K in keyof typeof TRAINER_OPTIONS]?: string };

/** The argv for a request (`--backend auto` is left out: the config decides); `trainRequestOf(parseArgs(...))` reads it back. */
export function formatTrainerArgs(request: TrainRequest): string[] {
  const args = [request.configPath];
  if (request.workspaceRoot) args.push('--workspace', request.workspaceRoot);
  if (request.runsDir) args.push('--runs-dir', request.runsDir);
  if (request.backend && request.backend !== 'auto') args.push('--backend', request.backend);
  if (request.tensorBudgetBytes !== undefined) args.push('--tensor-budget', String(request.tensorBudgetBytes));
  return args;
}

/** The request that `parseArgs({ args, ...TRAINER_ARGS })` found; checks the values and that one config is named. */
export function trainRequestOf({
  values,
  positionals,
}: {
  values: TrainerOptionValues;
  positionals: string[];
}): TrainRequest {
  if (positionals.length !== 1) {
    throw new Error(
      positionals.length === 0
        ? 'expected a config file (a *.lstm.json path)'
        : `expected exactly one config file, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  const request: TrainRequest = { configPath: positionals[0] };
  if (values.workspace !== undefined) request.workspaceRoot = values.workspace;
  if (values['runs-dir'] !== undefined) request.runsDir = values['runs-dir'];
  if (values.backend !== undefined) {
    if (!isBackendChoice(values.backend)) {
      throw new Error(`--backend must be one of ${BACKEND_CHOICES.join(', ')} (got "${values.backend}")`);
    }
    request.backend = values.backend;
  }
  if (values['tensor-budget'] !== undefined) {
    const text = values['tensor-budget'];
    const bytes = Number(text);
    if (text.trim() === '' || !Number.isInteger(bytes) || bytes < 0) {
      throw new Error(`--tensor-budget must be a whole number of bytes (got "${text}")`);
    }
    request.tensorBudgetBytes = bytes;
  }
  return request;
}
