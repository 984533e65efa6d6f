/** Writes synthetic run folders (manifest + log) for the tree tests: no trainer, any size. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { InitialStateCause } from '../../src/shared/causes';
import type { BatchRecord, LogRecord, RunManifest } from '../../src/shared/runFormat';

export interface FolderSpec {
  name?: string;
  epochs: number;
  batchesPerEpoch: number;
  stateful?: boolean;
  end?: 'finished' | 'stopped' | 'failed' | null;
}

export function manifestOf(runId: string, spec: FolderSpec, pid = 2 ** 22 + 12345): RunManifest {
  return {
    format: 1, runId, name: spec.name ?? runId, configPath: '/nowhere/x.lstm.json', config: {} as RunManifest['config'],
    resolved: {} as RunManifest['resolved'], createdAt: '2026-11-27T00:00:00.000Z', backend: 'cpu',
    versions: { tfjs: 't', node: 'n', product: 'p' }, pid, hostname: os.hostname(),
    data: { samples: spec.batchesPerEpoch * 2, timesteps: 5, features: 1, targets: 1, source: 'test', saved: false },
    model: { stateful: spec.stateful ?? false, layers: [{ units: 2, params: 0 }], head: { units: 1, params: 0 }, totalParams: 0, recurrentActivation: 'sigmoid' },
    batchSize: 2, batchesPerEpoch: spec.batchesPerEpoch, epochs: spec.epochs, hiddenRows: [],
  };
}

export function batchRecord(step: number, epoch: number, batch: number, cause: InitialStateCause): BatchRecord {
  return {
    t: 'batch', epoch, batch, step, rows: [0, 1], loss: 1 / (step + 1), cause, carriedFrom: cause === 'carried' ? step - 1 : null,
    meanNorms: [{ h0: 0, c0: 0, h: 0.5, c: 0.7 }], normsOffset: step * 32, statesOffset: null, hiddenOffset: null, ms: 1,
  };
}

/** Creates `<runsDir>/<runId>` and returns its path. */
export function writeRunFolder(runsDir: string, runId: string, spec: FolderSpec): string {
  const runDir = path.join(runsDir, runId);
  fs.mkdirSync(runDir, { recursive: true });
  fs.writeFileSync(path.join(runDir, 'manifest.json'), JSON.stringify(manifestOf(runId, spec)));
  // Stateless: every batch auto. Stateful: first, then carried, with a reset at each epoch start.
  const cause = (step: number, batch: number): InitialStateCause =>
    !spec.stateful ? 'auto' : step === 0 ? 'first' : batch === 0 ? 'epoch' : 'carried';
  const lines: string[] = [];
  const push = (record: LogRecord) => lines.push(JSON.stringify(record));
  let step = 0;
  for (let epoch = 0; epoch < spec.epochs; epoch++) {
    for (let batch = 0; batch < spec.batchesPerEpoch; batch++, step++) push(batchRecord(step, epoch, batch, cause(step, batch)));
    push({ t: 'epochEnd', epoch, meanLoss: 0.5, batches: spec.batchesPerEpoch });
  }
  if (spec.end) push({ t: 'end', status: spec.end, at: '2026-11-27T00:00:01.000Z', message: spec.end === 'failed' ? 'boom' : undefined });
  fs.writeFileSync(path.join(runDir, 'log.jsonl'), lines.join('\n') + '\n');
  return runDir;
}
