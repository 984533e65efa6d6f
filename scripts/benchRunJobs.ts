/**
 * Extension-host benchmark (bundled and run by scripts/bench.mjs): the host's longest event-loop
 * stall while a 100k-batch run is exported to NumPy files through the run-job worker (the built
 * dist/runJobs.js, as Export Run… does it). For comparison, the stall the same export causes when
 * called on the host's own thread, as the command did before.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RunJobs } from '../src/jobs/runJobs';
import { exportRunToNpy } from '../src/runStore/exportNpy';
import { writeSyntheticRun } from '../test/fixtures/syntheticRun';
import { stallsDuring } from './eventLoopStalls';

const root = process.cwd(); // bench.mjs runs this from the project root
const TARGET_MS = 50;
const BATCHES = 100_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-bench-jobs-'));
  try {
    // A long stateful run as a capture budget leaves it: full tensors for the first 1000 batches, per-row norms for all.
    const { runDir } = writeSyntheticRun({
      dir: path.join(dir, 'run'),
      stateful: true,
      epochs: 10,
      batchesPerEpoch: BATCHES / 10,
      batchSize: 4,
      units: [4],
      capturedBatches: 1000,
    });
    const megabytes = (['log.jsonl', 'norms.bin', 'states.bin'] as const)
      .map((file) => fs.statSync(path.join(runDir, file)).size / 1e6)
      .reduce((a, b) => a + b);
    // What this machine does to a thread that does nothing: other processes share its cores.
    const idle = await stallsDuring(() => sleep(500));

    const jobs = new RunJobs(path.join(root, 'dist/runJobs.js'));
    let workerMs = 0;
    let files = 0;
    const exporting = await stallsDuring(async () => {
      const started = performance.now();
      files = (await jobs.exportNpy(runDir, path.join(dir, 'via-worker'))).files.length;
      workerMs = performance.now() - started;
    });
    jobs.dispose();

    // The same export on the host's own thread: the whole call is one stall.
    const started = performance.now();
    exportRunToNpy(runDir, path.join(dir, 'on-thread'));
    const onThreadMs = performance.now() - started;

    const { maxMs } = exporting;
    const verdict = maxMs < TARGET_MS ? 'ok' : 'OVER TARGET';
    console.log(
      `extension host while Export Run… writes a ${BATCHES / 1000}k-batch run (${megabytes.toFixed(0)} MB) as ${files} NumPy files (in a worker, ${(workerMs / 1000).toFixed(1)} s):`,
    );
    console.log(
      `  longest event-loop stall ${maxMs.toFixed(1)} ms (p99 ${exporting.p99Ms.toFixed(1)} ms)  target < ${TARGET_MS} ms  ${verdict}`,
    );
    console.log(
      `  same thread idle, for comparison: longest stall ${idle.maxMs.toFixed(1)} ms (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores); ` +
        `host thread busy ${exporting.busyMs.toFixed(0)} ms in total while exporting`,
    );
    console.log(`  (the same export on the host's thread, as before: a ${(onThreadMs / 1000).toFixed(1)} s stall)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
