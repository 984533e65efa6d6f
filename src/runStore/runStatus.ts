/**
 * The one rule that decides a run's status (docs/run-format.md, "Status of a run"), and whether
 * its writer still lives. A pid alone is not trusted: pids are reused, so on Linux the process's
 * start time must match too; elsewhere a recent heartbeat must be there.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RUN_FILES, type EndRecord, type RunStatus, type WriterProcess } from '../shared/runFormat';

/** A heartbeat older than this means the writer is gone (writers rewrite it every ≤ 5 s). */
export const HEARTBEAT_STALE_MS = 15_000;

/** The status of a run from its end record, its last pause, and whether its writer lives. */
export function runStatus(
  end: Pick<EndRecord, 'status'> | undefined,
  paused: boolean,
  writerAlive: boolean,
): RunStatus {
  if (end) return end.status;
  if (!writerAlive) return 'interrupted';
  return paused ? 'paused' : 'running';
}

/** Field 22 of /proc/<pid>/stat (the process start time in clock ticks since boot), or null where there is no /proc. */
export function processStartTicks(pid: number): number | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[22 - 3]);
  return Number.isFinite(ticks) ? ticks : null;
}

/** Whether the process that wrote a run is still running (on this host). */
export function isWriterAlive(writer: WriterProcess, runDir: string, now = Date.now()): boolean {
  if (writer.hostname !== os.hostname()) return false;
  if (!pidExists(writer.pid)) return false;
  if (writer.startTicks !== null) {
    const ticks = processStartTicks(writer.pid);
    if (ticks !== null) return ticks === writer.startTicks;
  }
  return heartbeatAge(runDir, now) < HEARTBEAT_STALE_MS;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Milliseconds since the writer last touched its heartbeat (Infinity without one). */
function heartbeatAge(runDir: string, now: number): number {
  try {
    return now - fs.statSync(path.join(runDir, RUN_FILES.heartbeat)).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
