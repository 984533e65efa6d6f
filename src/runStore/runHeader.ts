/**
 * What a run list needs of a run without reading its whole log: the manifest, and the status from
 * the end of the log (its last line, if it is the end record) and the writer's liveness.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RUN_FILES, type EndRecord, type RunManifest, type RunStatus } from '../shared/runFormat';
import { readManifestAsync } from './manifest';
import { isWriterAlive, runStatus } from './runStatus';

const TAIL_BYTES = 64 * 1024;

/** A run's manifest and status, read cheaply. */
export interface RunHeader {
  runDir: string;
  manifest: RunManifest;
  status: RunStatus;
  end?: EndRecord;
}

export async function readRunHeader(runDir: string): Promise<RunHeader> {
  const manifest = await readManifestAsync(runDir);
  const tail = await readTail(path.join(runDir, RUN_FILES.log));
  const end = lastRecord(tail, 'end') as EndRecord | undefined;
  if (end) return { runDir, manifest, status: end.status, end };
  const state = lastRecord(tail, 'state') as { status?: string } | undefined;
  return {
    runDir,
    manifest,
    status: runStatus(undefined, state?.status === 'paused', isWriterAlive(manifest.process, runDir)),
  };
}

/** The last `count` bytes of a file (empty if it does not exist). */
export async function readTail(file: string, count = TAIL_BYTES): Promise<Buffer> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - count);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    return buffer;
  } finally {
    await handle.close();
  }
}

/** The last complete line of `tail` holding a record of kind `t`, parsed (the end record is always the last line). */
function lastRecord(tail: Buffer, t: 'end' | 'state'): unknown {
  const lines = tail
    .subarray(0, tail.lastIndexOf(0x0a) + 1)
    .toString('utf8')
    .split('\n');
  const pattern = new RegExp(`"t"\\s*:\\s*"${t}"`);
  for (let i = lines.length - 1; i >= 0; i--) {
    if (t === 'end' && i < lines.length - 2) return undefined;
    if (!pattern.test(lines[i])) continue;
    try {
      return JSON.parse(lines[i]);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
