/**
 * What a run's log says, folded record by record: the one place that turns log lines into a
 * run's batches, resets, epochs and end. The whole-file reader (readRun.ts) and the host's
 * incremental follower both feed it, so they cannot disagree. A bad line is skipped with a
 * problem naming its line; it never stops the rest of the run from being read.
 */
import type {
  BatchRecord,
  EndRecord,
  EpochEndRecord,
  LogRecord,
  ResetRecord,
  RunManifest,
  ScheduleRecord,
  WarningRecord,
  WeightsRecord,
} from '../shared/runFormat';
import { parseLogLine } from './logRecords';

/** A line of the log that could not be used, and why. */
export interface LogProblem {
  line: number;
  step?: number;
  message: string;
}

/** Everything the log of a run says, grouped by kind. */
export interface RunLog {
  batches: BatchRecord[];
  resets: ResetRecord[];
  epochs: EpochEndRecord[];
  weights: WeightsRecord[];
  warnings: WarningRecord[];
  schedules: ScheduleRecord[];
  end: EndRecord | undefined;
  /** The last `state` record said paused (and no later one said running). */
  paused: boolean;
  /** Lines that were skipped, with why. */
  problems: LogProblem[];
}

export function emptyRunLog(): RunLog {
  return {
    batches: [],
    resets: [],
    epochs: [],
    weights: [],
    warnings: [],
    schedules: [],
    end: undefined,
    paused: false,
    problems: [],
  };
}

/** The log of a run without its batches: what a fold keeps beside wherever its batches go. */
export type LogFold = Omit<RunLog, 'batches'>;

/** Where a fold puts batches: an array (the whole-run readers) or the host's compact table. */
export interface BatchSink {
  readonly length: number;
  /** Batch `length`; `lineAt` is the byte offset of its line in the log, -1 for a placeholder of an unreadable line. */
  add(record: BatchRecord, lineAt: number): void;
}

/** Folds complete lines (without their newlines) into `log`; `firstLine` is the 1-based number of the first. Returns the records taken. */
export function foldLines(
  log: RunLog,
  manifest: RunManifest,
  lines: readonly string[],
  firstLine: number,
): LogRecord[] {
  const batches = log.batches;
  const sink: BatchSink = {
    get length() {
      return batches.length;
    },
    add: (record) => batches.push(record),
  };
  const taken: LogRecord[] = [];
  foldLinesInto(log, sink, manifest, lines, firstLine, undefined, (record) => taken.push(record));
  return taken;
}

/**
 * Folds complete lines into `log`, its batches into `batches`; `lineStarts[i]` is the byte offset of
 * line i (when the caller keeps where batches are). `onRecord` gets every record taken.
 */
export function foldLinesInto(
  log: LogFold,
  batches: BatchSink,
  manifest: RunManifest,
  lines: readonly string[],
  firstLine: number,
  lineStarts: ArrayLike<number> | undefined,
  onRecord: (record: LogRecord) => void,
): void {
  const context = { layers: manifest.model.layers.length, formatVersion: manifest.formatVersion };
  lines.forEach((text, i) => {
    if (!text.trim()) return;
    const line = firstLine + i;
    const parsed = parseLogLine(text, context);
    if ('unknown' in parsed) return;
    if ('problem' in parsed) {
      log.problems.push({ line, message: `line ${line} ${parsed.problem}; skipped` });
      return;
    }
    if (applyRecord(log, batches, parsed.record, line, lineStarts ? lineStarts[i] : -1)) onRecord(parsed.record);
  });
}

/** Adds one checked record; false (with a problem) when it cannot follow what came before. */
function applyRecord(log: LogFold, batches: BatchSink, record: LogRecord, line: number, lineAt: number): boolean {
  if (log.end) {
    log.problems.push({ line, message: `line ${line} comes after the run's end record; skipped` });
    return false;
  }
  switch (record.t) {
    case 'batch':
      if (record.step < batches.length) {
        log.problems.push({ line, step: record.step, message: `line ${line} repeats step ${record.step}; skipped` });
        return false;
      }
      // Steps whose lines could not be read keep their place, so every later batch stays where it was.
      while (batches.length < record.step) batches.add(unreadable(batches.length, record, line), -1);
      batches.add(record, lineAt);
      return true;
    case 'reset':
      log.resets.push(record);
      return true;
    case 'epochEnd':
      log.epochs.push(record);
      return true;
    case 'weights':
      log.weights.push(record);
      return true;
    case 'warning':
      log.warnings.push(record);
      return true;
    case 'schedule':
      log.schedules.push(record);
      return true;
    case 'state':
      log.paused = record.status === 'paused';
      return true;
    case 'end':
      log.end = record;
      log.paused = false;
      return true;
  }
}

/** A placeholder for step `step`, whose log line could not be read: placed in the epoch and phase of the batch after it. */
function unreadable(step: number, next: BatchRecord, line: number): BatchRecord {
  return {
    t: 'batch',
    step,
    epoch: next.epoch,
    batch: Math.max(0, next.batch - (next.step - step)),
    phase: next.phase,
    rowCount: 0,
    rows: null,
    timesteps: null,
    loss: null,
    cause: 'unreadable',
    carriedFrom: null,
    rowSources: null,
    flags: [],
    dataContinues: null,
    meanNorms: next.meanNorms.map(() => ({ h0: Number.NaN, c0: Number.NaN, h: Number.NaN, c: Number.NaN })),
    normsOffset: 0,
    statesOffset: null,
    hiddenOffset: null,
    ms: 0,
    unreadable: `its record (before line ${line} of the log) could not be read`,
  };
}

/**
 * Splits bytes read from a log into its complete lines and the bytes of a trailing incomplete
 * line (torn, or still being written). Works on bytes: a chunk may end inside a character.
 */
export function completeLines(bytes: Buffer): { lines: string[]; consumed: number } {
  const lastNewline = bytes.lastIndexOf(0x0a);
  if (lastNewline < 0) return { lines: [], consumed: 0 };
  const text = bytes.subarray(0, lastNewline).toString('utf8');
  return { lines: text.split('\n').map((line) => line.replace(/\r$/, '')), consumed: lastNewline + 1 };
}
