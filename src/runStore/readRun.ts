/** Reads a whole run folder at once (CLI, export, report): its manifest, its log folded, its status. */
import * as fs from 'fs';
import * as path from 'path';
import { RUN_FILES, type RunManifest, type RunStatus } from '../shared/runFormat';
import { readManifest } from './manifest';
import { RunFolderError, messageOf } from './runFolderError';
import { completeLines, emptyRunLog, foldLines, type RunLog } from './runLog';
import { isWriterAlive, runStatus } from './runStatus';

/** A run as read from its folder. */
export interface RunData extends RunLog {
  runDir: string;
  manifest: RunManifest;
  status: RunStatus;
  /** The log ended in an incomplete line (the writer was killed while writing it, or is writing it). */
  tornTail: boolean;
}

export function readRun(runDir: string): RunData {
  const manifest = readManifest(runDir);
  const logPath = path.join(runDir, RUN_FILES.log);
  let bytes: Buffer;
  try {
    bytes = fs.existsSync(logPath) ? fs.readFileSync(logPath) : Buffer.alloc(0);
  } catch (error) {
    throw new RunFolderError(logPath, `cannot be read: ${messageOf(error)}`);
  }
  const log = emptyRunLog();
  const { lines, consumed } = completeLines(bytes);
  foldLines(log, manifest, lines, 1);
  const alive = log.end ? false : isWriterAlive(manifest.process, runDir);
  return {
    ...log,
    runDir,
    manifest,
    status: runStatus(log.end, log.paused, alive),
    tornTail: consumed < bytes.length && bytes.subarray(consumed).toString('utf8').trim().length > 0,
  };
}
