/**
 * Entry of the run-job worker (bundled as dist/runJobs.js). One worker does one job: the job
 * comes as workerData, the reply goes back as one message, then the host terminates the worker.
 */
import * as os from 'os';
import { parentPort, workerData } from 'worker_threads';
import { isRunJob, type JobReply } from '../shared/channels/jobChannel';
import { runJob } from './runJob';

// The editor's thread comes first (as in the config-check worker): on Linux the nice value is
// per thread, so this lowers only this worker; elsewhere it would lower the whole editor process.
if (process.platform === 'linux') {
  try {
    os.setPriority(os.constants.priority.PRIORITY_LOW);
  } catch {
    // Not permitted here: the job still runs, at normal priority.
  }
}

const reply: JobReply = isRunJob(workerData)
  ? runJob(workerData)
  : { type: 'failed', message: `the run-job worker got a job it does not know: ${JSON.stringify(workerData)}` };
parentPort?.postMessage(reply);
