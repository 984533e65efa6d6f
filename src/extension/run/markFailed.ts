/**
 * Appends a `failed` end record for a trainer that died without writing one, so the run
 * reads as failed (not interrupted) from its folder alone. Only called after the trainer
 * process has exited, so nobody else is writing the log.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isEndLine, lastCompleteLine } from '../../runStore/logTail';
import { RUN_FILES, type EndRecord } from '../../shared/runFormat';

const TAIL_BYTES = 64 * 1024;

/** Writes the end record unless the log already ends the run; drops a torn last line first. */
export function markRunFailed(runDir: string, message: string, log?: { warn(message: string): void }): boolean {
  const logPath = path.join(runDir, RUN_FILES.log);
  try {
    if (!fs.existsSync(logPath)) return false;
    const { tail, tailStart } = readTail(logPath);
    const { line: lastLine, newlineAt: lastNewline } = lastCompleteLine(tail);
    if (lastNewline < 0 && tailStart > 0) return false; // a last line longer than the window: leave it alone
    if (isEndLine(lastLine)) return false;
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
