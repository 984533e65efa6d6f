/** The trainer's command line: `<config> [--workspace DIR] [--runs-dir DIR] [--backend B] [--tensor-budget BYTES]`. */

/** The argv for a request (`--backend auto` is left out: the config decides); `parseTrainerArgs` reads it back. */
export function formatTrainerArgs(request: TrainRequest): string[] {
  const args = [request.configPath];
  if (request.workspaceRoot) args.push('--workspace', request.workspaceRoot);
  if (request.runsDir) args.push('--runs-dir', request.runsDir);
  if (request.backend && request.backend !== 'auto') args.push('--backend', request.backend);
  if (request.tensorBudgetBytes !== undefined) args.push('--tensor-budget', String(request.tensorBudgetBytes));
  return args;
}

/** Parses the trainer's command line (see above). */
import { BACKEND_CHOICES, isBackendChoice } from '../shared/config';
import type { TrainRequest } from './prepareRun';

export function parseTrainerArgs(args: string[]): TrainRequest {
  const positional: string[] = [];
  const request: Partial<TrainRequest> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const next = args[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--workspace') request.workspaceRoot = value();
    else if (arg === '--runs-dir' || arg === '--out') request.runsDir = value();
    else if (arg === '--backend') {
      const backend = value();
      if (!isBackendChoice(backend)) throw new Error(`--backend must be one of ${BACKEND_CHOICES.join(', ')}`);
      request.backend = backend;
    } else if (arg === '--tensor-budget') {
      const bytes = Number(value());
      if (!Number.isInteger(bytes) || bytes < 0) throw new Error('--tensor-budget must be a whole number of bytes');
      request.tensorBudgetBytes = bytes;
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new Error('expected exactly one config file');
  return { ...request, configPath: positional[0] };
}
