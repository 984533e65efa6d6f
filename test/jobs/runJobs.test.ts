/**
 * The editor's run jobs in the built worker (dist/runJobs.js): a NumPy export and an HTML report
 * written through the worker are byte for byte what the direct calls write, a damaged part of a
 * run comes back as the same warnings, and a failure reaches the caller with the message naming
 * the file at fault.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RunJobs, isAbortError } from '../../src/jobs/runJobs';
import { renderComparisonHtml, renderReportHtml } from '../../src/report/renderReport';
import { exportRunToNpy } from '../../src/runStore/exportNpy';
import { RUN_FILES } from '../../src/shared/runFormat';
import { writeSyntheticRun } from '../fixtures/syntheticRun';

const WORKER = path.resolve(__dirname, '../../dist/runJobs.js');
let dir: string;
let runDir: string;
let otherRunDir: string;
let jobs: RunJobs;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-jobs-'));
  runDir = writeSyntheticRun({
    dir: path.join(dir, 'run'),
    stateful: true,
    epochs: 3,
    batchesPerEpoch: 7,
    batchSize: 5,
    units: [6, 3],
    resets: { everyBatches: 4 },
    manualResetsAt: [9],
    capturedBatches: 15,
    hiddenRows: [0, 2],
    nonFinite: { 4: Number.NaN, 11: Number.POSITIVE_INFINITY },
  }).runDir;
  otherRunDir = writeSyntheticRun({
    dir: path.join(dir, 'stateless'),
    stateful: false,
    epochs: 2,
    batchesPerEpoch: 5,
    batchSize: 4,
    gru: true,
  }).runDir;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => jobs?.dispose());

/** Every file under `root`, by relative path, with its bytes. */
function filesOf(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(root, full), fs.readFileSync(full));
  }
  return files;
}

/** A copy of the stateful run to damage. */
function copyOfRun(name: string): string {
  const copy = path.join(dir, name);
  fs.cpSync(runDir, copy, { recursive: true });
  return copy;
}

describe('run jobs in the worker', () => {
  it('a NumPy export writes byte for byte the files of the direct export, and the same summary', async () => {
    jobs = new RunJobs(WORKER);
    const viaWorker = path.join(dir, 'npy-worker');
    const direct = path.join(dir, 'npy-direct');
    const summary = await jobs.exportNpy(runDir, viaWorker);
    const expected = exportRunToNpy(runDir, direct);
    expect(summary).toEqual({ ...expected, outDir: viaWorker });
    expect(summary).toMatchObject({ batches: 21, capturedBatches: 15, warnings: [] });
    const written = filesOf(viaWorker);
    const reference = filesOf(direct);
    expect([...written.keys()].sort()).toEqual([...reference.keys()].sort());
    expect([...written.keys()]).toEqual(expect.arrayContaining(['h0.npy', 'layer1/c.npy', 'loss.npy', 'causes.json']));
    for (const [name, bytes] of reference) expect(written.get(name)!.equals(bytes), name).toBe(true);
  });

  it('a damaged batch line and a cut states.bin come back as the direct export’s warnings, naming the files', async () => {
    jobs = new RunJobs(WORKER);
    const damaged = copyOfRun('damaged');
    const lines = fs.readFileSync(path.join(damaged, RUN_FILES.log), 'utf8').split('\n');
    const at = lines.findIndex((line) => line.includes('"t":"batch"') && JSON.parse(line).step === 18);
    lines[at] = '{"t":"batch","step":18,"epoch":oops}';
    fs.writeFileSync(path.join(damaged, RUN_FILES.log), lines.join('\n'));
    const states = path.join(damaged, RUN_FILES.states);
    fs.truncateSync(states, fs.statSync(states).size - 100);
    const summary = await jobs.exportNpy(damaged, path.join(dir, 'damaged-worker'));
    const expected = exportRunToNpy(damaged, path.join(dir, 'damaged-direct'));
    expect(summary.warnings).toEqual(expected.warnings);
    expect(summary.warnings).toEqual([
      expect.stringContaining(`${path.join(damaged, RUN_FILES.log)}: line ${at + 1} `),
      expect.stringMatching(/states\.bin \(step 14\): is shorter than its log says/),
      `${path.join(damaged, RUN_FILES.log)} (step 18): its record (before line ${at + 2} of the log) could not be read`,
    ]);
    expect(fs.readFileSync(path.join(dir, 'damaged-worker', 'warnings.txt'), 'utf8')).toBe(
      `${expected.warnings.join('\n')}\n`,
    );
  });

  it('a run report and a comparison report are the HTML the direct calls render', async () => {
    jobs = new RunJobs(WORKER);
    const single = path.join(dir, 'report.html');
    const compare = path.join(dir, 'compare.html');
    const [one, two] = await Promise.all([jobs.report([runDir], single), jobs.report([runDir, otherRunDir], compare)]);
    const singleHtml = renderReportHtml(runDir);
    const compareHtml = renderComparisonHtml([runDir, otherRunDir]);
    expect(one).toEqual({ outFile: single, bytes: Buffer.byteLength(singleHtml) });
    expect(two).toEqual({ outFile: compare, bytes: Buffer.byteLength(compareHtml) });
    expect(fs.readFileSync(single, 'utf8')).toBe(singleHtml);
    expect(fs.readFileSync(compare, 'utf8')).toBe(compareHtml);
    // The embedded payload is the run's: its kind and name are there to read.
    const payload = JSON.parse(singleHtml.match(/id="lstm-report-data">(.*?)<\/script>/s)![1]);
    expect(payload.kind).toBe('run');
    expect(payload.snapshot.runDir).toBe(runDir);
  });

  it('a damaged manifest: both jobs reject with the message of the direct call, naming manifest.json', async () => {
    jobs = new RunJobs(WORKER);
    const broken = copyOfRun('broken');
    fs.writeFileSync(path.join(broken, RUN_FILES.manifest), '{"formatVersion": 2,');
    const manifest = path.join(broken, RUN_FILES.manifest);
    expect(() => exportRunToNpy(broken, path.join(dir, 'broken-direct'))).toThrow(`${manifest}: is not valid JSON`);
    const directMessage = (() => {
      try {
        renderReportHtml(broken);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    await expect(jobs.exportNpy(broken, path.join(dir, 'broken-worker'))).rejects.toThrow(
      `${manifest}: is not valid JSON`,
    );
    await expect(jobs.report([broken], path.join(dir, 'broken.html'))).rejects.toThrow(directMessage);
    expect(fs.existsSync(path.join(dir, 'broken.html'))).toBe(false);
  });

  it('a report that cannot be written rejects naming the file', async () => {
    jobs = new RunJobs(WORKER);
    const nowhere = path.join(dir, 'no-such-folder', 'report.html');
    await expect(jobs.report([runDir], nowhere)).rejects.toThrow(`cannot write ${nowhere}: its folder does not exist`);
  });

  it('disposing stops a running job (it rejects) and refuses new ones', async () => {
    jobs = new RunJobs(WORKER);
    const running = jobs.exportNpy(runDir, path.join(dir, 'stopped'));
    jobs.dispose();
    await expect(running).rejects.toThrow('the job was stopped: the extension is shutting down');
    await expect(jobs.report([runDir], path.join(dir, 'late.html'))).rejects.toThrow('no new jobs');
  });

  it('cancelling an export half-way leaves the earlier export as it was, and nothing partial', async () => {
    jobs = new RunJobs(WORKER);
    // Long enough to be caught half-way: 60 000 batches, 2000 of them with full tensors.
    const { runDir: long } = writeSyntheticRun({
      dir: path.join(dir, 'long'),
      stateful: true,
      epochs: 10,
      batchesPerEpoch: 6000,
      batchSize: 4,
      units: [8],
      capturedBatches: 2000,
    });
    const outDir = path.join(dir, 'long-npy');
    fs.mkdirSync(outDir);
    fs.writeFileSync(path.join(outDir, 'loss.npy'), 'an earlier export');
    const controller = new AbortController();
    const exporting = jobs.exportNpy(long, outDir, controller.signal);
    const partial = `${outDir}.partial`;
    // Cancel once the worker is writing (its output folder exists).
    while (!fs.existsSync(partial)) await new Promise((resolve) => setTimeout(resolve, 2));
    controller.abort();
    await expect(exporting).rejects.toMatchObject({ name: 'AbortError' });
    expect(isAbortError(await exporting.catch((e: unknown) => e))).toBe(true);
    expect(fs.existsSync(partial)).toBe(false);
    expect(fs.readdirSync(outDir)).toEqual(['loss.npy']);
    expect(fs.readFileSync(path.join(outDir, 'loss.npy'), 'utf8')).toBe('an earlier export');
    // Not cancelled, the same export replaces the earlier one whole.
    const summary = await jobs.exportNpy(runDir, outDir);
    expect(summary.outDir).toBe(outDir);
    expect([...filesOf(outDir).keys()].sort()).toEqual([...filesOf(path.join(dir, 'npy-direct')).keys()].sort());
    expect(fs.existsSync(partial)).toBe(false);
  });

  it('a cancelled report writes nothing; one cancelled before it starts never starts a worker', async () => {
    jobs = new RunJobs(WORKER);
    const out = path.join(dir, 'cancelled.html');
    const controller = new AbortController();
    const reporting = jobs.report([runDir, otherRunDir], out, controller.signal);
    controller.abort();
    await expect(reporting).rejects.toMatchObject({ name: 'AbortError' });
    expect([fs.existsSync(out), fs.existsSync(`${out}.partial`)]).toEqual([false, false]);
    const never = new RunJobs(path.join(dir, 'missing-worker.js'));
    await expect(never.report([runDir], out, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    never.dispose();
  });

  it('a worker that cannot start rejects the job instead of leaving it pending', async () => {
    jobs = new RunJobs(path.join(dir, 'missing-worker.js'));
    await expect(jobs.exportNpy(runDir, path.join(dir, 'never'))).rejects.toThrow(
      /the run-job worker failed: .*Cannot find module/,
    );
  });
});
