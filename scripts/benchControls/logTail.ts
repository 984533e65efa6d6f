/**
 * A worker thread of benchControls.ts: tails a run's log.jsonl every 2 ms, independently of the
 * host's own follower, and reports when the trainer wrote each batch and each control record
 * (pause/resume state, manual reset, end). Times are absolute (performance.timeOrigin + now), so
 * the main thread can compare them with its own.
 */
import * as fs from 'fs';
import { parentPort, workerData } from 'worker_threads';

/** What the tail reports: a batch or a control record, with the time it was seen on disk. */
export interface TailEvent {
  t: string;
  at: number;
  step?: number;
  status?: string;
  cause?: string;
  atStep?: number;
  beforeStep?: number;
}

const POLL_MS = 2;
const logPath: string = (workerData as { logPath: string }).logPath;
const now = () => performance.timeOrigin + performance.now();
let fd: number | undefined;
let offset = 0;
let rest = '';

function look(): void {
  try {
    fd ??= fs.openSync(logPath, 'r');
  } catch {
    return; // not written yet
  }
  const size = fs.fstatSync(fd).size;
  if (size <= offset) return;
  const bytes = Buffer.alloc(size - offset);
  fs.readSync(fd, bytes, 0, bytes.length, offset);
  offset = size;
  const at = now();
  const lines = (rest + bytes.toString('utf8')).split('\n');
  rest = lines.pop() ?? '';
  const events: TailEvent[] = [];
  for (const line of lines) {
    // Batch lines are long: their type and step are near the start; parse only the short control lines.
    if (line.startsWith('{"t":"batch"')) {
      const step = /"step":(\d+)/.exec(line);
      if (step) events.push({ t: 'batch', at, step: Number(step[1]) });
      continue;
    }
    try {
      const record = JSON.parse(line) as TailEvent;
      if (record.t === 'state' || record.t === 'reset' || record.t === 'end') events.push({ ...record, at });
    } catch {
      // a line of another kind: not ours to read
    }
  }
  if (events.length) parentPort?.postMessage(events);
}

setInterval(look, POLL_MS);
