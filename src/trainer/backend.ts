/** Picks the compute backend at run time: native (tfjs-node) > wasm > cpu, or the one asked for. */
import * as fs from 'fs';
import * as path from 'path';
import * as tfBundled from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { ConfigError } from '../config/configError';
import { nativeBackendPath } from '../config/nativeBackend';
import { isBackendChoice, type BackendChoice } from '../shared/config';
import type { BackendName } from '../shared/runFormat';

export type Tf = typeof tfBundled;

export interface LoadedBackend {
  tf: Tf;
  name: BackendName;
  /** Why a preferred backend was not used, e.g. "native: @tensorflow/tfjs-node is not installed". */
  skipped: string[];
}

/** Environment override of the config's `backend`. */
export const BACKEND_ENV = 'LSTM_STATE_BACKEND';

/**
 * tfjs-node brings its own copy of tfjs (layers included) and registers its kernels there,
 * so when it is present the whole trainer uses that namespace instead of the bundled one.
 * It is looked up beside the extension and in the workspace (nativeBackendPath).
 */
function loadNative(searchPaths: string[]): Tf {
  const resolved = nativeBackendPath(searchPaths);
  if (!resolved) throw new Error('@tensorflow/tfjs-node is not installed');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolved) as Tf;
}

async function tryBackend(tf: Tf, name: string): Promise<boolean> {
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** The wasm binaries sit beside the bundle (esbuild copies them); from sources the package finds its own. */
function pointWasmAtBundle(): void {
  if (fs.existsSync(path.join(__dirname, 'tfjs-backend-wasm.wasm'))) setWasmPaths(__dirname + path.sep);
}

export function backendChoice(
  configured: BackendChoice | undefined,
  env: NodeJS.ProcessEnv = process.env,
): BackendChoice {
  const fromEnv = env[BACKEND_ENV];
  if (isBackendChoice(fromEnv)) return fromEnv;
  if (fromEnv) throw new Error(`${BACKEND_ENV}="${fromEnv}" is not a backend; use auto, native, wasm or cpu`);
  return configured ?? 'auto';
}

/** Who asked for the backend, for the error when an explicit choice cannot be honoured. */
export interface BackendAsker {
  /** The config field to name ('backend'), or '' when the choice came from elsewhere. */
  field: string;
  /** e.g. 'the config\'s "backend"', '--backend', 'LSTM_STATE_BACKEND'. */
  by: string;
}

/**
 * Loads the chosen backend. `auto` takes the fastest that starts (native > wasm > cpu) and says
 * why it skipped the others; an explicit choice that cannot start is an error, never a silent
 * fallback: a user who asked for native must not get a run on wasm without knowing it.
 */
export async function loadBackend(
  choice: BackendChoice,
  searchPaths: string[] = [__dirname, process.cwd()],
  asker: BackendAsker = { field: 'backend', by: 'the config\'s "backend"' },
): Promise<LoadedBackend> {
  const order: BackendChoice[] = choice === 'auto' ? ['native', 'wasm', 'cpu'] : [choice];
  const skipped: string[] = [];
  for (const candidate of order) {
    if (candidate === 'native') {
      try {
        const tf = loadNative(searchPaths);
        if (await tryBackend(tf, 'tensorflow')) return { tf, name: 'tensorflow', skipped };
        skipped.push('native: @tensorflow/tfjs-node loaded but its backend did not start');
      } catch {
        skipped.push('native: @tensorflow/tfjs-node is not installed (npm install @tensorflow/tfjs-node to use it)');
      }
    } else if (candidate === 'wasm') {
      pointWasmAtBundle();
      if (await tryBackend(tfBundled, 'wasm')) return { tf: tfBundled, name: 'wasm', skipped };
      skipped.push('wasm: the WebAssembly backend did not start');
    } else if (candidate === 'cpu') {
      if (await tryBackend(tfBundled, 'cpu')) return { tf: tfBundled, name: 'cpu', skipped };
    }
  }
  if (choice !== 'auto') {
    throw new ConfigError(
      asker.field,
      `backend "${choice}" was asked for by ${asker.by}, but it cannot start: ${skipped.join('; ') || `${choice}: it did not start`}. ` +
        'Install it, or ask for "auto", which falls back to the fastest backend that starts.',
    );
  }
  throw new Error(`no compute backend could start (${skipped.join('; ')})`);
}
