/**
 * Entry of the config-check worker (bundled as dist/configCheck.js). One worker checks one
 * version of one config: the request comes as workerData, the problems go back as one
 * message. A sync CSV parse cannot be interrupted, so a stale or slow check is stopped by
 * terminating its worker (configChecker.ts).
 */
import * as os from 'os';
import { parentPort, workerData } from 'worker_threads';
import { checkConfigText } from './checkConfigText';
import type { CheckRequest } from './configChecker';

// The editor's thread comes first. On Linux the nice value is per thread, so this lowers only
// this worker; elsewhere it would lower the whole editor process, so it is left alone there.
if (process.platform === 'linux') {
  try {
    os.setPriority(os.constants.priority.PRIORITY_LOW);
  } catch {
    // Not permitted here: the check still runs, at normal priority.
  }
}

const { text, configPath, workspaceRoot } = workerData as CheckRequest;
parentPort?.postMessage(checkConfigText(text, configPath, workspaceRoot));
