/**
 * Entry of the config-check worker (bundled as dist/configCheck.js). One worker checks one
 * version of one config: the request comes as workerData, the problems go back as one
 * message. A sync CSV parse cannot be interrupted, so a stale or slow check is stopped by
 * terminating its worker (configChecker.ts).
 */
import { parentPort, workerData } from 'worker_threads';
import { checkConfigText } from './checkConfigText';
import type { CheckRequest } from './configChecker';

const { text, configPath, workspaceRoot } = workerData as CheckRequest;
parentPort?.postMessage(checkConfigText(text, configPath, workspaceRoot));
