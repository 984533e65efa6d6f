/**
 * Reads run folders for the tree without blocking the extension host: the header (manifest
 * and status, from the log's last line) for the run list, the whole log only when a run is
 * expanded, parsed in slices that yield to the event loop (a 100k-batch log is ~100 MB).
 */
import * as fs from 'fs';
import * as path from 'path';
import { RUN_FILES, type LogRecord, type RunManifest, type RunStatus } from '../../shared/runFormat';
import { isEndLine, lastCompleteLine } from '../../runStore/logTail';
import { isTrainerAlive } from '../../runStore/readRun';
import { RunModel } from './runModel';

const SLICE_LINES = 2000;
const TAIL_BYTES = 16 * 1024;

/** Manifest and status of a run folder; reads only the end of the log. */
export async function readRunHeader(runDir: string): Promise<{ manifest: RunManifest; status: RunStatus; message?: string }> {
  const manifest = JSON.parse(await fs.promises.readFile(path.join(runDir, RUN_FILES.manifest), 'utf8')) as RunManifest;
  const end = await lastEndRecord(path.join(runDir, RUN_FILES.log));
  if (end) return { manifest, status: end.status, message: end.message };
  return { manifest, status: isTrainerAlive(manifest) ? 'running' : 'interrupted' };
}

/** The whole run as a tree model (batches, epochs, status). */
export async function loadRunModel(runDir: string): Promise<RunModel> {
  const header = await readRunHeader(runDir);
  const model = new RunModel(runDir, header.manifest, header.status);
  model.message = header.message;
  const logPath = path.join(runDir, RUN_FILES.log);
  const text = fs.existsSync(logPath) ? await fs.promises.readFile(logPath, 'utf8') : '';
  // Only newline-terminated lines count: a torn tail is a batch that was never completed.
  const lines = text.slice(0, text.lastIndexOf('\n') + 1).split('\n');
  for (let at = 0; at < lines.length; at += SLICE_LINES) {
    for (const line of lines.slice(at, at + SLICE_LINES)) {
      if (!line.trim()) continue;
      const record = JSON.parse(line) as LogRecord;
      if (record.t === 'batch') model.appendBatch(record);
      else if (record.t === 'epochEnd') model.endEpoch(record.epoch, record.meanLoss);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return model;
}

async function lastEndRecord(logPath: string): Promise<Extract<LogRecord, { t: 'end' }> | undefined> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(logPath, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const { line } = lastCompleteLine(buffer);
    if (!line || !isEndLine(line)) return undefined;
    return JSON.parse(line) as Extract<LogRecord, { t: 'end' }>;
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}
