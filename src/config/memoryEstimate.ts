/**
 * The peak memory of a run, estimated from the config and the data's size before anything is
 * allocated, so that a run that cannot fit is refused at once, naming the field to change,
 * instead of failing minutes later with "memory access out of bounds". The terms follow what
 * the trainer holds: the weights with their gradients and optimiser slots, one batch's
 * activations kept for the backward pass (forward.ts steps every gate of every timestep), the
 * dataset (a JS copy and the backend's tensor), and the states and hidden rows captured per batch.
 */
import * as os from 'os';
import { ConfigError } from './configError';
import { nativeBackendPath } from './nativeBackend';
import { isCsvData, type BackendChoice } from '../shared/config';
import type { BackendName } from '../shared/runFormat';
import type { RunConfig } from './resolveConfig';

/** One part of the estimate, and the config field that sizes it. */
export interface MemoryTerm {
  field: string;
  what: string;
  bytes: number;
  /** Whether it lives in the backend's memory (the wasm heap), or only in the process. */
  backend: boolean;
}

/** What the estimate needs to know of the data: total samples in X, and their shape. */
export interface DataSize {
  samples: number;
  timesteps: number;
  features: number;
  targets: number;
}

/**
 * Floats the backward pass keeps per row, timestep and unit, and per timestep and weight of a
 * layer's kernels (the gradient each step contributes before they are summed): fitted to
 * tf.profile's peak bytes of training steps on the wasm backend, rounded up (memoryEstimate.test.ts
 * checks the estimate stays above the measured peak and within twice it).
 */
const FLOATS_PER_ROW_UNIT_STEP = 62;
const FLOATS_PER_WEIGHT_STEP = 2.5;
/** The wasm backend addresses at most this much (emscripten's heap maximum of tfjs-backend-wasm 4.x). */
export const WASM_HEAP_BYTES = 4294901760;

/** The estimate's terms for a resolved config and its data's size. */
export function estimateMemory(resolved: RunConfig, data: DataSize): MemoryTerm[] {
  const { units } = resolved.model;
  const { batchSize, optimizer } = resolved.training;
  const { samples, timesteps: T, features: F, targets } = data;
  const rows = resolved.model.stateful ? batchSize : Math.min(batchSize, samples);
  const inputs = units.map((_, i) => (i === 0 ? F : units[i - 1]));
  const params =
    units.reduce((sum, u, i) => sum + 4 * u * (inputs[i] + u + 1), 0) + units[units.length - 1] * targets + targets;
  // Each variable, its gradient, the update's temporary, and the optimiser's slots (adam: m, v; rmsprop: ms, mom).
  const slots = optimizer === 'sgd' ? 0 : 2;
  const unitsSum = units.reduce((a, b) => a + b, 0);
  const kernels = units.reduce((sum, u, i) => sum + (inputs[i] + u) * 4 * u, 0);
  const dataFloats = samples * (T * F + targets);
  const hiddenRows = Math.min(resolved.capture.hiddenRows.length, rows);
  return [
    {
      field: 'model.units',
      what: 'weights, gradients and optimiser state',
      bytes: 4 * params * (3 + slots),
      backend: true,
    },
    {
      field: 'training.batchSize',
      what: `one batch's activations and gradients (${rows} rows × ${T} timesteps)`,
      bytes: 4 * T * (rows * (2 * F + FLOATS_PER_ROW_UNIT_STEP * unitsSum) + FLOATS_PER_WEIGHT_STEP * kernels),
      backend: true,
    },
    {
      field: isCsvData(resolved.data) ? 'data.csv' : 'data.samples',
      what: `the dataset (${samples} samples, held twice)`,
      bytes: 4 * dataFloats,
      backend: true,
    },
    { field: isCsvData(resolved.data) ? 'data.csv' : 'data.samples', what: '', bytes: 4 * dataFloats, backend: false },
    {
      field: 'capture.hiddenRows',
      what: 'captured states and hidden rows of a batch',
      bytes: 4 * (3 * 4 * rows * unitsSum + 2 * hiddenRows * T * unitsSum),
      backend: false,
    },
  ];
}

/**
 * The backend a run of `choice` will get, as far as can be told before training (the editor's
 * check): an explicit choice as it is; `auto` is native where @tensorflow/tfjs-node resolves from
 * the places the trainer looks (its own folder, the config's, the workspace), else wasm.
 */
export function expectedBackend(choice: BackendChoice, searchPaths: readonly string[]): BackendName {
  if (choice === 'wasm' || choice === 'cpu') return choice;
  if (choice === 'native') return 'tensorflow';
  return nativeBackendPath(searchPaths) ? 'tensorflow' : 'wasm';
}

/** How much the backend and the process may use: the wasm heap, or most of this machine's memory. */
export function memoryLimits(backend: BackendName): { backend: number; process: number; where: string } {
  const system = Math.floor(os.totalmem() * 0.8);
  return backend === 'wasm'
    ? { backend: Math.min(WASM_HEAP_BYTES, system), process: system, where: 'the wasm backend can address' }
    : { backend: system, process: system, where: "80 % of this machine's memory" };
}

/** Refuses a run whose estimate exceeds a limit, naming the field of the largest term, the estimate and the limit. */
export function checkMemory(terms: MemoryTerm[], limits: ReturnType<typeof memoryLimits>): void {
  const backendBytes = terms.filter((t) => t.backend).reduce((sum, t) => sum + t.bytes, 0);
  const processBytes = terms.reduce((sum, t) => sum + t.bytes, 0);
  const over =
    backendBytes > limits.backend
      ? { bytes: backendBytes, limit: limits.backend, where: limits.where, parts: terms.filter((t) => t.backend) }
      : processBytes > limits.process
        ? { bytes: processBytes, limit: limits.process, where: "80 % of this machine's memory", parts: terms }
        : undefined;
  if (!over) return;
  // The field to change: the weights when they alone cannot fit (no batch size helps then), else the largest part.
  const alone = over.parts.filter((t) => t.bytes > over.limit);
  const largest =
    alone.find((t) => t.field === 'model.units') ?? over.parts.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const breakdown = over.parts
    .filter((t) => t.what)
    .map((t) => `${t.what} ${formatBytes(t.bytes)}`)
    .join(', ');
  throw new ConfigError(
    largest.field,
    `this run needs about ${formatBytes(over.bytes)} of memory (${breakdown}), more than the ${formatBytes(over.limit)} ${over.where}. ` +
      ADVICE[largest.field],
  );
}

const ADVICE: Record<string, string> = {
  'model.units': 'Use fewer or smaller layers (model.units).',
  'training.batchSize': 'Use a smaller training.batchSize, or shorter sequences (data.timesteps or data.window).',
  'data.samples': 'Generate fewer samples (data.samples) or shorter ones (data.timesteps).',
  'data.csv': 'Use a shorter CSV file or a smaller window.',
  'capture.hiddenRows': 'Keep fewer rows in capture.hiddenRows.',
};

/** e.g. "6.2 GiB", "12 MiB". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toPrecision(value < 10 ? 2 : 3)} ${units[unit]}`;
}
