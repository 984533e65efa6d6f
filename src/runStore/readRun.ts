/** Reads a run folder back (see runFormat.ts); tolerates a torn last log line. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { answerFor } from '../shared/answer';
import { emptyCauseCounts, type CauseCounts } from '../shared/causes';
import {
  RUN_FILES,
  hiddenRowsIn,
  normsFloats,
  statesFloats,
  type BatchRecord,
  type EndRecord,
  type EpochEndRecord,
  type LogRecord,
  type ResetRecord,
  type RunManifest,
  type RunStatus,
  type ScheduleRecord,
  type WarningRecord,
  type WeightsRecord,
} from '../shared/runFormat';

/** Everything the log of a run says, grouped by kind. */
export interface RunData {
  runDir: string;
  manifest: RunManifest;
  batches: BatchRecord[];
  resets: ResetRecord[];
  epochs: EpochEndRecord[];
  weights: WeightsRecord[];
  warnings: WarningRecord[];
  schedules: ScheduleRecord[];
  end: EndRecord | undefined;
  status: RunStatus;
  /** The log ended in an incomplete line (the trainer was killed while writing it). */
  tornTail: boolean;
}

/** Per layer, the four state blocks of one batch as [rows * units] (or [rows] for norms). */
export interface StateBlocks { h0: Float32Array; c0: Float32Array; h: Float32Array; c: Float32Array }

export function readManifest(runDir: string): RunManifest {
  return JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILES.manifest), 'utf8')) as RunManifest;
}

/** Parses log.jsonl; only newline-terminated lines count, so a torn tail is skipped. */
export function parseLog(text: string): { records: LogRecord[]; tornTail: boolean } {
  const records: LogRecord[] = [];
  const lastNewline = text.lastIndexOf('\n');
  for (const line of text.slice(0, lastNewline + 1).split('\n')) {
    if (line.trim()) records.push(JSON.parse(line) as LogRecord);
  }
  return { records, tornTail: text.slice(lastNewline + 1).trim().length > 0 };
}

export function readRun(runDir: string): RunData {
  const manifest = readManifest(runDir);
  const logPath = path.join(runDir, RUN_FILES.log);
  const { records, tornTail } = parseLog(fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8') : '');
  const run: RunData = {
    runDir, manifest, batches: [], resets: [], epochs: [], weights: [], warnings: [], schedules: [],
    end: undefined, status: 'running', tornTail,
  };
  for (const record of records) {
    switch (record.t) {
      case 'batch': run.batches.push(record); break;
      case 'reset': run.resets.push(record); break;
      case 'epochEnd': run.epochs.push(record); break;
      case 'weights': run.weights.push(record); break;
      case 'warning': run.warnings.push(record); break;
      case 'schedule': run.schedules.push(record); break;
      case 'end': run.end = record; break;
    }
  }
  run.status = run.end ? run.end.status : isTrainerAlive(manifest) ? 'running' : 'interrupted';
  return run;
}

/** A run without an end record is live only if its trainer process still exists on this host. */
export function isTrainerAlive(manifest: RunManifest): boolean {
  if (manifest.hostname !== os.hostname()) return false;
  try {
    process.kill(manifest.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function countCauses(batches: readonly BatchRecord[]): CauseCounts {
  const counts = emptyCauseCounts();
  for (const batch of batches) counts[batch.cause]++;
  return counts;
}

/** The plain-words answer for what this run recorded; pass `counts` when they are already kept (live runs). */
export function answerForRun(run: Pick<RunData, 'manifest' | 'batches'>, counts: CauseCounts = countCauses(run.batches)): string {
  const { manifest } = run;
  return answerFor({
    stateful: manifest.model.stateful,
    samples: manifest.data.samples,
    timesteps: manifest.data.timesteps,
    batchSize: manifest.batchSize,
    batchesPerEpoch: manifest.batchesPerEpoch,
    batches: run.batches.length,
    counts,
  });
}

/** Reads `count` float32 values at `byteOffset` of a run file. */
export function readFloats(runDir: string, file: string, byteOffset: number, count: number): Float32Array {
  const buffer = Buffer.alloc(count * 4);
  const fd = fs.openSync(path.join(runDir, file), 'r');
  try {
    const read = fs.readSync(fd, buffer, 0, buffer.length, byteOffset);
    if (read !== buffer.length) throw new Error(`${file} is shorter than its log says (offset ${byteOffset}, wanted ${buffer.length} bytes, got ${read})`);
  } finally {
    fs.closeSync(fd);
  }
  return new Float32Array(buffer.buffer, buffer.byteOffset, count);
}

function splitBlocks(values: Float32Array, sizes: number[]): StateBlocks[] {
  const layers: StateBlocks[] = [];
  let at = 0;
  for (const size of sizes) {
    const take = () => values.subarray(at, (at += size));
    layers.push({ h0: take(), c0: take(), h: take(), c: take() });
  }
  return layers;
}

/** Per-row L2 norms of h0, c0, h, c per layer (kept for every batch). */
export function readBatchNorms(run: Pick<RunData, 'runDir' | 'manifest'>, batch: BatchRecord): StateBlocks[] {
  const rows = batch.rows.length;
  const layers = run.manifest.model.layers.length;
  const values = readFloats(run.runDir, RUN_FILES.norms, batch.normsOffset, normsFloats(layers, rows));
  return splitBlocks(values, Array(layers).fill(rows));
}

/** Full initial and final h, c per layer ([rows * units], row-major), or null past the budget. */
export function readBatchStates(run: Pick<RunData, 'runDir' | 'manifest'>, batch: BatchRecord): StateBlocks[] | null {
  if (batch.statesOffset === null) return null;
  const rows = batch.rows.length;
  const units = run.manifest.model.layers.map((layer) => layer.units);
  const values = readFloats(run.runDir, RUN_FILES.states, batch.statesOffset, statesFloats(units, rows));
  return splitBlocks(values, units.map((u) => rows * u));
}

/** Per layer, the hidden sequence [hiddenRows][timesteps][units] of the captured rows, or null. */
export function readBatchHidden(run: Pick<RunData, 'runDir' | 'manifest'>, batch: BatchRecord): Float32Array[] | null {
  if (batch.hiddenOffset === null) return null;
  const { hiddenRows, data, model } = run.manifest;
  const rows = hiddenRowsIn(hiddenRows, batch.rows.length).length;
  const sizes = model.layers.map((layer) => rows * data.timesteps * layer.units);
  const values = readFloats(run.runDir, RUN_FILES.hidden, batch.hiddenOffset, sizes.reduce((a, b) => a + b, 0));
  let at = 0;
  return sizes.map((size) => values.subarray(at, (at += size)));
}

/** The weights saved at `point` ("initial", "epoch-1", ...), by tensor name. */
export function readWeights(run: Pick<RunData, 'runDir' | 'weights'>, point: string): Map<string, { shape: number[]; values: Float32Array }> {
  const record = run.weights.find((w) => w.point === point);
  if (!record) throw new Error(`no weights saved at "${point}"; saved points: ${run.weights.map((w) => w.point).join(', ')}`);
  const sizes = record.tensors.map((t) => t.shape.reduce((a, b) => a * b, 1));
  const values = readFloats(run.runDir, record.file, 0, sizes.reduce((a, b) => a + b, 0));
  const result = new Map<string, { shape: number[]; values: Float32Array }>();
  let at = 0;
  record.tensors.forEach((tensor, i) => result.set(tensor.name, { shape: tensor.shape, values: values.subarray(at, (at += sizes[i])) }));
  return result;
}

/** The dataset as trained: x [samples, timesteps, features], y [samples, targets]; null if not saved. */
export function readDataset(run: Pick<RunData, 'runDir' | 'manifest'>): { x: Float32Array; y: Float32Array } | null {
  const { data } = run.manifest;
  if (!data.saved) return null;
  return {
    x: readFloats(run.runDir, RUN_FILES.x, 0, data.samples * data.timesteps * data.features),
    y: readFloats(run.runDir, RUN_FILES.y, 0, data.samples * data.targets),
  };
}

/** Run folders under `runsDir` (those with a manifest), newest first (folder names start with a UTC timestamp). */
export function listRunDirs(runsDir: string): string[] {
  if (!fs.existsSync(runsDir)) return [];
  return fs
    .readdirSync(runsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(runsDir, entry.name, RUN_FILES.manifest)))
    .map((entry) => path.join(runsDir, entry.name))
    .sort((a, b) => path.basename(b).localeCompare(path.basename(a)));
}
