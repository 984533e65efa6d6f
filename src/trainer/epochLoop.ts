/**
 * The epochs of a run, in Keras's order: each epoch's training batches, its validation pass (the
 * same layers, forward only), then the epoch's end (where an `epoch` reset acts, as Keras's
 * on_epoch_end does); after the last epoch, the prediction pass. Every batch goes through one
 * BatchRunner, which records it and tracks the state it leaves.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { answerFor } from '../shared/answer';
import { isCsvData } from '../shared/config';
import { discontinuityCode } from '../shared/continuity';
import { createRng, shuffledIndices } from '../shared/random';
import type { BatchRecord, Phase } from '../shared/runFormat';
import type { RunWriter } from '../runStore/runWriter';
import type { Tf } from './backend';
import { BatchRunner } from './batchRunner';
import { BatchStep } from './batchStep';
import { TensorBudget } from './capture';
import type { TrainingControls } from './controls';
import { disposeStack, type LstmStack } from './model';
import { rowsOf, type PreparedRun, type SampleRange } from './prepareRun';
import type { FinishedProgress, TrainerProgress } from './progress';
import { ResetPolicy } from './resetPolicy';
import { saveWeights } from './runRecords';

type LoopResult = Omit<FinishedProgress, 'type' | 'runDir' | 'message'>;

/** Runs every epoch (and the prediction); `written.batches` follows the batch records written, for a failure's end record. */
export async function runEpochs(
  tf: Tf,
  run: PreparedRun,
  stack: LstmStack,
  writer: RunWriter,
  emit: (event: TrainerProgress) => void,
  controls: TrainingControls,
  written: { batches: number },
): Promise<LoopResult> {
  const { resolved, dataset, batchSize, batchesPerEpoch, samplesPerEpoch } = run;
  const { epochs } = resolved.training;
  const stateful = resolved.model.stateful;
  const optimizer = makeOptimizer(tf, resolved.training.optimizer, resolved.training.learningRate);
  const rng = createRng(resolved.training.seed);
  const xAll = tf.tensor3d(dataset.x, [dataset.samples, dataset.timesteps, dataset.features]);
  const yAll = tf.tensor2d(dataset.y, [dataset.samples, dataset.targets]);
  // Resets, pauses and schedule changes are recorded in the run before they are announced.
  const publish = (event: TrainerProgress) => {
    if (event.type === 'schedule') writer.record({ t: 'schedule', schedule: event.schedule, fromStep: event.fromStep });
    if (event.type === 'reset') {
      const { cause, beforeStep, epoch, batch } = event;
      writer.record({ t: 'reset', cause, beforeStep, epoch, batch });
    }
    if (event.type === 'state') writer.record({ t: 'state', status: event.status, atStep: event.atStep });
    if (event.type === 'batch') written.batches = event.record.step + 1;
    emit(event);
  };
  const runner = new BatchRunner({
    step: new BatchStep(tf, stack, optimizer, resolved.capture.hiddenRows),
    policy: new ResetPolicy(stateful, resolved.resets, resolved.validationState, resolved.predict?.reset ?? false),
    controls,
    writer,
    budget: new TensorBudget(resolved.capture.tensorBudgetBytes),
    publish,
    xAll,
    yAll,
    stateful,
    isolated: resolved.validationState === 'isolated',
    blocks: dataset.blocks,
    nonFinite: {
      mode: resolved.training.onNonFinite,
      epochs,
      optimizer: resolved.training.optimizer,
      learningRate: resolved.training.learningRate,
      maxAbsX: () => dataset.x.reduce((max, v) => Math.max(max, Math.abs(v)), 0),
    },
  });
  /** Runs a range's batches in order; the losses, or null when the run was stopped. */
  const pass = async (phase: Phase, epoch: number, range: SampleRange): Promise<number[] | null> => {
    const losses: number[] = [];
    for (let batch = 0; batch < range.batches; batch++) {
      const slot = { phase, epoch, batch, batchesInPhase: range.batches };
      const record = await runner.run(slot, rowsOf(range, batchSize, batch));
      if (!record) return null;
      losses.push(record.loss ?? Number.NaN);
    }
    return losses;
  };
  let status: 'finished' | 'stopped' = 'finished';
  try {
    for (let epoch = 0; epoch < epochs && status === 'finished'; epoch++) {
      // Keras shuffles the training samples only, after the validation split.
      const order = resolved.training.shuffle
        ? shuffledIndices(dataset.trainSamples, rng)
        : Array.from({ length: dataset.trainSamples }, (_, i) => i);
      const losses: number[] = [];
      for (let batch = 0; batch < batchesPerEpoch; batch++) {
        const rows = order.slice(batch * batchSize, Math.min((batch + 1) * batchSize, samplesPerEpoch));
        const record: BatchRecord | null = await runner.run(
          { phase: 'train', epoch, batch, batchesInPhase: batchesPerEpoch },
          rows,
        );
        if (!record) break;
        losses.push(record.loss ?? Number.NaN);
      }
      if (losses.length < batchesPerEpoch) {
        status = 'stopped';
        break;
      }
      saveWeights(writer, stack, `epoch-${epoch + 1}`);
      let validation: { meanLoss: number; batches: number } | undefined;
      if (run.validation) {
        runner.boundary('beforeValidation');
        const validationLosses = await pass('validate', epoch, run.validation);
        if (!validationLosses) {
          status = 'stopped';
          break;
        }
        runner.boundary('afterValidation');
        validation = { meanLoss: finiteMean(validationLosses), batches: validationLosses.length };
      }
      runner.boundary('epochEnd');
      const meanLoss = finiteMean(losses);
      writer.record({
        t: 'epochEnd',
        epoch,
        meanLoss,
        batches: batchesPerEpoch,
        ...(validation ? { validation } : {}),
      });
      publish({
        type: 'epochEnd',
        epoch,
        meanLoss,
        resets: { ...runner.counts },
        ...(validation ? { validation } : {}),
      });
    }
    if (status === 'finished' && run.predict) {
      runner.boundary('beforePredict');
      if (!(await pass('predict', epochs - 1, run.predict))) status = 'stopped';
    }
  } finally {
    runner.dispose();
    xAll.dispose();
    yAll.dispose();
    optimizer.dispose();
    // The weights too: a process (or test) that trains several runs must not keep them all.
    disposeStack(stack);
  }
  const { tally } = runner;
  const answer = answerFor({
    stateful,
    samples: dataset.samples,
    timesteps: dataset.timesteps,
    batchSize,
    batchesPerEpoch,
    batches: runner.steps,
    counts: runner.counts,
    tally,
    code: discontinuityCode(resolved),
    csv: isCsvData(resolved.data),
    predictReset: resolved.predict?.reset ?? false,
  });
  return {
    status,
    resets: { ...runner.counts },
    batches: runner.steps,
    phases: { train: tally.phases.train, validate: tally.phases.validate, predict: tally.phases.predict },
    dataContinues: { ...tally.dataContinues },
    answer,
  };
}

/** The mean of the finite values (NaN when there is none): a non-finite loss is shown where it is, not averaged in. */
function finiteMean(values: number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : Number.NaN;
}

function makeOptimizer(tf: Tf, name: 'adam' | 'sgd' | 'rmsprop', learningRate: number): tfTypes.Optimizer {
  if (name === 'sgd') return tf.train.sgd(learningRate);
  if (name === 'rmsprop') return tf.train.rmsprop(learningRate);
  return tf.train.adam(learningRate);
}
