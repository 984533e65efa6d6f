/**
 * The training loop: one forward pass per batch gives the loss and every row's final (h, c);
 * the initial state of each batch is chosen by the reset policy and passed in explicitly.
 * Everything is written to the run folder before it is announced.
 */
import * as os from 'os';
import * as path from 'path';
import type * as tfTypes from '@tensorflow/tfjs';
import { answerFor } from '../shared/answer';
import { emptyCauseCounts, RESET_CAUSES } from '../shared/causes';
import { isCsvData } from '../shared/config';
import { PROTOCOL_VERSION, type FailedEvent, type FinishedEvent, type TrainerEvent } from '../shared/protocol';
import { RUN_FORMAT_VERSION, type BatchRecord, type RunManifest } from '../shared/runFormat';
import { backendChoice, loadBackend, type Tf } from './backend';
import { normsBlock, statesBlock, TensorBudget, type LayerValues } from './capture';
import { ConfigError } from './configError';
import type { TrainingControls } from './controls';
import { buildStack, forward, namedWeights, type LayerStates, type LstmStack } from './model';
import { prepareRun, type PreparedRun, type TrainRequest } from './prepareRun';
import { createRng, shuffledIndices } from './random';
import { ResetPolicy } from './resetPolicy';
import { newRunId, RunWriter } from './runWriter';
import packageJson from '../../package.json';

export type { TrainRequest } from './prepareRun';

/** Runs a whole training; never throws — failures end as a `failed` event. */
export async function train(request: TrainRequest, emit: (event: TrainerEvent) => void, controls: TrainingControls): Promise<FinishedEvent | FailedEvent> {
  let prepared: PreparedRun;
  try {
    prepared = prepareRun(request);
  } catch (error) {
    return fail(emit, error);
  }
  for (const warning of prepared.warnings) emit({ type: 'warning', ...warning });
  let writer: RunWriter | undefined;
  try {
    const backend = await loadBackend(backendChoice(prepared.resolved.backend), [__dirname, path.dirname(prepared.configPath), process.cwd()]);
    for (const reason of backend.skipped) emit({ type: 'notice', message: `backend ${reason}` });
    const { tf } = backend;
    const stack = buildStack(tf, prepared.resolved, prepared.dataset.features, prepared.dataset.targets, prepared.resolved.capture.hiddenRows.length > 0);
    const manifest = manifestOf(prepared, stack, backend.name, tf.version.tfjs);
    const runDir = path.join(prepared.resolved.runsDir, manifest.runId);
    writer = new RunWriter(runDir, manifest);
    if (manifest.data.saved) writer.writeDataset(prepared.dataset.x, prepared.dataset.y);
    for (const warning of prepared.warnings) writer.record({ t: 'warning', ...warning });
    saveWeights(writer, stack, 'initial');
    emit({ type: 'started', protocolVersion: PROTOCOL_VERSION, runDir, manifest });
    const result = await runLoop(tf, prepared, stack, writer, emit, controls);
    writer.record({ t: 'end', status: result.status, at: new Date().toISOString() });
    writer.close();
    const finished: FinishedEvent = { type: 'finished', runDir, ...result };
    emit(finished);
    return finished;
  } catch (error) {
    if (writer) {
      writer.record({ t: 'end', status: 'failed', at: new Date().toISOString(), message: messageOf(error) });
      writer.close();
    }
    return fail(emit, error, writer?.runDir);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function fail(emit: (event: TrainerEvent) => void, error: unknown, runDir?: string): FailedEvent {
  const event: FailedEvent = { type: 'failed', message: messageOf(error), runDir };
  if (error instanceof ConfigError) event.field = error.field;
  emit(event);
  return event;
}

function manifestOf(prepared: PreparedRun, stack: LstmStack, backend: RunManifest['backend'], tfjsVersion: string): RunManifest {
  const { resolved, dataset, configPath, config } = prepared;
  const source = isCsvData(resolved.data) ? resolved.data.csv : resolved.data.generator;
  return {
    format: RUN_FORMAT_VERSION,
    runId: newRunId(resolved.name),
    name: resolved.name,
    configPath,
    config,
    resolved,
    createdAt: new Date().toISOString(),
    backend,
    versions: { tfjs: tfjsVersion, node: process.version, product: packageJson.version },
    pid: process.pid,
    hostname: os.hostname(),
    data: { samples: dataset.samples, timesteps: dataset.timesteps, features: dataset.features, targets: dataset.targets, source: dataset.source || source, saved: resolved.capture.inputs },
    model: {
      stateful: resolved.model.stateful,
      layers: stack.lstms.map((layer, i) => ({ units: stack.units[i], params: layer.countParams() })),
      head: { units: dataset.targets, params: stack.head.countParams() },
      totalParams: stack.lstms.reduce((sum, layer) => sum + layer.countParams(), stack.head.countParams()),
      recurrentActivation: resolved.model.recurrentActivation,
    },
    batchSize: prepared.batchSize,
    batchesPerEpoch: prepared.batchesPerEpoch,
    epochs: resolved.training.epochs,
    hiddenRows: resolved.capture.hiddenRows,
  };
}

function saveWeights(writer: RunWriter, stack: LstmStack, point: string): void {
  const named = namedWeights(stack);
  const arrays = named.map(({ tensor }) => tensor.dataSync() as Float32Array);
  const all = new Float32Array(arrays.reduce((sum, a) => sum + a.length, 0));
  arrays.reduce((at, a) => (all.set(a, at), at + a.length), 0);
  const file = writer.writeWeights(point, all);
  writer.record({ t: 'weights', point, file, tensors: named.map(({ name, tensor }) => ({ name, shape: tensor.shape })) });
}

function zeroStates(tf: Tf, units: number[], rows: number): LayerStates {
  return units.map((u) => [tf.zeros([rows, u]), tf.zeros([rows, u])] as [tfTypes.Tensor2D, tfTypes.Tensor2D]);
}

async function runLoop(tf: Tf, prepared: PreparedRun, stack: LstmStack, writer: RunWriter, emit: (event: TrainerEvent) => void, controls: TrainingControls) {
  const { resolved, dataset, batchSize, batchesPerEpoch, samplesPerEpoch } = prepared;
  const stateful = resolved.model.stateful;
  const policy = new ResetPolicy(stateful, resolved.resets);
  const optimizer = makeOptimizer(tf, resolved.training.optimizer, resolved.training.learningRate);
  const rng = createRng(resolved.training.seed);
  const budget = new TensorBudget(resolved.capture.tensorBudgetBytes);
  const counts = emptyCauseCounts();
  const xAll = tf.tensor3d(dataset.x, [dataset.samples, dataset.timesteps, dataset.features]);
  const yAll = tf.tensor2d(dataset.y, [dataset.samples, dataset.targets]);
  const publish = (event: TrainerEvent) => {
    if (event.type === 'schedule') writer.record({ t: 'schedule', schedule: event.schedule, fromStep: event.fromStep });
    emit(event);
  };
  const step = new BatchStep(tf, stack, optimizer, resolved.capture.hiddenRows);
  let carried: { tensors: LayerStates; values: LayerValues[] } | null = null;
  let status: 'finished' | 'stopped' = 'finished';
  let global = 0;
  try {
    epochs: for (let epoch = 0; epoch < resolved.training.epochs; epoch++) {
      const order = resolved.training.shuffle ? shuffledIndices(dataset.samples, rng) : Array.from({ length: dataset.samples }, (_, i) => i);
      let lossSum = 0;
      for (let batch = 0; batch < batchesPerEpoch; batch++, global++) {
        if (!(await controls.atBoundary(policy, global, publish))) {
          status = 'stopped';
          break epochs;
        }
        const rows = order.slice(batch * batchSize, Math.min((batch + 1) * batchSize, samplesPerEpoch));
        const cause = policy.causeFor({ step: global, batch });
        counts[cause]++;
        if (cause === 'epoch' || cause === 'schedule' || cause === 'manual') {
          writer.record({ t: 'reset', cause, beforeStep: global, epoch, batch });
          publish({ type: 'reset', cause, beforeStep: global, epoch, batch });
        }
        const startsFromZero = RESET_CAUSES.includes(cause) || carried === null;
        const initial = startsFromZero ? null : carried;
        const result = step.run(xAll, yAll, rows, initial);
        if (carried) disposeStates(carried.tensors);
        carried = stateful ? { tensors: result.finals, values: result.values } : (disposeStates(result.finals), null);
        const record = writeBatch(writer, budget, { epoch, batch, step: global, rows, cause, result });
        lossSum += record.loss;
        publish({ type: 'batch', record });
      }
      saveWeights(writer, stack, `epoch-${epoch + 1}`);
      const meanLoss = lossSum / batchesPerEpoch;
      writer.record({ t: 'epochEnd', epoch, meanLoss, batches: batchesPerEpoch });
      publish({ type: 'epochEnd', epoch, meanLoss, resets: { ...counts } });
    }
  } finally {
    if (carried) disposeStates(carried.tensors);
    xAll.dispose();
    yAll.dispose();
  }
  const answer = answerFor({
    stateful, samples: dataset.samples, timesteps: dataset.timesteps, batchSize, batchesPerEpoch, batches: global, counts,
  });
  return { status, resets: counts, batches: global, answer };
}

function disposeStates(states: LayerStates): void {
  for (const [h, c] of states) {
    h.dispose();
    c.dispose();
  }
}

function makeOptimizer(tf: Tf, name: 'adam' | 'sgd' | 'rmsprop', learningRate: number): tfTypes.Optimizer {
  if (name === 'sgd') return tf.train.sgd(learningRate);
  if (name === 'rmsprop') return tf.train.rmsprop(learningRate);
  return tf.train.adam(learningRate);
}

interface StepResult {
  loss: number;
  finals: LayerStates;
  values: LayerValues[];
  hidden: Float32Array | null;
  ms: number;
}

/** One optimiser step on one batch, from the given initial state (null = zeros). */
class BatchStep {
  constructor(
    private readonly tf: Tf,
    private readonly stack: LstmStack,
    private readonly optimizer: tfTypes.Optimizer,
    private readonly hiddenRows: number[],
  ) {}

  run(xAll: tfTypes.Tensor3D, yAll: tfTypes.Tensor2D, rows: number[], initial: { tensors: LayerStates; values: LayerValues[] } | null): StepResult {
    const { tf, stack } = this;
    const started = performance.now();
    const n = rows.length;
    const index = tf.tensor1d(rows, 'int32');
    const xb = tf.gather(xAll, index) as tfTypes.Tensor3D;
    const yb = tf.gather(yAll, index) as tfTypes.Tensor2D;
    const initialTensors = initial ? initial.tensors : zeroStates(tf, stack.units, n);
    const hiddenRows = this.hiddenRows.filter((row) => row < n);
    let finals: LayerStates = [];
    let hiddenTensor: tfTypes.Tensor | null = null;
    const lossTensor = this.optimizer.minimize(() => {
      const out = forward(tf, stack, xb, initialTensors);
      finals = out.finals.map(([h, c]) => [tf.keep(h), tf.keep(c)]);
      if (hiddenRows.length > 0) {
        const picked = out.sequences.map((seq) => tf.gather(seq as tfTypes.Tensor3D, hiddenRows).reshape([-1]));
        hiddenTensor = tf.keep(tf.concat(picked));
      }
      return tf.losses.meanSquaredError(yb, out.prediction) as tfTypes.Scalar;
    }, true) as tfTypes.Scalar;
    const loss = lossTensor.dataSync()[0];
    const values = finals.map(([h, c], i): LayerValues => {
      const units = stack.units[i];
      const h0 = initial ? initial.values[i].h : new Float32Array(n * units);
      const c0 = initial ? initial.values[i].c : new Float32Array(n * units);
      return { units, h0, c0, h: h.dataSync() as Float32Array, c: c.dataSync() as Float32Array };
    });
    const hidden = hiddenTensor ? ((hiddenTensor as tfTypes.Tensor).dataSync() as Float32Array) : null;
    (hiddenTensor as tfTypes.Tensor | null)?.dispose();
    if (!initial) disposeStates(initialTensors);
    tf.dispose([lossTensor, index, xb, yb]);
    return { loss, finals, values, hidden, ms: performance.now() - started };
  }
}

function writeBatch(
  writer: RunWriter,
  budget: TensorBudget,
  { epoch, batch, step, rows, cause, result }: { epoch: number; batch: number; step: number; rows: number[]; cause: BatchRecord['cause']; result: StepResult },
): BatchRecord {
  const { block, means } = normsBlock(result.values, rows.length);
  const normsOffset = writer.appendNorms(block);
  const states = statesBlock(result.values);
  const statesOffset = budget.take(states.byteLength) ? writer.appendStates(states) : null;
  const hiddenOffset = result.hidden ? writer.appendHidden(result.hidden) : null;
  const record: BatchRecord = {
    t: 'batch', epoch, batch, step, rows, loss: result.loss, cause,
    carriedFrom: cause === 'carried' ? step - 1 : null,
    meanNorms: means, normsOffset, statesOffset, hiddenOffset, ms: result.ms,
  };
  writer.record(record);
  return record;
}
