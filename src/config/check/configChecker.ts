/**
 * Checks config text as the trainer would without blocking the caller's thread: each check
 * runs in its own worker thread (even the JSON schema is compiled there, which alone would
 * stall the editor for tens of milliseconds), bounded in time, and cancelled by a newer check
 * of the same document. The caller's thread only starts and stops workers.
 */
import { Worker } from 'worker_threads';
import type { ConfigProblem } from './checkConfigText';

/** What a worker checks: one version of one config (`workspaceRoot` unset: the one the trainer would find). */
export interface CheckRequest {
  text: string;
  configPath: string;
  workspaceRoot?: string;
}

/** How long a check may take before it is stopped (reading a 36 MB CSV takes about 6 s on a quiet machine). */
export const CHECK_TIMEOUT_MS = 10_000;

interface Running {
  worker: Worker;
  settle: (problems: ConfigProblem[] | undefined) => void;
}

/** One checker per editor; documents are told apart by a key (their URI). */
export class ConfigChecker {
  private readonly running = new Map<string, Running>();

  /** `workerPath`: the bundled checkWorker (dist/configCheck.js). */
  constructor(
    private readonly workerPath: string,
    private readonly timeoutMs = CHECK_TIMEOUT_MS,
  ) {}

  /**
   * The problems of this version of the document; undefined when a newer check of the same
   * document (or `cancel`/`dispose`) superseded it before it finished.
   */
  check(key: string, text: string, configPath: string, workspaceRoot?: string): Promise<ConfigProblem[] | undefined> {
    this.cancel(key);
    return new Promise((resolve) => {
      const worker = new Worker(this.workerPath, {
        workerData: { text, configPath, workspaceRoot } satisfies CheckRequest,
      });
      const timer = setTimeout(() => finish([tooLong(this.timeoutMs)]), this.timeoutMs);
      const finish = (problems: ConfigProblem[] | undefined): void => {
        if (this.running.get(key)?.worker !== worker) return;
        this.running.delete(key);
        clearTimeout(timer);
        void worker.terminate();
        resolve(problems);
      };
      worker.once('message', (problems: ConfigProblem[]) => finish(problems));
      worker.once('error', (error) => finish([failed(error)]));
      // A worker that ends without answering (e.g. killed from outside) must not leave the check pending.
      worker.once('exit', (code) =>
        finish([failed(new Error(`the check worker exited with code ${code} before answering`))]),
      );
      this.running.set(key, { worker, settle: finish });
    });
  }

  /** Stops the running check of a document, if any (its promise resolves to undefined). */
  cancel(key: string): void {
    this.running.get(key)?.settle(undefined);
  }

  /** Stops every running check. */
  dispose(): void {
    for (const key of [...this.running.keys()]) this.cancel(key);
  }
}

function tooLong(timeoutMs: number): ConfigProblem {
  // Only reading data takes this long: the rest of a check is milliseconds.
  const reason =
    `data check took too long (over ${timeoutMs / 1000} s) and was stopped, so the data file was not checked here. ` +
    'Training still checks every row before it starts; a smaller file checks faster.';
  return { severity: 'warning', field: 'data.csv', reason, message: `data.csv: ${reason}` };
}

function failed(error: Error): ConfigProblem {
  if ((error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    const reason =
      'the data check ran out of memory reading the data file, so it was not checked here. ' +
      'Training still checks every row before it starts.';
    return { severity: 'warning', field: 'data.csv', reason, message: `data.csv: ${reason}` };
  }
  // Not the config's fault, but hiding it would hide a bug: an error on the whole file.
  const reason = `the config check failed: ${error.message}`;
  return { severity: 'error', field: '', reason, message: `config: ${reason}` };
}
