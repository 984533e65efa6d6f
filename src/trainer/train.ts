/**
 * The training loop: one forward pass per batch gives the loss and every row's final (h, c);
 * the initial state of each batch is chosen by the reset policy and passed in explicitly.
 * Everything is written to the run folder before it is announced.
 */
import * as path from 'path';
import type * as tfTypes from '@tensorflow/tfjs';
import { ConfigError } from '../config/configError';
import { answerFor } from '../shared/answer';
import { emptyCauseCounts, RESET_CAUSES } from '../shared/causes';
import { RUN_FILES } from '../shared/runFormat';
import { createRng, shuffledIndices } from '../shared/random';
import type { TrainRequest } from '../shared/trainerArgs';
import { RunWriter } from '../runStore/runWriter';
import { backendChoice, loadBackend, type Tf } from './backend';
import { BatchStep, disposeStates } from './batchStep';
import { TensorBudget, type LayerValues } from './capture';
import type { TrainingControls } from './controls';
import { buildStack, disposeStack, type LayerStates, type LstmStack } from './model';
import { prepareRun, type PreparedRun } from './prepareRun';
import { ResetPolicy } from './resetPolicy';
import { manifestOf, saveWeights, writeBatch } from './runRecords';
import type { FailedProgress, FinishedProgress, TrainerProgress } from './progress';

/** Runs a whole training; never throws — failures end as a `failed` event. */
export async function train(
  request: TrainRequest,
  emit: (event: TrainerProgress) => void,
  controls: TrainingControls,
): Promise<FinishedProgress | FailedProgress> {
  let prepared: PreparedRun;
  try {
    prepared = prepareRun(request);
  } catch (error) {
    return fail(emit, error);
  }
  for (const warning of prepared.warnings) emit({ type: 'warning', ...warning });
  let writer: RunWriter | undefined;
  try {
    const backend = await loadBackend(backendChoice(prepared.resolved.backend), [
      __dirname,
      path.dirname(prepared.configPath),
      process.cwd(),
    ]);
    for (const reason of backend.skipped) emit({ type: 'notice', message: `backend ${reason}` });
    const { tf } = backend;
    const stack = buildStack(tf, prepared.resolved, prepared.dataset.features, prepared.dataset.targets);
    const manifest = manifestOf(prepared, stack, backend.name, tf.version.tfjs);
    const runDir = path.join(prepared.resolved.runsDir, manifest.runId);
    writer = new RunWriter(runDir, manifest, manifest.data.saved ? prepared.dataset : undefined);
    controls.readControlFile(path.join(runDir, RUN_FILES.control));
    for (const warning of prepared.warnings) writer.record({ t: 'warning', ...warning });
    saveWeights(writer, stack, 'initial');
    emit({ type: 'started', runDir, manifest });
    const result = await runLoop(tf, prepared, stack, writer, emit, controls);
    writer.record({ t: 'end', status: result.status, at: new Date().toISOString() });
    writer.close();
    const finished: FinishedProgress = { type: 'finished', runDir, ...result };
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

function fail(emit: (event: TrainerProgress) => void, error: unknown, runDir?: string): FailedProgress {
  const event: FailedProgress = { type: 'failed', message: messageOf(error), runDir };
  if (error instanceof ConfigError) Object.assign(event, { field: error.field, file: error.file, line: error.line });
  emit(event);
  return event;
}

async function runLoop(
  tf: Tf,
  prepared: PreparedRun,
  stack: LstmStack,
  writer: RunWriter,
  emit: (event: TrainerProgress) => void,
  controls: TrainingControls,
) {
  const { resolved, dataset, batchSize, batchesPerEpoch, samplesPerEpoch } = prepared;
  const stateful = resolved.model.stateful;
  const policy = new ResetPolicy(stateful, resolved.resets);
  const optimizer = makeOptimizer(tf, resolved.training.optimizer, resolved.training.learningRate);
  const rng = createRng(resolved.training.seed);
  const budget = new TensorBudget(resolved.capture.tensorBudgetBytes);
  const counts = emptyCauseCounts();
  const xAll = tf.tensor3d(dataset.x, [dataset.samples, dataset.timesteps, dataset.features]);
  const yAll = tf.tensor2d(dataset.y, [dataset.samples, dataset.targets]);
  // Resets and schedule changes are recorded in the run before they are announced.
  const publish = (event: TrainerProgress) => {
    if (event.type === 'schedule') writer.record({ t: 'schedule', schedule: event.schedule, fromStep: event.fromStep });
    if (event.type === 'reset')
      writer.record({
        t: 'reset',
        cause: event.cause,
        beforeStep: event.beforeStep,
        epoch: event.epoch,
        batch: event.batch,
      });
    if (event.type === 'state') writer.record({ t: 'state', status: event.status, atStep: event.atStep });
    emit(event);
  };
  const step = new BatchStep(tf, stack, optimizer, resolved.capture.hiddenRows);
  let carried: { tensors: LayerStates; values: LayerValues[] } | null = null;
  let status: 'finished' | 'stopped' = 'finished';
  let global = 0;
  try {
    epochs: for (let epoch = 0; epoch < resolved.training.epochs; epoch++) {
      const order = resolved.training.shuffle
        ? shuffledIndices(dataset.samples, rng)
        : Array.from({ length: dataset.samples }, (_, i) => i);
      let lossSum = 0;
      for (let batch = 0; batch < batchesPerEpoch; batch++, global++) {
        if (!(await controls.atBoundary(policy, global, publish))) {
          status = 'stopped';
          break epochs;
        }
        const rows = order.slice(batch * batchSize, Math.min((batch + 1) * batchSize, samplesPerEpoch));
        const cause = policy.causeFor({ step: global, batch });
        counts[cause]++;
        if (cause === 'epoch' || cause === 'schedule' || cause === 'manual')
          publish({ type: 'reset', cause, beforeStep: global, epoch, batch });
        // A reset cause starts from zeros (null); otherwise row i continues from the carried state.
        const result = step.run(xAll, yAll, rows, RESET_CAUSES.includes(cause) ? null : carried);
        if (carried) disposeStates(carried.tensors);
        carried = stateful ? { tensors: result.finals, values: result.values } : (disposeStates(result.finals), null);
        const record = writeBatch(writer, budget, { epoch, batch, step: global, rows, cause, result });
        lossSum += result.loss;
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
    optimizer.dispose();
    // The weights too: a process (or test) that trains several runs must not keep them all.
    disposeStack(stack);
  }
  const answer = answerFor({
    stateful,
    samples: dataset.samples,
    timesteps: dataset.timesteps,
    batchSize,
    batchesPerEpoch,
    batches: global,
    counts,
  });
  return { status, resets: counts, batches: global, answer };
}

function makeOptimizer(tf: Tf, name: 'adam' | 'sgd' | 'rmsprop', learningRate: number): tfTypes.Optimizer {
  if (name === 'sgd') return tf.train.sgd(learningRate);
  if (name === 'rmsprop') return tf.train.rmsprop(learningRate);
  return tf.train.adam(learningRate);
}
