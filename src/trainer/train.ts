/**
 * A whole run: the config is checked, the backend started, the memory estimated, the data read,
 * and only then is the run folder made. Training, validation and prediction batches all go
 * through one BatchRunner (epochLoop.ts), so every phase is recorded alike. Never throws:
 * failures end as a `failed` event (and, once the folder exists, a `failed` end record).
 */
import * as path from 'path';
import { ConfigError } from '../config/configError';
import { isCsvData } from '../shared/config';
import { RUN_FILES } from '../shared/runFormat';
import type { TrainRequest } from '../shared/trainerArgs';
import type { RunWriter } from '../runStore/runWriter';
import { BACKEND_ENV, backendChoice, loadBackend, type BackendAsker } from './backend';
import type { TrainingControls } from './controls';
import { createWriter } from './createRunFolder';
import { runEpochs } from './epochLoop';
import { checkMemory, estimateMemory, memoryLimits } from '../config/memoryEstimate';
import { buildStack } from './model';
import { prepareConfig, prepareData, type PreparedConfig } from './prepareRun';
import { manifestOf, saveWeights } from './runRecords';
import type { FailedProgress, FinishedProgress, TrainerProgress } from './progress';

/** Runs a whole training; never throws — failures end as a `failed` event. */
export async function train(
  request: TrainRequest,
  emit: (event: TrainerProgress) => void,
  controls: TrainingControls,
): Promise<FinishedProgress | FailedProgress> {
  let prepared: PreparedConfig;
  try {
    prepared = prepareConfig(request);
  } catch (error) {
    return fail(emit, error);
  }
  let writer: RunWriter | undefined;
  // Batch records written so far, for the end record of a run that fails.
  const written = { batches: 0 };
  try {
    const { resolved } = prepared;
    const backend = await loadBackend(
      backendChoice(resolved.backend),
      [__dirname, path.dirname(prepared.configPath), process.cwd()],
      backendAsker(request),
    );
    for (const reason of backend.skipped) emit({ type: 'notice', message: `backend ${reason}` });
    const limits = memoryLimits(backend.name);
    // Generated data is sized by the config: refuse what cannot fit before generating it.
    if (!isCsvData(resolved.data)) {
      const { samples, timesteps, features = 1 } = resolved.data;
      checkMemory(estimateMemory(resolved, { samples, timesteps, features, targets: 1 }), limits);
    }
    const run = prepareData(prepared);
    checkMemory(estimateMemory(resolved, run.dataset), limits);
    for (const warning of run.warnings) emit({ type: 'warning', ...warning });
    const { tf } = backend;
    const stack = buildStack(tf, resolved, run.dataset.features, run.dataset.targets);
    const manifest = manifestOf(run, stack, backend.name, tf.version.tfjs);
    const runDir = path.join(resolved.runsDir, manifest.runId);
    writer = createWriter(runDir, manifest, manifest.data.saved ? run.dataset : undefined);
    controls.readControlFile(path.join(runDir, RUN_FILES.control));
    for (const warning of run.warnings) writer.record({ t: 'warning', ...warning });
    saveWeights(writer, stack, 'initial');
    emit({ type: 'started', runDir, manifest });
    const result = await runEpochs(tf, run, stack, writer, emit, controls, written);
    const message = result.status === 'stopped' ? controls.stopReason : undefined;
    writer.record({
      t: 'end',
      status: result.status,
      at: new Date().toISOString(),
      ...(message ? { message } : {}),
      step: result.batches,
    });
    writer.close();
    const finished: FinishedProgress = { type: 'finished', runDir, ...result, ...(message ? { message } : {}) };
    emit(finished);
    return finished;
  } catch (error) {
    if (writer) {
      writer.record({
        t: 'end',
        status: 'failed',
        at: new Date().toISOString(),
        message: messageOf(error),
        step: written.batches,
      });
      writer.close();
    }
    return fail(emit, error, writer?.runDir, writer ? written.batches : undefined);
  }
}

/** Where the backend choice came from: the environment wins over --backend, which wins over the config. */
function backendAsker(request: TrainRequest): BackendAsker {
  if (process.env[BACKEND_ENV]) return { field: '', by: `the environment variable ${BACKEND_ENV}` };
  if (request.backend) return { field: '', by: '--backend (from the editor: the lstmState.backend setting)' };
  return { field: 'backend', by: 'the config\'s "backend"' };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function fail(
  emit: (event: TrainerProgress) => void,
  error: unknown,
  runDir?: string,
  batches?: number,
): FailedProgress {
  const event: FailedProgress = { type: 'failed', message: messageOf(error), runDir };
  if (batches !== undefined) event.batches = batches;
  if (error instanceof ConfigError)
    Object.assign(event, { field: error.field, file: error.file, line: error.line, column: error.column });
  emit(event);
  return event;
}
