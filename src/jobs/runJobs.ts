/**
 * Runs heavy run-folder jobs — a NumPy export, an HTML report — each in its own worker thread
 * (dist/runJobs.js), so the extension host's thread only starts and stops workers: reading a
 * 100k-batch run takes seconds, during which the editor must stay responsive. A worker is
 * terminated as soon as it replies or fails, and every running one when the runner is disposed.
 */
import * as fs from 'fs';
import { Worker } from 'worker_threads';
import {
  isJobReply,
  partialPath,
  type ExportedReply,
  type ExportNpyJob,
  type ExportSummary,
  type JobReply,
  type ReportedReply,
  type RunJob,
} from '../shared/channels/jobChannel';

/** The reply a job ends with when it succeeds. */
type SuccessOf<J extends RunJob> = J extends ExportNpyJob ? ExportedReply : ReportedReply;
const SUCCESS: { [K in RunJob['type']]: SuccessOf<Extract<RunJob, { type: K }>>['type'] } = {
  exportNpy: 'exported',
  report: 'reported',
};

/** One runner per extension host; it holds only the jobs in flight. */
export class RunJobs {
  private readonly running = new Set<(failure: string) => void>();
  private disposed = false;

  /** `workerPath`: the bundled jobWorker (dist/runJobs.js). */
  constructor(private readonly workerPath: string) {}

  /**
   * Exports the run in `runDir` as NumPy files into `outDir`; rejects with the message naming what
   * failed, or with an AbortError when `signal` aborts (then `outDir` is as it was).
   */
  async exportNpy(runDir: string, outDir: string, signal?: AbortSignal): Promise<ExportSummary> {
    const { summary } = await this.run({ type: 'exportNpy', runDir, outDir }, signal);
    return summary;
  }

  /** Writes the HTML report of one run (or the comparison of several) to `outFile`; cancelled as exportNpy. */
  async report(runDirs: string[], outFile: string, signal?: AbortSignal): Promise<Omit<ReportedReply, 'type'>> {
    const { outFile: written, bytes } = await this.run({ type: 'report', runDirs, outFile }, signal);
    return { outFile: written, bytes };
  }

  /** Stops every running job (each rejects); later jobs are refused. */
  dispose(): void {
    this.disposed = true;
    for (const stop of [...this.running]) stop('the job was stopped: the extension is shutting down');
  }

  /** Runs `job` in a new worker; resolves with its success reply, rejects with the failure's message. */
  private run<J extends RunJob>(job: J, signal?: AbortSignal): Promise<SuccessOf<J>> {
    if (this.disposed) return Promise.reject(new Error('the extension is shutting down: no new jobs'));
    if (signal?.aborted) return Promise.reject(aborted());
    return new Promise((resolve, reject) => {
      const worker = new Worker(this.workerPath, { workerData: job });
      /** Ends the job with the worker's reply, or with an error when the worker was stopped. */
      const finish = (outcome: JobReply | Error): void => {
        if (!this.running.delete(stop)) return; // already settled
        signal?.removeEventListener('abort', cancel);
        const ended = worker.terminate();
        if (outcome instanceof Error) {
          // A stopped worker may have left its partial output: remove it once the worker is gone.
          const partial = partialPath(job.type === 'exportNpy' ? job.outDir : job.outFile);
          const fail = () => reject(outcome);
          void ended.then(() => fs.promises.rm(partial, { recursive: true, force: true })).then(fail, fail);
        } else if (outcome.type === SUCCESS[job.type]) resolve(outcome as SuccessOf<J>);
        else
          reject(
            new Error(outcome.type === 'failed' ? outcome.message : `the run-job worker answered ${outcome.type}`),
          );
      };
      const stop = (message: string): void => finish(new Error(message));
      const cancel = (): void => finish(aborted());
      signal?.addEventListener('abort', cancel, { once: true });
      this.running.add(stop);
      worker.once('message', (message: unknown) =>
        isJobReply(message)
          ? finish(message)
          : stop(`the run-job worker sent a reply it should not: ${JSON.stringify(message)}`),
      );
      // A crash (out of memory, a bug) or an exit without a reply must not leave the job pending.
      worker.once('error', (error) => stop(`the run-job worker failed: ${error.message}`));
      worker.once('exit', (code) => stop(`the run-job worker exited with code ${code} before answering`));
    });
  }
}

/** The error a cancelled job rejects with (`name` AbortError, as fetch and Node's own APIs use). */
function aborted(): Error {
  const error = new Error('the job was cancelled');
  error.name = 'AbortError';
  return error;
}

/** Whether `error` is a job's cancellation rather than its failure. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
