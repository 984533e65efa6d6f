/**
 * Appends a `failed` end record for a trainer that died without writing one, so the run
 * reads as failed (not interrupted) from its folder alone. Only called after the trainer
 * process has exited, so nobody else is writing the log.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RUN_FILES, type EndRecord } from '../../shared/runFormat';

const TAIL_BYTES = 64 * 1024;

/** Writes the end record unless the log already ends the run; drops a torn last line first. */
export function markRunFailed(runDir: string, message: string, log?: { warn(message: string): void }): boolean {
  const logPath = path.join(runDir, RUN_FILES.log);
  try {
    if (!fs.existsSync(logPath)) return false;
    const { tail, tailStart } = readTail(logPath);
    // Work on bytes: the window may start inside a multi-byte character.
    const lastNewline = tail.lastIndexOf(0x0a);
    if (lastNewline < 0 && tailStart > 0) return false; // a last line longer than the window: leave it alone
    const previousNewline = lastNewline > 0 ? tail.lastIndexOf(0x0a, lastNewline - 1) : -1;
    const lastLine = tail.subarray(previousNewline + 1, Math.max(lastNewline, 0)).toString('utf8');
    if (/"t"\s*:\s*"end"/.test(lastLine)) return false;
    // A torn line would merge with ours into one unreadable line: cut it off.
    const keep = tailStart + lastNewline + 1;
    if (keep < tailStart + tail.length) fs.truncateSync(logPath, keep);
    const record: EndRecord = { t: 'end', status: 'failed', at: new Date().toISOString(), message };
    fs.appendFileSync(logPath, `${JSON.stringify(record)}\n`);
    return true;
  } catch (error) {
    log?.warn(`could not mark ${runDir} as failed: ${(error as Error).message}`);
    return false;
  }
}

function readTail(file: string): { tail: Buffer; tailStart: number } {
  const size = fs.statSync(file).size;
  const tailStart = Math.max(0, size - TAIL_BYTES);
  const tail = Buffer.alloc(size - tailStart);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, tail, 0, tail.length, tailStart);
  } finally {
    fs.closeSync(fd);
  }
  return { tail, tailStart };
}
