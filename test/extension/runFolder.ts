/** Writes synthetic run folders (manifest + log) for the tree tests: no trainer, any size. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { InitialStateCause } from '../../src/shared/causes';
import { processStartTicks } from '../../src/runStore/runStatus';
import type { BatchRecord, LogRecord, Phase, RunManifest } from '../../src/shared/runFormat';

export interface FolderSpec {
  name?: string;
  epochs: number;
  batchesPerEpoch: number;
  stateful?: boolean;
  end?: 'finished' | 'stopped' | 'failed' | null;
  /** Steps that start from a manual reset (stateful). */
  manualAt?: number[];
  /** Validation batches after each epoch's training (Keras's shared mode: carried through, into the next epoch). */
  validationBatches?: number;
  /** Prediction batches after training, recorded under the epoch after the last. */
  predictBatches?: number;
}

/** A version-2 manifest; `writer` defaults to a process that does not exist (the run reads as interrupted unless it has an end). */
export function manifestOf(
  runId: string,
  spec: FolderSpec,
  writer: RunManifest['process'] = { pid: 2 ** 22 + 12345, hostname: os.hostname(), startTicks: null },
): RunManifest {
  return {
    formatVersion: 2,
    runId,
    name: spec.name ?? runId,
    createdAt: '2026-11-27T00:00:00.000Z',
    writer: { name: 'trainer', version: 'p' },
    backend: 'cpu',
    versions: { tfjs: 't', node: 'n', product: 'p' },
    process: writer,
    configPath: '/nowhere/x.lstm.json',
    script: null,
    config: {} as RunManifest['config'],
    resolved: {} as RunManifest['resolved'],
    data: { samples: spec.batchesPerEpoch * 2, timesteps: 5, features: 1, targets: 1, source: 'test', saved: false },
    model: {
      kind: 'lstm',
      states: ['h', 'c'],
      stateful: spec.stateful ?? false,
      layers: [{ name: 'layer 0', units: 2, cellUnits: 2, params: 0 }],
      head: { units: 1, params: 0 },
      totalParams: 0,
      recurrentActivation: 'sigmoid',
    },
    batchSize: 2,
    batchesPerEpoch: spec.batchesPerEpoch,
    epochs: spec.epochs,
    hiddenRows: [],
    hiddenLayers: [0],
    control: [],
  };
}

/** This process as a run's writer: the run reads as live while the test runs. */
export function thisProcess(): RunManifest['process'] {
  return { pid: process.pid, hostname: os.hostname(), startTicks: processStartTicks(process.pid) };
}

export function batchRecord(
  step: number,
  epoch: number,
  batch: number,
  cause: InitialStateCause,
  phase: Phase = 'train',
): BatchRecord {
  return {
    t: 'batch',
    step,
    epoch,
    batch,
    phase,
    timesteps: null,
    rowCount: 2,
    rows: [0, 1],
    loss: 1 / (step + 1),
    cause,
    carriedFrom: cause === 'carried' ? step - 1 : null,
    rowSources: null,
    flags: [],
    dataContinues: null,
    meanNorms: [{ h0: 0, c0: 0, h: 0.5, c: 0.7 }],
    normsOffset: step * 32,
    statesOffset: null,
    hiddenOffset: null,
    ms: 1,
  };
}

/** Creates `<runsDir>/<runId>` and returns its path. */
export function writeRunFolder(runsDir: string, runId: string, spec: FolderSpec): string {
  const runDir = path.join(runsDir, runId);
  fs.mkdirSync(runDir, { recursive: true });
  fs.writeFileSync(path.join(runDir, 'manifest.json'), JSON.stringify(manifestOf(runId, spec)));
  // Stateless: every batch auto. Stateful: first, then carried, with a reset at each epoch start.
  const cause = (step: number, batch: number): InitialStateCause =>
    !spec.stateful
      ? 'auto'
      : step === 0
        ? 'first'
        : spec.manualAt?.includes(step)
          ? 'manual'
          : batch === 0
            ? 'epoch'
            : 'carried';
  const lines: string[] = [];
  const push = (record: LogRecord) => lines.push(JSON.stringify(record));
  let step = 0;
  const validation = spec.validationBatches ?? 0;
  for (let epoch = 0; epoch < spec.epochs; epoch++) {
    for (let batch = 0; batch < spec.batchesPerEpoch; batch++, step++)
      push(batchRecord(step, epoch, batch, cause(step, batch)));
    for (let batch = 0; batch < validation; batch++, step++)
      push(batchRecord(step, epoch, batch, spec.stateful ? 'carried' : 'auto', 'validate'));
    push({
      t: 'epochEnd',
      epoch,
      meanLoss: 0.5,
      batches: spec.batchesPerEpoch,
      ...(validation ? { validation: { meanLoss: 0.25, batches: validation } } : {}),
    });
  }
  for (let batch = 0; batch < (spec.predictBatches ?? 0); batch++, step++)
    push(batchRecord(step, spec.epochs, batch, spec.stateful ? 'carried' : 'auto', 'predict'));
  if (spec.end)
    push({
      t: 'end',
      status: spec.end,
      at: '2026-11-27T00:00:01.000Z',
      message: spec.end === 'failed' ? 'boom' : undefined,
    });
  fs.writeFileSync(path.join(runDir, 'log.jsonl'), lines.join('\n') + '\n');
  return runDir;
}

/** A run folder being written by a live writer (by default this very process), line by line, for tests that follow runs. */
export class LiveFolder {
  readonly runDir: string;
  private step = 0;

  constructor(runsDir: string, runId: string, spec: FolderSpec, writer: RunManifest['process'] = thisProcess()) {
    this.runDir = path.join(runsDir, runId);
    fs.mkdirSync(this.runDir, { recursive: true });
    fs.writeFileSync(path.join(this.runDir, 'manifest.json'), JSON.stringify(manifestOf(runId, spec, writer)));
  }

  /** Appends records as complete lines. */
  append(...records: LogRecord[]): void {
    fs.appendFileSync(path.join(this.runDir, 'log.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }

  /** Appends the next batch (of `epoch`, index `batch`). */
  batch(epoch: number, batch: number, cause: InitialStateCause = 'auto'): BatchRecord {
    return this.batches(epoch, batch, 1, cause)[0];
  }

  /** Appends `count` batches of `epoch`, indices from `first`, in one write. */
  batches(epoch: number, first: number, count: number, cause: InitialStateCause = 'auto'): BatchRecord[] {
    const records = Array.from({ length: count }, (_, i) => batchRecord(this.step++, epoch, first + i, cause));
    this.append(...records);
    return records;
  }
}
