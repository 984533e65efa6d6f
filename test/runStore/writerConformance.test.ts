/**
 * Both writers of the run format, given the same facts, write the same run: the Node writer
 * (src/runStore/runWriter.ts with the trainer's capture blocks) and the Python one
 * (python/lstm_state_timeline/runfolder.py with the recorder's capture_blocks), driven with one
 * manifest and the same batch arrays (passed as raw float32 bytes, NaN and ±Infinity included).
 * Log records are compared field by field, the binary files byte for byte.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunWriter } from '../../src/runStore/runWriter';
import { decodeNumber, type LogRecord, type RunManifest } from '../../src/shared/runFormat';
import { normsBlock, statesBlock, type LayerValues } from '../../src/trainer/capture';

const root = path.resolve(__dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-conformance-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const LAYERS = 2;
const UNITS = 3;
const STATES = ['h0', 'c0', 'h', 'c'] as const;

/** One batch as facts: everything but what the writer computes (norms, means, offsets). */
interface BatchFacts {
  step: number;
  epoch: number;
  batch: number;
  phase: string;
  rows: number[] | null;
  timesteps: number;
  /** A number, "NaN", "Infinity", "-Infinity" or null: decoded before it is handed to a writer. */
  loss: number | string | null;
  cause: string;
  carriedFrom: number | null;
  rowSources: Array<number | null> | null;
  flags: string[];
  dataContinues: boolean | null;
  ms: number;
  /** Per state h0, c0, h, c: float32 [layers, rows, units], base64. */
  states: Record<(typeof STATES)[number], string>;
  /** The hidden block as written (float32, base64). */
  hidden: string;
}

/** Deterministic float32 values in [-1, 1) (a small LCG: the facts must not depend on a library). */
function values(count: number, seed: number): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

const b64 = (array: Float32Array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
const floats = (text: string) => {
  const bytes = Buffer.from(text, 'base64');
  return new Float32Array(new Uint8Array(bytes).buffer);
};

function batchFacts(
  step: number,
  rowCount: number,
  special?: (states: Record<string, Float32Array>) => void,
): BatchFacts {
  const states = Object.fromEntries(STATES.map((s, i) => [s, values(LAYERS * rowCount * UNITS, step * 10 + i + 1)]));
  special?.(states);
  return {
    step,
    epoch: Math.floor(step / 2),
    batch: step % 2,
    phase: step === 3 ? 'eval' : 'train',
    rows: step === 3 ? null : Array.from({ length: rowCount }, (_, r) => step * rowCount + r),
    timesteps: 5,
    loss: [0.25, 'NaN', 'Infinity', null, 1e-7][step],
    cause: ['auto', 'carried', 'partial', 'carried', 'manual'][step],
    carriedFrom: [null, 0, 1, 2, null][step],
    rowSources: step === 2 ? [0, null] : null,
    flags: step === 3 ? ['fromEval'] : [],
    dataContinues: [null, true, false, null, true][step],
    ms: 1.5 + step,
    states: Object.fromEntries(STATES.map((s) => [s, b64(states[s])])) as BatchFacts['states'],
    hidden: b64(values(rowCount * 5 * UNITS, 99 + step)),
  };
}

const manifest: RunManifest = {
  formatVersion: 2,
  runId: '20261130-120000-000-conformance',
  name: 'conformance',
  createdAt: '2026-11-30T12:00:00.000Z',
  writer: { name: 'pytorch-recorder', version: '0.2.0' },
  backend: 'pytorch',
  versions: { product: '0.2.0' },
  process: { pid: 4242, hostname: 'box', startTicks: 1234 },
  configPath: null,
  config: null,
  resolved: null,
  script: { path: '/s/train.py', argv: ['/s/train.py'], cwd: '/s', module: 'model.lstm' },
  data: { samples: 12, timesteps: 5, features: 1, targets: null, source: 'facts', saved: false },
  model: {
    kind: 'lstm',
    states: ['h', 'c'],
    stateful: null,
    layers: [
      { name: 'layer 0', units: UNITS, cellUnits: UNITS, params: 64 },
      { name: 'layer 1', units: UNITS, cellUnits: UNITS, params: 84 },
    ],
    head: null,
    totalParams: 148,
    recurrentActivation: null,
  },
  batchSize: 3,
  batchesPerEpoch: 2,
  epochs: null,
  hiddenRows: [0],
  hiddenLayers: [1],
  control: ['resetNow', 'setResetSchedule', 'pause', 'resume', 'stop'],
} as unknown as RunManifest;

const batches: BatchFacts[] = [
  batchFacts(0, 3, (s) => (s.h0.fill(0), s.c0.fill(0))),
  batchFacts(1, 3, (s) => (s.h[4] = Number.NaN)), // a non-finite final state: its row norm and mean are NaN
  batchFacts(2, 2, (s) => (s.c[1] = Number.POSITIVE_INFINITY)),
  batchFacts(3, 2),
  batchFacts(4, 3, (s) => (s.h0.fill(0), s.c0.fill(0))),
];

/** The records that are not batches, in the order written (each after the batch of the same index). */
const otherRecords: Array<Record<string, unknown>> = [
  {
    t: 'warning',
    code: 'PT002',
    field: 'phase',
    message: 'Step 3 (carried from step 2): crossed phases — ünïcode “quotes”',
  },
  { t: 'epochEnd', epoch: 0, meanLoss: 0.25, batches: 1 },
  { t: 'schedule', schedule: { everyBatches: 2 }, fromStep: 3 },
  { t: 'state', status: 'paused', atStep: 4 },
  { t: 'reset', cause: 'manual', beforeStep: 4, epoch: 2, batch: 0 },
];
const endRecord = {
  t: 'end',
  status: 'stopped',
  at: '2026-11-30T12:00:05.000Z',
  step: 5,
  message: 'stopped by a stop command',
};

const facts = { manifest, batches, otherRecords, endRecord };

/** The Node writer, as the trainer drives it: norms and states blocks from the capture code, offsets from the writer. */
function writeWithNode(runDir: string): void {
  const writer = new RunWriter(runDir, manifest);
  batches.forEach((facts, i) => {
    const state = Object.fromEntries(STATES.map((s) => [s, floats(facts.states[s])])) as Record<string, Float32Array>;
    const rows = state.h0.length / (LAYERS * UNITS);
    const layers: LayerValues[] = Array.from({ length: LAYERS }, (_, l) => {
      const slice = (s: string) => state[s].slice(l * rows * UNITS, (l + 1) * rows * UNITS);
      return { units: UNITS, h0: slice('h0'), c0: slice('c0'), h: slice('h'), c: slice('c') };
    });
    const { block, means } = normsBlock(layers, rows);
    const { states: _states, hidden, loss, ...rest } = facts;
    writer.record({
      t: 'batch',
      ...rest,
      rowCount: rows,
      loss: loss === null ? null : (decodeNumber(loss) ?? null),
      normsOffset: writer.appendNorms(block),
      statesOffset: writer.appendStates(statesBlock(layers, rows)),
      hiddenOffset: writer.appendHidden(floats(hidden)),
      meanNorms: means,
    } as unknown as LogRecord);
    const other = otherRecords[i];
    if (other) writer.record(other as unknown as LogRecord);
  });
  writer.record(endRecord as LogRecord);
  writer.close();
}

/** The Python writer, as the recorder drives it: capture_blocks for norms, means and states; RunFolder for the files. */
const PYTHON_DRIVER = `
import base64, json, sys
import numpy as np
from lstm_state_timeline.capture import capture_blocks
from lstm_state_timeline.jsonvalues import json_number
from lstm_state_timeline.runfolder import RunFolder

facts = json.load(open(sys.argv[1]))
run = RunFolder(sys.argv[2], facts["manifest"])
floats = lambda text: np.frombuffer(base64.b64decode(text), dtype="<f4")
layers, units = len(facts["manifest"]["model"]["layers"]), facts["manifest"]["model"]["layers"][0]["units"]
for i, batch in enumerate(facts["batches"]):
    states = {k: floats(v) for k, v in batch["states"].items()}
    rows = states["h0"].size // (layers * units)
    shaped = {k: v.reshape(layers, rows, units) for k, v in states.items()}
    norms, means, block = capture_blocks([shaped["h0"], shaped["c0"]], [shaped["h"], shaped["c"]], ["h", "c"], True)
    loss = batch["loss"]
    record = {k: v for k, v in batch.items() if k not in ("states", "hidden", "loss")}
    record.update({"t": "batch", "rowCount": rows, "loss": None if loss is None else json_number(float(loss)),
                   "normsOffset": run.append_norms(norms), "statesOffset": run.append_states(block),
                   "hiddenOffset": run.append_hidden(floats(batch["hidden"])), "meanNorms": means})
    run.record(record)
    if i < len(facts["otherRecords"]):
        run.record(facts["otherRecords"][i])
run.record(facts["endRecord"])
run.close()
`;

function writeWithPython(runsDir: string): void {
  const factsFile = path.join(dir, 'facts.json');
  fs.writeFileSync(factsFile, JSON.stringify(facts));
  const result = spawnSync('/usr/bin/python3', ['-c', PYTHON_DRIVER, factsFile, runsDir], {
    env: { ...process.env, PYTHONPATH: path.join(root, 'python') },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
}

const records = (runDir: string) =>
  fs
    .readFileSync(path.join(runDir, 'log.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Files of a run folder (relative paths), without the heartbeat, whose content is the writer's clock. */
const filesOf = (runDir: string) =>
  (fs.readdirSync(runDir, { recursive: true }) as string[])
    .filter((file) => fs.statSync(path.join(runDir, file)).isFile() && file !== 'heartbeat')
    .sort();

describe('the Node and the Python writer, same facts', () => {
  const nodeDir = path.join(dir, 'node', manifest.runId);
  const pythonDir = path.join(dir, 'python', manifest.runId);
  beforeAll(() => {
    writeWithNode(nodeDir);
    writeWithPython(path.dirname(pythonDir));
  });

  it('write the same files, and the same bytes in every binary file', () => {
    expect(filesOf(pythonDir)).toEqual(filesOf(nodeDir));
    expect(filesOf(nodeDir)).toEqual(['hidden.bin', 'log.jsonl', 'manifest.json', 'norms.bin', 'states.bin']);
    for (const file of ['norms.bin', 'states.bin', 'hidden.bin']) {
      const node = fs.readFileSync(path.join(nodeDir, file));
      expect(node.length, file).toBeGreaterThan(0);
      expect(fs.readFileSync(path.join(pythonDir, file)).equals(node), file).toBe(true);
    }
  });

  it('write the same manifest', () => {
    const read = (runDir: string) => JSON.parse(fs.readFileSync(path.join(runDir, 'manifest.json'), 'utf8'));
    expect(read(pythonDir)).toEqual(read(nodeDir));
    expect(read(nodeDir)).toEqual(JSON.parse(JSON.stringify(manifest)));
  });

  it('write the same log, record by record and field by field (means of norms to float32 precision)', () => {
    const node = records(nodeDir);
    const python = records(pythonDir);
    expect(python.map((r) => r.t)).toEqual(node.map((r) => r.t));
    node.forEach((record, i) => {
      const { meanNorms: nodeMeans, ...nodeRest } = record;
      const { meanNorms: pythonMeans, ...pythonRest } = python[i];
      expect(pythonRest, `record ${i} (${record.t})`).toEqual(nodeRest);
      if (record.t !== 'batch') return;
      // Per layer and state: the same means, to the last bit (both average the saved float32 norms in row order).
      (nodeMeans as Array<Record<string, number | string>>).forEach((layer, l) => {
        for (const [key, value] of Object.entries(layer)) {
          const other = (pythonMeans as Array<Record<string, number | string>>)[l][key];
          if (typeof value === 'string') expect(other, `record ${i} layer ${l} ${key}`).toBe(value);
          else expect(other, `record ${i} layer ${l} ${key}`).toBe(value);
        }
      });
    });
    // The facts' non-finite values came through as the format's strings, never null.
    const batchesOut = node.filter((r) => r.t === 'batch');
    expect(batchesOut.map((r) => r.loss)).toEqual([0.25, 'NaN', 'Infinity', null, 1e-7]);
    expect((batchesOut[1].meanNorms as Array<Record<string, unknown>>)[0].h).toBe('NaN');
    expect((batchesOut[2].meanNorms as Array<Record<string, unknown>>)[0].c).toBe('Infinity');
  });
});
