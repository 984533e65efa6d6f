/** The records that describe a run rather than a batch step: its manifest, weight snapshots, batch records. */
import * as os from 'os';
import type { BatchRecord, RunManifest } from '../shared/runFormat';
import { RUN_FORMAT_VERSION, statesFloats } from '../shared/runFormat';
import { isCsvData } from '../shared/config';
import type { StepResult } from './batchStep';
import { normsBlock, statesBlock, type TensorBudget } from './capture';
import { namedWeights, paramsOf, type LstmStack } from './model';
import type { PreparedRun } from './prepareRun';
import { processStartTicks } from '../runStore/runStatus';
import { newRunId, type RunWriter } from '../runStore/runWriter';
import packageJson from '../../package.json';

export function manifestOf(
  prepared: PreparedRun,
  stack: LstmStack,
  backend: RunManifest['backend'],
  tfjsVersion: string,
): RunManifest {
  const { resolved, dataset, configPath, config } = prepared;
  const source = isCsvData(resolved.data) ? resolved.data.csv : resolved.data.generator;
  return {
    formatVersion: RUN_FORMAT_VERSION,
    runId: newRunId(resolved.name),
    name: resolved.name,
    createdAt: new Date().toISOString(),
    writer: { name: 'trainer', version: packageJson.version },
    backend,
    versions: { tfjs: tfjsVersion, node: process.version, product: packageJson.version },
    process: { pid: process.pid, hostname: os.hostname(), startTicks: processStartTicks(process.pid) },
    configPath,
    config,
    resolved,
    script: null,
    data: {
      samples: dataset.samples,
      timesteps: dataset.timesteps,
      features: dataset.features,
      targets: dataset.targets,
      source: dataset.source || source,
      saved: resolved.capture.inputs,
    },
    model: {
      kind: 'lstm',
      states: ['h', 'c'],
      stateful: resolved.model.stateful,
      layers: stack.layers.map((layer, i) => ({
        name: `layer ${i}`,
        units: layer.units,
        cellUnits: layer.units,
        params: paramsOf(layer.kernel, layer.recurrentKernel, layer.bias),
      })),
      head: { units: dataset.targets, params: paramsOf(stack.head.kernel, stack.head.bias) },
      totalParams: paramsOf(...stack.variables),
      recurrentActivation: resolved.model.recurrentActivation,
    },
    batchSize: prepared.batchSize,
    batchesPerEpoch: prepared.batchesPerEpoch,
    epochs: resolved.training.epochs,
    hiddenRows: resolved.capture.hiddenRows,
    hiddenLayers: stack.layers.map((_, i) => i),
    control: ['resetNow', 'setResetSchedule', 'pause', 'resume', 'stop'],
    validation: prepared.validation?.info ?? null,
    predict: prepared.predict?.info ?? null,
  };
}

export function saveWeights(writer: RunWriter, stack: LstmStack, point: string): void {
  const named = namedWeights(stack);
  const arrays = named.map(({ tensor }) => tensor.dataSync() as Float32Array);
  const all = new Float32Array(arrays.reduce((sum, a) => sum + a.length, 0));
  arrays.reduce((at, a) => (all.set(a, at), at + a.length), 0);
  const file = writer.writeWeights(point, all);
  writer.record({
    t: 'weights',
    point,
    file,
    tensors: named.map(({ name, tensor }) => ({ name, shape: tensor.shape })),
  });
}

export function writeBatch(
  writer: RunWriter,
  budget: TensorBudget,
  {
    phase,
    epoch,
    batch,
    step,
    rows,
    cause,
    carriedFrom,
    dataContinues,
    result,
  }: Pick<BatchRecord, 'phase' | 'epoch' | 'batch' | 'step' | 'cause' | 'carriedFrom' | 'dataContinues'> & {
    /** The trainer always knows its batches' sample indices. */
    rows: number[];
    result: StepResult;
  },
): BatchRecord {
  const { block, means } = normsBlock(result.values, rows.length);
  const normsOffset = writer.appendNorms(block);
  // Ask the budget before building the block: once it is spent, no batch copies its states.
  const statesBytes =
    statesFloats(
      result.values.map((layer) => layer.units),
      rows.length,
    ) * 4;
  const statesOffset = budget.take(statesBytes) ? writer.appendStates(statesBlock(result.values, rows.length)) : null;
  const hiddenOffset = result.hidden ? writer.appendHidden(result.hidden) : null;
  const record: BatchRecord = {
    t: 'batch',
    step,
    epoch,
    batch,
    phase,
    rowCount: rows.length,
    rows,
    timesteps: null,
    loss: result.loss,
    cause,
    carriedFrom,
    rowSources: null,
    flags: [],
    dataContinues,
    meanNorms: means,
    normsOffset,
    statesOffset,
    hiddenOffset,
    ms: result.ms,
  };
  writer.record(record);
  return record;
}
