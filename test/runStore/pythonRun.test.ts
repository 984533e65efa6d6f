/**
 * Runs the PyTorch recorder wrote (real examples, Debian's python3-torch) read by the TypeScript
 * side: the reader, the NumPy export — whose tensors must bear out every carriedFrom and
 * rowSources claim, checked here bit for bit — and the standalone report in chromium.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/report/renderReport';
import { exportRunToNpy } from '../../src/runStore/exportNpy';
import { readBatchHidden, readBatchNorms, readBatchStates } from '../../src/runStore/batchData';
import { decodeNpy } from '../../src/runStore/npy';
import { readRun, type RunData } from '../../src/runStore/readRun';
import { answerForRun, countCauses, countFlags } from '../../src/runStore/runSummary';
import { chromium } from 'playwright-core';
import { rawBatches, rawManifest, rawNorms, rawRecords, rawStates, type RawBatch } from '../helpers/rawRun';

const root = path.resolve(__dirname, '../..');
const examples = path.join(root, 'examples/pytorch');
let dir: string;

/** Records one example without code changes; returns its one run folder. */
function record(example: string, stride: number): string {
  const runsDir = path.join(dir, example);
  const result = spawnSync(
    '/usr/bin/python3',
    ['-m', 'lstm_state_timeline', '--runs-dir', runsDir, '--stride', String(stride), `${example}.py`],
    { cwd: examples, env: { ...process.env, PYTHONPATH: path.join(root, 'python') }, encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  const [only, ...more] = fs.readdirSync(runsDir);
  expect(more).toEqual([]);
  return path.join(runsDir, only);
}

let validation: string;
let lastBatch: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-pyrun-'));
  validation = record('validation_carry', 200);
  lastBatch = record('small_last_batch', 300);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The exported arrays of a run: `[batches, rows, units]` float32, `rows` the most any batch has. */
function exported(runDir: string) {
  const out = path.join(dir, `${path.basename(runDir)}-npy`);
  const summary = exportRunToNpy(runDir, out);
  const load = (name: string) => decodeNpy(fs.readFileSync(path.join(out, name)));
  return { summary, out, load };
}

type Loaded = { values: ArrayLike<number>; shape: number[] };

/** Row `row` of batch `b` of a [batches, rows, units] array. */
function rowOf(array: Loaded, b: number, row: number): Float32Array {
  const [, rows, units] = array.shape;
  const at = (b * rows + row) * units;
  return (array.values as Float32Array).subarray(at, at + units);
}

/** Bitwise equality of two float32 rows (NaN equals NaN only with the same bits). */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.length === y.length && x.every((bits, i) => bits === y[i]);
}

/**
 * Every claim of every batch, checked against the exported tensors: a zero start is all zeros, a
 * carried row equals its source row of `carriedFrom`'s final state bitwise. Returns the rows
 * checked and the claims that failed.
 */
function checkClaims(run: RunData, load: (name: string) => Loaded): { checked: number; failed: string[] } {
  let checked = 0;
  const failed: string[] = [];
  for (const stateName of ['h', 'c'] as const) {
    const initial = load(`${stateName}0.npy`);
    const final = load(`${stateName}.npy`);
    for (const batch of run.batches) {
      for (let row = 0; row < batch.rowCount; row++) {
        const values = rowOf(initial, batch.step, row);
        let holds = true;
        if (['auto', 'zeros', 'first', 'epoch', 'schedule', 'manual'].includes(batch.cause)) {
          holds = values.every((v) => v === 0);
        } else if (batch.cause === 'carried' || batch.cause === 'restored') {
          holds = sameBits(values, rowOf(final, batch.carriedFrom!, row));
        } else if (batch.cause === 'permuted' || batch.cause === 'partial') {
          const source = batch.rowSources![row];
          holds = source === null || sameBits(values, rowOf(final, batch.carriedFrom!, source));
        }
        if (!holds) failed.push(`${stateName}0 step ${batch.step} row ${row} (${batch.cause})`);
        checked++;
      }
    }
  }
  return { checked, failed };
}

describe('a run the PyTorch recorder wrote, read by the TypeScript side', () => {
  it('the reader: causes, phases, flags, the warning and the answer', () => {
    const run = readRun(validation);
    expect(run.status).toBe('finished');
    expect(run.manifest).toMatchObject({ formatVersion: 2, backend: 'pytorch', writer: { name: 'pytorch-recorder' } });
    expect(run.manifest.model.stateful).toBeNull();
    expect(run.problems).toEqual([]);
    const counts = countCauses(run.batches);
    expect(counts).toMatchObject({ auto: 1, carried: 39 });
    expect(countFlags(run.batches)).toEqual({ withGraph: 0, fromEval: 15, shuffledData: 0 });
    expect(run.batches.slice(0, 5).map((b) => b.phase)).toEqual(['train', 'train', 'train', 'train', 'eval']);
    // Validation (step 4) continues from the training state, the next epoch's training from validation's.
    expect(run.batches[4]).toMatchObject({ cause: 'carried', carriedFrom: 3, flags: ['fromEval'] });
    expect(run.batches[5]).toMatchObject({ cause: 'carried', carriedFrom: 4, flags: ['fromEval'] });
    expect(run.warnings.map((w) => w.code)).toEqual(['PT002']);
    expect(answerForRun(run)).toMatch(/^recorded: carried row for row in 39 of 40 batches.*\(PT002\)$/);
    expect(run.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('the export: every carriedFrom claim holds in the tensors, bit for bit', () => {
    const run = readRun(validation);
    const { summary, load, out } = exported(validation);
    expect(summary.warnings).toEqual([]);
    expect(summary.capturedBatches).toBe(run.batches.length);
    expect(checkClaims(run, load)).toEqual({
      checked: 2 * run.batches.reduce((n, b) => n + b.rowCount, 0),
      failed: [],
    });
    // The check bites: the same run claiming step 6 came from step 4 instead of 5 fails it.
    const forged = { ...run, batches: run.batches.map((b) => (b.step === 6 ? { ...b, carriedFrom: 4 } : b)) };
    expect(run.batches[6].carriedFrom).toBe(5);
    expect(checkClaims(forged, load).failed).toHaveLength(2 * run.batches[6].rowCount);
    const causes = JSON.parse(fs.readFileSync(path.join(out, 'causes.json'), 'utf8'));
    expect(causes.batches.map((b: { carriedFrom: number | null }) => b.carriedFrom)).toEqual(
      run.batches.map((b) => b.carriedFrom),
    );
    const rows = load('rows.npy');
    expect(Array.from(rows.values).slice(0, 3)).toEqual([0, 1, 2]);
  });

  it('a smaller last batch: partial with rowSources, exported over the rows batches really have', () => {
    const run = readRun(lastBatch);
    expect(countCauses(run.batches)).toMatchObject({ auto: 8, carried: 16, partial: 8 });
    const partial = run.batches.find((b) => b.cause === 'partial')!;
    expect(partial).toMatchObject({ rowCount: 100, dataContinues: true });
    expect(partial.rowSources).toEqual([...Array(100).keys()]);
    const { load } = exported(lastBatch);
    const h0 = load('h0.npy');
    expect(h0.shape).toEqual([run.batches.length, 300, 16]);
    // Rows the small batch does not have are NaN, not zeros.
    expect(rowOf(h0, partial.step, 100).every(Number.isNaN)).toBe(true);
    expect(checkClaims(run, load)).toEqual({
      checked: 2 * run.batches.reduce((n, b) => n + b.rowCount, 0),
      failed: [],
    });
    // Norms of every row equal the L2 norm of the exported state (float32).
    const norms = load('norms.npy'); // [batches, layers, states, rows]
    const [, , states, rows] = norms.shape;
    const row = rowOf(h0, 1, 7);
    const norm = (norms.values as Float32Array)[((1 * 1 + 0) * states + 0) * rows + 7];
    expect(norm).toBeCloseTo(Math.hypot(...row), 5);
  });

  it('the standalone report renders it: its answer, status and counts, no error', async () => {
    const file = path.join(dir, 'validation.html');
    fs.writeFileSync(file, renderReportHtml(validation));
    // Debian's chromium, never a downloaded browser; off the network.
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.route('**/*', (route) =>
        route.request().url() === pathToFileURL(file).href ? route.continue() : route.abort(),
      );
      await page.goto(pathToFileURL(file).href);
      const run = readRun(validation);
      await page
        .getByTestId('answer-banner')
        .filter({ hasText: /^recorded:/ })
        .waitFor();
      expect(await page.getByTestId('answer-banner').textContent()).toBe(answerForRun(run));
      expect(await page.getByTestId('run-status').textContent()).toBe('finished');
      expect(await page.locator('[data-testid="summary-total"] [data-testid="count-carried"]').textContent()).toBe(
        '39',
      );
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

/** Counts of a run's raw batch records: with a source (carried …), from zeros without one, each flag. */
function rawCounts(batches: RawBatch[]) {
  const flagged = (flag: string) => batches.filter((b) => b.flags.includes(flag)).length;
  return {
    carried: batches.filter((b) => b.cause === 'carried').length,
    auto: batches.filter((b) => b.cause === 'auto').length,
    withSource: batches.filter((b) => b.carriedFrom !== null).length,
    withGraph: flagged('withGraph'),
    fromEval: flagged('fromEval'),
    shuffledData: flagged('shuffledData'),
  };
}

/** The warning records of a run, and the log index of each next to that of the first batch with `flag`. */
function firstWarningOf(runDir: string, flag: string, code: string) {
  const records = rawRecords(runDir);
  const firstFlagged = records.findIndex((r) => r.t === 'batch' && (r.flags as string[]).includes(flag));
  const warning = records.findIndex((r) => r.t === 'warning' && r.code === code);
  return { firstFlagged, warning, message: records[warning]?.message as string, records };
}

describe("the answer's plain sentence for each flag, as the saved run bears it out", () => {
  it('shuffledData (PT003): carried while the loader shuffles — the saved rows show row i is an unrelated sample', () => {
    const runDir = record('shuffled_carry', 200);
    const batches = rawBatches(runDir);
    expect(rawManifest(runDir).data).toMatchObject({ source: expect.stringContaining('RandomSampler') });
    // Each epoch visits every sample once, in an order that is not the dataset's.
    for (let epoch = 0; epoch < 8; epoch++) {
      const rows = batches.filter((b) => b.epoch === epoch).flatMap((b) => b.rows!);
      expect([...rows].sort((a, b) => a - b)).toEqual([...Array(1000).keys()]);
      expect(rows).not.toEqual([...Array(1000).keys()]);
    }
    const counts = rawCounts(batches);
    expect(counts).toMatchObject({ carried: 32, auto: 8, withSource: 32, shuffledData: 32, withGraph: 0 });
    for (const batch of batches.filter((b) => b.carriedFrom !== null)) {
      const source = batches[batch.carriedFrom!];
      // The state is carried row for row, bitwise…
      const [states, from] = [rawStates(runDir, batch), rawStates(runDir, source)];
      expect(sameBits(states.h0, from.h) && sameBits(states.c0, from.c)).toBe(true);
      // …but sample rows[i] + 200 continues sample rows[i] (--stride 200), and almost no row gets its continuation.
      const continuing = batch.rows!.filter((sample, i) => sample === source.rows![i] + 200).length;
      expect(continuing).toBeLessThan(batch.rowCount / 20);
      expect(batch).toMatchObject({ flags: ['shuffledData'], dataContinues: false });
    }
    expect(answerForRun(readRun(runDir))).toBe(
      `recorded: carried row for row in 32 of 40 batches; 8 batches started from zeros (no state given) — but every carried state came while the DataLoader shuffles: row i's data is an unrelated sample (PT003)`,
    );
    // The warning follows the first flagged batch and says what to do.
    const { firstFlagged, warning, message } = firstWarningOf(runDir, 'shuffledData', 'PT003');
    expect(warning).toBe(firstFlagged + 1);
    expect(message).toMatch(/^Step 1 \(carried from step 0\): .*DataLoader shuffles.* use shuffle=False/);
  });

  it('withGraph (PT001): every carried state kept its graph — the answer says detach() it', () => {
    const runDir = record('missing_detach', 200);
    const batches = rawBatches(runDir);
    const counts = rawCounts(batches);
    expect(counts).toMatchObject({ carried: 24, auto: 6, withSource: 24, withGraph: 24, fromEval: 0 });
    for (const batch of batches) {
      // Carried batches continue the previous call row for row and carry the flag; zero starts never do.
      if (batch.cause === 'carried') {
        expect(batch).toMatchObject({ carriedFrom: batch.step - 1, flags: ['withGraph'], dataContinues: true });
        expect(sameBits(rawStates(runDir, batch).h0, rawStates(runDir, batches[batch.step - 1]).h)).toBe(true);
      } else expect(batch).toMatchObject({ cause: 'auto', carriedFrom: null, flags: [] });
    }
    expect(answerForRun(readRun(runDir))).toBe(
      'recorded: carried row for row in 24 of 30 batches; 6 batches started from zeros (no state given) — but every carried state still held its graph: gradients flow back into earlier batches — detach() it (PT001)',
    );
    const { firstFlagged, warning } = firstWarningOf(runDir, 'withGraph', 'PT001');
    expect(warning).toBe(firstFlagged + 1);
  });

  it('fromEval (PT002): exactly the batches whose state came from a call of the other phase', () => {
    const batches = rawBatches(validation);
    for (const batch of batches.filter((b) => b.carriedFrom !== null)) {
      const acrossPhases = batches[batch.carriedFrom!].phase !== batch.phase;
      expect(batch.flags.includes('fromEval'), `step ${batch.step}`).toBe(acrossPhases);
    }
    // 8 validation batches start from training's state; epochs 2–8 start from validation's.
    const counts = rawCounts(batches);
    expect(counts).toMatchObject({ carried: 39, auto: 1, fromEval: 15 });
    expect(answerForRun(readRun(validation))).toBe(
      'recorded: carried row for row in 39 of 40 batches; 1 batch started from zeros (no state given) — but 15 batches carried a state across phases: evaluation overwrote the training state, or training went on from it (PT002)',
    );
    const { firstFlagged, warning } = firstWarningOf(validation, 'fromEval', 'PT002');
    expect(warning).toBe(firstFlagged + 1);
  });
});

/** Complete batch lines in a run's log so far. */
const loggedBatches = (runDir: string) => rawBatches(runDir).length;

/**
 * Records tbptt_correct.py for 5000 epochs and SIGKILLs the process as soon as `killWhen` holds
 * for its run folder (polled every 2 ms, so the kill lands anywhere in a batch's writes).
 */
async function killedRecording(
  name: string,
  killWhen: (runDir: string) => boolean,
  live: 'running' | 'paused',
): Promise<string> {
  const runsDir = path.join(dir, name);
  const child = spawn(
    '/usr/bin/python3',
    ['-m', 'lstm_state_timeline', '--runs-dir', runsDir, '--stride', '200', 'tbptt_correct.py', '5000'],
    { cwd: examples, env: { ...process.env, PYTHONPATH: path.join(root, 'python') }, stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const runDirOf = () => (fs.existsSync(runsDir) ? fs.readdirSync(runsDir).map((f) => path.join(runsDir, f))[0] : '');
  const started = Date.now();
  for (;;) {
    const runDir = runDirOf();
    if (runDir && fs.existsSync(path.join(runDir, 'manifest.json')) && killWhen(runDir)) {
      // Alive until now: the reader says so before the kill.
      expect(readRun(runDir).status).toBe(live);
      child.kill('SIGKILL');
      break;
    }
    if (child.exitCode !== null || Date.now() - started > 60_000) throw new Error(`${name}: no kill point reached`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await exited;
  expect(child.signalCode).toBe('SIGKILL');
  return runDirOf();
}

/** A kill point: asks the run to pause once it has `batches` batches, holds once it says it paused. */
function pausedAfter(batches: number) {
  let asked = false;
  return (runDir: string) => {
    if (!asked && loggedBatches(runDir) >= batches) {
      fs.appendFileSync(path.join(runDir, 'control.jsonl'), '{"type":"pause"}\n');
      asked = true;
    }
    return rawRecords(runDir).some((r) => r.t === 'state' && r.status === 'paused');
  };
}

describe('a recording killed with SIGKILL', () => {
  it.each([
    ['right after its manifest', () => true, 'running'],
    ['after 10 batches', (runDir: string) => loggedBatches(runDir) >= 10, 'running'],
    ['after 40 batches', (runDir: string) => loggedBatches(runDir) >= 40, 'running'],
    ['while paused', pausedAfter(5), 'paused'],
  ] as const)('%s: the reader says interrupted and reads every logged batch', async (when, killWhen, live) => {
    const runDir = await killedRecording(when.replace(/\W+/g, '-'), killWhen, live);
    const raw = rawBatches(runDir);
    expect(rawRecords(runDir).some((r) => r.t === 'end')).toBe(false);
    const run = readRun(runDir);
    expect(run.status).toBe('interrupted');
    expect(run.problems).toEqual([]);
    // Every complete batch line is a batch of the run, in order; a torn last line is not.
    expect(run.batches.map((b) => b.step)).toEqual(raw.map((b) => b.step));
    expect(raw.map((b) => b.step)).toEqual([...raw.keys()]);
    for (const [i, batch] of run.batches.entries()) {
      // Its bytes are all on disk and read back as the files hold them.
      const [norms] = readBatchNorms(run, batch);
      const [states] = readBatchStates(run, batch)!;
      const [expectedNorms, expectedStates] = [rawNorms(runDir, raw[i]), rawStates(runDir, raw[i])];
      for (const key of ['h0', 'c0', 'h', 'c'] as const) {
        expect(sameBits(norms[key], expectedNorms[key])).toBe(true);
        expect(sameBits(states[key], expectedStates[key])).toBe(true);
      }
      expect(readBatchHidden(run, batch)).not.toBeNull();
      // The norms are those of the states: a batch's bytes are not mixed with another's.
      const row = states.h.subarray(0, 16);
      expect(norms.h[0]).toBeCloseTo(Math.hypot(...row), 5);
      if (batch.cause === 'carried')
        expect(sameBits(states.h0, readBatchStates(run, run.batches[i - 1])![0].h)).toBe(true);
    }
  });
});
