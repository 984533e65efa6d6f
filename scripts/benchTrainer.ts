/**
 * Trainer benchmark (bundled and run by scripts/bench.mjs). Measured in one run, with
 * interleaved repetitions so machine noise hits every side alike:
 *  - capture overhead: the seed config trained by the recording trainer (full capture)
 *    ÷ plain `model.fit` of the same model on the same data and backend (target ≤ 1.05),
 *    and, to isolate what capturing itself costs, full capture ÷ capture off (norms only);
 *  - ms per epoch of the seed config on every backend that starts here.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadBackend, type Tf } from '../src/trainer/backend';
import { TrainingControls } from '../src/trainer/controls';
import { prepareRun } from '../src/trainer/prepareRun';
import { train } from '../src/trainer/train';

const root = process.cwd(); // bench.mjs runs this from the project root
const seedConfig = path.join(root, 'examples/seed-stateless.lstm.json');
const EPOCHS = 5;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 15);

/** The seed config with `epochs`; `captureOff` keeps only what every run keeps (per-row norms). */
function seedWith(epochs: number, captureOff = false): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-bench-'));
  fs.mkdirSync(path.join(dir, '.vscode'));
  const config = JSON.parse(fs.readFileSync(seedConfig, 'utf8'));
  delete config.$schema;
  config.training.epochs = epochs;
  if (captureOff) config.capture = { hiddenRows: [], tensorBudgetBytes: 0, inputs: false };
  const file = path.join(dir, 'seed.lstm.json');
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

/** Collects garbage before a timed run when node runs with --expose-gc (bench.mjs does), so one side does not pay for the other's garbage. */
const collectGarbage = () => (globalThis as { gc?: () => void }).gc?.();

async function timeRecordingTrainer(configPath: string, backend: 'wasm' | 'cpu' | 'native'): Promise<number> {
  const controls = new TrainingControls(() => undefined);
  collectGarbage();
  const started = performance.now();
  const result = await train({ configPath, backend }, () => undefined, controls);
  if (result.type === 'failed') throw new Error(result.message);
  return performance.now() - started;
}

/** The same model, data, batch size and optimiser through plain `model.fit` (no recording). */
async function timePlainFit(tf: Tf, configPath: string): Promise<number> {
  // Both sides are timed from the config file on: data generation is common work.
  collectGarbage();
  const started = performance.now();
  const { resolved, dataset } = prepareRun({ configPath });
  const x = tf.tensor3d(dataset.x, [dataset.samples, dataset.timesteps, dataset.features]);
  const y = tf.tensor2d(dataset.y, [dataset.samples, dataset.targets]);
  const model = tf.sequential({
    layers: [
      tf.layers.lstm({
        units: resolved.model.units[0],
        inputShape: [dataset.timesteps, dataset.features],
        recurrentActivation: 'sigmoid',
        unitForgetBias: true,
      }),
      tf.layers.dense({ units: dataset.targets }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(resolved.training.learningRate), loss: 'meanSquaredError' });
  await model.fit(x, y, {
    batchSize: resolved.training.batchSize,
    epochs: resolved.training.epochs,
    shuffle: resolved.training.shuffle,
    verbose: 0,
  });
  const elapsed = performance.now() - started;
  model.dispose();
  tf.dispose([x, y]);
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const quartiles = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return [sorted[Math.floor((sorted.length - 1) / 4)], sorted[Math.ceil((3 * (sorted.length - 1)) / 4)]];
};
const ms = (times: number[]) =>
  `median ${median(times).toFixed(0).padStart(5)} ms   (${times.map((t) => t.toFixed(0)).join(', ')})`;

/** Each pair ran back to back, so the median of the per-pair ratios cancels slow drifts of the machine. */
function ratioLine(label: string, numerator: number[], denominator: number[], target?: number): string {
  const ratios = numerator.map((t, i) => t / denominator[i]);
  const [q1, q3] = quartiles(ratios);
  const verdict = target === undefined ? '' : `   target <= ${target}: ${median(ratios) <= target ? 'met' : 'NOT met'}`;
  return `  ${label.padEnd(34)}${median(ratios).toFixed(3)}  (median of pairs; quartiles ${q1.toFixed(3)}-${q3.toFixed(3)})${verdict}`;
}

async function main(): Promise<void> {
  const fullCapture = seedWith(EPOCHS);
  const captureOff = seedWith(EPOCHS, true);
  try {
    const wasm = await loadBackend('wasm');
    console.log(
      `capture overhead (seed config, ${EPOCHS} epochs, backend ${wasm.name}, ${REPEATS} interleaved repetitions)`,
    );
    // Warm-up: kernels and JIT for every side.
    await timePlainFit(wasm.tf, fullCapture);
    await timeRecordingTrainer(fullCapture, 'wasm');
    await timeRecordingTrainer(captureOff, 'wasm');
    const fit: number[] = [];
    const recorded: number[] = [];
    const bare: number[] = [];
    const sides = [
      async () => fit.push(await timePlainFit(wasm.tf, fullCapture)),
      async () => recorded.push(await timeRecordingTrainer(fullCapture, 'wasm')),
      async () => bare.push(await timeRecordingTrainer(captureOff, 'wasm')),
    ];
    for (let i = 0; i < REPEATS; i++) {
      // The order rotates, so no side always runs first (or right after the same other side).
      for (let k = 0; k < sides.length; k++) await sides[(i + k) % sides.length]();
    }
    console.log(`  model.fit                         ${ms(fit)}`);
    console.log(`  trainer, full capture             ${ms(recorded)}`);
    console.log(`  trainer, capture off (norms only) ${ms(bare)}`);
    console.log(ratioLine('full capture / model.fit', recorded, fit, 1.05));
    console.log(ratioLine('full capture / capture off', recorded, bare));

    console.log(`\nms per epoch of the seed config (1000 x 20 x 1, batch 200, 16 units), per backend:`);
    const perEpoch: Record<string, number> = {};
    for (const backend of ['native', 'wasm', 'cpu'] as const) {
      const loaded = await loadBackend(backend).catch(() => undefined);
      const actual = loaded?.name === 'tensorflow' ? 'native' : loaded?.name;
      if (actual !== backend) {
        console.log(
          `  ${backend.padEnd(7)} not available here${loaded?.skipped.length ? ` (${loaded.skipped[0]})` : ''}`,
        );
        continue;
      }
      await timeRecordingTrainer(fullCapture, backend);
      const times: number[] = [];
      for (let i = 0; i < Math.min(REPEATS, 3); i++) times.push(await timeRecordingTrainer(fullCapture, backend));
      perEpoch[backend] = median(times) / EPOCHS;
      console.log(`  ${backend.padEnd(7)} ${perEpoch[backend].toFixed(0)} ms/epoch`);
    }
    if (perEpoch.wasm && perEpoch.cpu) console.log(`  cpu / wasm = ${(perEpoch.cpu / perEpoch.wasm).toFixed(1)}x`);
  } finally {
    // Each side wrote a run folder per repetition into its temp workspace.
    for (const config of [fullCapture, captureOff]) fs.rmSync(path.dirname(config), { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
