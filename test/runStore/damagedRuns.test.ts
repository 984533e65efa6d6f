/**
 * Damaged run folders, as a crash, a full disk, a hand edit or a hostile user leaves them. Every
 * reader either reads the rest of the run and names what it skipped (file and line or step), or
 * refuses the folder with a message naming the file — never a raw JavaScript error, never wrong
 * data: a damaged batch exports as NaN, not as another batch's numbers.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBatchNorms, readBatchStates } from '../../src/runStore/batchData';
import { exportRunToNpy } from '../../src/runStore/exportNpy';
import { decodeNpy } from '../../src/runStore/npy';
import { readRun, type RunData } from '../../src/runStore/readRun';
import { renderReportHtml } from '../../src/report/renderReport';
import { RunFolderError } from '../../src/runStore/runFolderError';
import { answerForRun } from '../../src/runStore/runSummary';
import { processStartTicks } from '../../src/runStore/runStatus';
import { RUN_FILES } from '../../src/shared/runFormat';
import { smallConfig, trainInTemp } from '../helpers/trainInTemp';

let pristine: RunData;

beforeAll(async () => {
  // A real stateful run with its dataset and weights: 8 batches of 10 rows.
  ({ run: pristine } = await trainInTemp(
    smallConfig({ data: { layout: 'continuous' }, model: { units: 3, stateful: true }, resets: 'epoch' }),
  ));
});

/** A copy of the good run to damage. */
function copy(): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-damaged-')), 'run');
  fs.cpSync(pristine.runDir, dir, { recursive: true });
  return dir;
}

const logLines = (dir: string) => fs.readFileSync(path.join(dir, RUN_FILES.log), 'utf8').split('\n');
const writeLog = (dir: string, lines: string[]) => fs.writeFileSync(path.join(dir, RUN_FILES.log), lines.join('\n'));
/** Index in the log of the batch line of `step`. */
const lineOfStep = (lines: string[], step: number) =>
  lines.findIndex((l) => l.includes('"t":"batch"') && JSON.parse(l).step === step);
/** Rewrites the batch record of `step`. */
function editBatch(dir: string, step: number, edit: (record: Record<string, unknown>) => void): number {
  const lines = logLines(dir);
  const at = lineOfStep(lines, step);
  const record = JSON.parse(lines[at]);
  edit(record);
  lines[at] = JSON.stringify(record);
  writeLog(dir, lines);
  return at + 1;
}
function editManifest(dir: string, edit: (manifest: Record<string, unknown>) => unknown): void {
  const file = path.join(dir, RUN_FILES.manifest);
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.writeFileSync(file, JSON.stringify(edit(manifest) ?? manifest));
}
function truncate(dir: string, file: string, keep: (size: number) => number): void {
  const full = path.join(dir, file);
  fs.truncateSync(full, keep(fs.statSync(full).size));
}
function exportOf(dir: string) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-damaged-npy-'));
  const summary = exportRunToNpy(dir, out);
  const load = (name: string) => decodeNpy(fs.readFileSync(path.join(out, name)));
  return { summary, load };
}
/** The batches of h0.npy (layer 0) as one Float32Array per step. */
function h0PerStep(load: (name: string) => { values: Float32Array | Int32Array; shape: number[] }): Float32Array[] {
  const { values, shape } = load('h0.npy');
  const size = shape[1] * shape[2];
  return Array.from({ length: shape[0] }, (_, b) => values.subarray(b * size, (b + 1) * size) as Float32Array);
}
const allNaN = (values: Float32Array) => values.every(Number.isNaN);
const pristineH0 = (step: number) => readBatchStates(pristine, pristine.batches[step])![0].h0;

/** A batch line damaged in place: the batch keeps its place as unreadable, every other batch reads and exports as before. */
function expectOnlyStepDamaged(dir: string, step: number, line: number, problem: RegExp): void {
  const run = readRun(dir);
  expect(run.batches).toHaveLength(pristine.batches.length);
  expect(run.batches[step].cause).toBe('unreadable');
  // The answer says what it cannot tell, and is otherwise the intact run's.
  expect(answerForRun(run)).toMatch(/; 1 batch record could not be read, so its start is not known$/);
  expect(answerForRun(pristine)).not.toMatch(/could not be read/);
  expect(run.problems.map((p) => p.message)).toEqual([
    expect.stringMatching(new RegExp(`^line ${line} ${problem.source}`)),
  ]);
  expect(() => readBatchNorms(run, run.batches[step])).toThrow(
    new RegExp(`log\\.jsonl \\(step ${step}\\): its record`),
  );
  const { summary, load } = exportOf(dir);
  expect(summary.batches).toBe(pristine.batches.length);
  expect(summary.warnings.some((w) => w.includes(`line ${line}`))).toBe(true);
  const h0 = h0PerStep(load);
  // The damaged batch does not end the captured prefix: every later batch's tensors are still exported.
  expect(pristine.batches.every((b) => b.statesOffset !== null)).toBe(true);
  expect(summary.capturedBatches).toBe(pristine.batches.length);
  expect(h0).toHaveLength(pristine.batches.length);
  h0.forEach((values, s) => (s === step ? expect(allNaN(values)).toBe(true) : expect(values).toEqual(pristineH0(s))));
  expect(Number.isNaN(load('loss.npy').values[step])).toBe(true);
}

describe('a damaged batch line is skipped, named, and never read as other data', () => {
  it('statesOffset of -1 (Node would read "the current position": another batch)', () => {
    const dir = copy();
    const line = editBatch(dir, 3, (r) => (r.statesOffset = -1));
    expectOnlyStepDamaged(dir, 3, line, /is a batch record with statesOffset -1/);
  });

  it('statesOffset misaligned by 2 bytes', () => {
    const dir = copy();
    const line = editBatch(dir, 2, (r) => (r.statesOffset = (r.statesOffset as number) + 2));
    expectOnlyStepDamaged(dir, 2, line, /is a batch record with statesOffset \d+ \(must be null or a byte offset/);
  });

  it('rows of the wrong length', () => {
    const dir = copy();
    const line = editBatch(dir, 4, (r) => {
      r.rows = (r.rows as number[]).slice(0, 3);
      r.rowCount = 10;
    });
    expectOnlyStepDamaged(dir, 4, line, /is a batch record with rowCount 10 that does not match its 3 rows/);
  });

  it('one corrupt line in the middle of the log', () => {
    const dir = copy();
    const lines = logLines(dir);
    const at = lineOfStep(lines, 5);
    lines[at] = lines[at].slice(0, 30);
    writeLog(dir, lines);
    expectOnlyStepDamaged(dir, 5, at + 1, /is not valid JSON/);
  });

  it('an unknown cause', () => {
    const dir = copy();
    const line = editBatch(dir, 1, (r) => (r.cause = 'teleported'));
    expectOnlyStepDamaged(dir, 1, line, /is a batch record with an unknown cause "teleported"/);
  });

  it('a carriedFrom that is not an earlier step', () => {
    const dir = copy();
    const line = editBatch(dir, 2, (r) => (r.carriedFrom = 7));
    expectOnlyStepDamaged(dir, 2, line, /is a batch record with carriedFrom 7, which is not an earlier step/);
  });

  it('a meanNorms entry missing for a layer', () => {
    const dir = copy();
    const line = editBatch(dir, 6, (r) => (r.meanNorms = []));
    expectOnlyStepDamaged(dir, 6, line, /is a batch record with meanNorms that do not hold/);
  });
});

describe('damaged binary files: the batches they cut are named and NaN; the rest exports', () => {
  it('states.bin cut short: the batches past the cut', () => {
    const dir = copy();
    const perBatch = fs.statSync(path.join(dir, RUN_FILES.states)).size / pristine.batches.length;
    truncate(dir, RUN_FILES.states, () => perBatch * 5 + 7);
    const { summary, load } = exportOf(dir);
    expect(summary.warnings).toHaveLength(3);
    expect(summary.warnings[0]).toMatch(/states\.bin \(step 5\): is shorter than its log says/);
    const h0 = h0PerStep(load);
    h0.forEach((values, s) => (s >= 5 ? expect(allNaN(values)).toBe(true) : expect(values).toEqual(pristineH0(s))));
    // norms are in their own file: all there.
    expect(Array.from(load('norms.npy').values).some(Number.isNaN)).toBe(false);
  });

  it('norms.bin cut short', () => {
    const dir = copy();
    truncate(dir, RUN_FILES.norms, (size) => size - 10);
    const { summary, load } = exportOf(dir);
    expect(summary.warnings).toEqual([expect.stringMatching(/norms\.bin \(step 7\): is shorter than its log says/)]);
    const norms = load('norms.npy');
    const perBatch = norms.values.length / 8;
    expect(Array.from(norms.values.subarray(7 * perBatch)).every(Number.isNaN)).toBe(true);
    expect(Array.from(norms.values.subarray(0, 7 * perBatch)).some(Number.isNaN)).toBe(false);
  });

  it('the dataset cut short (x.bin): everything else exports', () => {
    const dir = copy();
    truncate(dir, RUN_FILES.x, (size) => size / 2);
    const { summary } = exportOf(dir);
    expect(summary.warnings).toEqual([expect.stringMatching(/data\/x\.bin: is shorter than its log says/)]);
    expect(summary.files).not.toContain('x.npy');
    expect(summary.files).toContain('h0.npy');
  });

  it('a weights file missing', () => {
    const dir = copy();
    fs.rmSync(path.join(dir, 'weights', 'epoch-1.bin'));
    const { summary } = exportOf(dir);
    expect(summary.warnings).toEqual([expect.stringMatching(/weights\/epoch-1\.bin: cannot be read: ENOENT/)]);
    expect(summary.files).toContain('weights/epoch-2/kernel.npy');
  });

  it('a log.jsonl that is a folder', () => {
    const dir = copy();
    fs.rmSync(path.join(dir, RUN_FILES.log));
    fs.mkdirSync(path.join(dir, RUN_FILES.log));
    expect(() => readRun(dir)).toThrow(new RegExp(`^${escape(path.join(dir, RUN_FILES.log))}: cannot be read: EISDIR`));
  });

  it('no log at all: a run with no batches, interrupted (its writer is gone)', () => {
    const dir = copy();
    fs.rmSync(path.join(dir, RUN_FILES.log));
    const exited = spawnSync(process.execPath, ['-e', '0']).pid;
    editManifest(dir, (m) => ({ ...m, process: { pid: exited, hostname: os.hostname(), startTicks: null } }));
    const run = readRun(dir);
    expect([run.batches.length, run.status]).toEqual([0, 'interrupted']);
  });
});

describe('damaged manifests are refused with the file and what is wrong', () => {
  const cases: Array<[string, (dir: string) => void, RegExp]> = [
    ['a manifest of {}', (dir) => editManifest(dir, () => ({})), /manifest\.json: has no formatVersion/],
    [
      'an unknown format version',
      (dir) => editManifest(dir, (m) => ({ ...m, formatVersion: 99 })),
      /: run format version 99 is not one this version/,
    ],
    [
      'a manifest that is not JSON',
      (dir) => fs.writeFileSync(path.join(dir, RUN_FILES.manifest), '{"formatVersion": 2,'),
      /manifest\.json: is not valid JSON/,
    ],
    [
      'a manifest that is a folder',
      (dir) => (fs.rmSync(path.join(dir, RUN_FILES.manifest)), fs.mkdirSync(path.join(dir, RUN_FILES.manifest))),
      /manifest\.json: is a folder, not a file/,
    ],
    [
      'a layer without units',
      (dir) => editManifest(dir, (m) => void ((m.model as { layers: Array<{ units: number }> }).layers[0].units = 0)),
      /field `model\.layers\[0\]\.units` must be a positive whole number/,
    ],
    [
      'a batch size that is not a number',
      (dir) => editManifest(dir, (m) => void (m.batchSize = 'ten')),
      /field `batchSize` must be a whole number or null/,
    ],
    [
      'no manifest: not a run folder',
      (dir) => fs.rmSync(path.join(dir, RUN_FILES.manifest)),
      /: not a run folder: it has no manifest\.json/,
    ],
  ];
  for (const [name, damage, message] of cases) {
    it(name, () => {
      const dir = copy();
      damage(dir);
      expect(() => readRun(dir)).toThrow(RunFolderError);
      expect(() => readRun(dir)).toThrow(message);
      expect(() => exportOf(dir)).toThrow(message);
      expect(() => renderReportHtml(dir)).toThrow(message);
    });
  }
});

describe('liveness', () => {
  it('a reused process id does not make a dead run read running', () => {
    const dir = copy();
    // This test process is alive, but it is not the process that wrote the run: its start time differs.
    editManifest(dir, (m) => ({
      ...m,
      process: { pid: process.pid, hostname: os.hostname(), startTicks: processStartTicks(process.pid)! - 1 },
    }));
    const lines = logLines(dir).filter((l) => !l.includes('"t":"end"'));
    writeLog(dir, lines);
    expect(readRun(dir).status).toBe('interrupted');
    editManifest(dir, (m) => ({
      ...m,
      process: { pid: process.pid, hostname: os.hostname(), startTicks: processStartTicks(process.pid) },
    }));
    expect(readRun(dir).status).toBe('running');
  });

  it('a writer gone from a host without /proc start times reads interrupted once its heartbeat is stale', () => {
    const dir = copy();
    const exited = spawnSync(process.execPath, ['-e', '0']).pid;
    editManifest(dir, (m) => ({ ...m, process: { pid: exited, hostname: os.hostname(), startTicks: null } }));
    writeLog(
      dir,
      logLines(dir).filter((l) => !l.includes('"t":"end"')),
    );
    expect(readRun(dir).status).toBe('interrupted');
  });

  it('a live writer without a start time (no /proc) is judged by its heartbeat: fresh reads running, stale reads interrupted', () => {
    const dir = copy();
    // This process is alive; without startTicks only the heartbeat can tell it is still writing.
    editManifest(dir, (m) => ({ ...m, process: { pid: process.pid, hostname: os.hostname(), startTicks: null } }));
    writeLog(
      dir,
      logLines(dir).filter((l) => !l.includes('"t":"end"')),
    );
    const heartbeat = path.join(dir, RUN_FILES.heartbeat);
    const beatAgo = (ms: number) => {
      fs.writeFileSync(heartbeat, new Date(Date.now() - ms).toISOString());
      const at = new Date(Date.now() - ms);
      fs.utimesSync(heartbeat, at, at);
    };
    beatAgo(1_000);
    expect(readRun(dir).status).toBe('running');
    // Writers beat every 5 s and readers give up after 15 s: 14 s is still alive, 16 s is gone.
    beatAgo(14_000);
    expect(readRun(dir).status).toBe('running');
    beatAgo(16_000);
    expect(readRun(dir).status).toBe('interrupted');
    fs.rmSync(heartbeat);
    expect(readRun(dir).status).toBe('interrupted');
  });
});

describe('records after the end', () => {
  it('a line after the end record is skipped and named; the run stays finished', () => {
    const dir = copy();
    const lines = logLines(dir).filter(Boolean);
    writeLog(dir, [...lines, lines[lineOfStep(lines, 0)], '']);
    const run = readRun(dir);
    expect(run.status).toBe('finished');
    expect(run.batches).toHaveLength(8);
    expect(run.problems[0].message).toMatch(
      new RegExp(`^line ${lines.length + 1} comes after the run's end record; skipped`),
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
