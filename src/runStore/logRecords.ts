/**
 * One line of log.jsonl → one checked record. A reader never trusts what it reads: every field a
 * view uses is checked (types, offsets ≥ 0 and aligned, array lengths), numbers are decoded
 * (non-finite ones arrive as strings), and version-1 records get their version-2 defaults.
 * A line that fails a check is a problem that names its line, not an exception.
 */
import { CAUSES } from '../shared/causes';
import { isResetSchedule } from '../shared/config';
import {
  BATCH_FLAGS,
  PHASES,
  decodeNumber,
  type BatchFlag,
  type BatchRecord,
  type LogRecord,
  type MeanNorms,
  type Phase,
} from '../shared/runFormat';
const END_STATUSES = ['finished', 'stopped', 'failed'];
const RESET_RECORD_CAUSES = ['epoch', 'schedule', 'manual'];

/** A record, a reason the line is not one, or a kind this reader does not know (ignored). */
export type ParsedLine = { record: LogRecord } | { problem: string } | { unknown: string };

/** What a line is checked against: the run's number of layers and its format version. */
export interface LineContext {
  layers: number;
  formatVersion: number;
}

type Json = Record<string, unknown>;

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isOffset = (v: unknown): v is number => isCount(v) && (v as number) % 4 === 0;
const isText = (v: unknown): v is string => typeof v === 'string';

/** Parses and checks one complete log line (without its newline). */
export function parseLogLine(line: string, context: LineContext): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: 'is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'is not a JSON object' };
  const r = value as Json;
  switch (r.t) {
    case 'batch':
      return batch(r, context);
    case 'reset':
      return RESET_RECORD_CAUSES.includes(r.cause as string) &&
        isCount(r.beforeStep) &&
        isCount(r.epoch) &&
        isCount(r.batch)
        ? { record: r as unknown as LogRecord }
        : { problem: 'is a reset record with a bad cause, beforeStep, epoch or batch' };
    case 'epochEnd': {
      const meanLoss = decodeNumber(r.meanLoss ?? 'NaN');
      const v = r.validation as Json | undefined;
      const validation =
        v === undefined ? undefined : { meanLoss: decodeNumber(v?.meanLoss ?? 'NaN'), batches: v?.batches };
      const validationOk =
        validation === undefined || (validation.meanLoss !== undefined && isCount(validation.batches));
      return isCount(r.epoch) && meanLoss !== undefined && isCount(r.batches) && validationOk
        ? {
            record: {
              t: 'epochEnd',
              epoch: r.epoch,
              meanLoss,
              batches: r.batches,
              ...(validation ? { validation: validation as { meanLoss: number; batches: number } } : {}),
            },
          }
        : { problem: 'is an epochEnd record with a bad epoch, meanLoss or batches' };
    }
    case 'weights':
      return isText(r.point) &&
        isText(r.file) &&
        !r.file.split(/[\\/]/).includes('..') &&
        Array.isArray(r.tensors) &&
        r.tensors.every(
          (t: unknown) =>
            isText((t as Json)?.name) &&
            Array.isArray((t as Json).shape) &&
            ((t as Json).shape as unknown[]).every(isCount),
        )
        ? { record: r as unknown as LogRecord }
        : { problem: 'is a weights record with a bad point, file or tensor list' };
    case 'schedule':
      return isResetSchedule(r.schedule) && isCount(r.fromStep)
        ? { record: r as unknown as LogRecord }
        : { problem: 'is a schedule record with a bad schedule or fromStep' };
    case 'warning':
      return isText(r.code) && isText(r.message) && isText(r.field)
        ? { record: r as unknown as LogRecord }
        : { problem: 'is a warning record without code, message or field' };
    case 'state':
      return (r.status === 'paused' || r.status === 'running') && isCount(r.atStep)
        ? { record: r as unknown as LogRecord }
        : { problem: 'is a state record with a bad status or atStep' };
    case 'end':
      return END_STATUSES.includes(r.status as string) && isText(r.at) && (r.message === undefined || isText(r.message))
        ? { record: r as unknown as LogRecord }
        : { problem: 'is an end record with a bad status' };
    default:
      return { unknown: String(r.t) };
  }
}

function batch(r: Json, { layers, formatVersion }: LineContext): ParsedLine {
  const bad = (what: string): ParsedLine => ({ problem: `is a batch record with ${what}` });
  if (!isCount(r.step) || !isCount(r.epoch) || !isCount(r.batch)) return bad('a bad step, epoch or batch');
  // Version 2 may not know the sample indices (null), and then says how many rows there were.
  const rows = r.rows === null && formatVersion >= 2 ? null : r.rows;
  if (rows !== null && !(Array.isArray(rows) && rows.every(isCount))) return bad('a bad rows list (sample indices)');
  const rowCount = r.rowCount ?? rows?.length;
  if (!isCount(rowCount) || rowCount === 0 || (rows !== null && rowCount !== rows.length))
    return bad(`rowCount ${JSON.stringify(r.rowCount)} that does not match its ${rows ? rows.length : 'unknown'} rows`);
  const timesteps = r.timesteps ?? null;
  if (timesteps !== null && !(isCount(timesteps) && timesteps > 0))
    return bad(`timesteps ${JSON.stringify(timesteps)}`);
  // Version 1 wrote a non-finite loss as null; in version 2 null means "not known".
  const loss =
    r.loss === null || r.loss === undefined ? (formatVersion === 1 ? Number.NaN : null) : decodeNumber(r.loss);
  if (loss === undefined) return bad(`a loss of ${JSON.stringify(r.loss)}`);
  if (!CAUSES.includes(r.cause as never)) return bad(`an unknown cause ${JSON.stringify(r.cause)}`);
  const carriedFrom = r.carriedFrom ?? null;
  if (carriedFrom !== null && !(isCount(carriedFrom) && carriedFrom < r.step))
    return bad(`carriedFrom ${JSON.stringify(carriedFrom)}, which is not an earlier step`);
  const meanNorms = norms(r.meanNorms, layers);
  if (!meanNorms) return bad(`meanNorms that do not hold h0, c0, h, c for each of its ${layers} layers`);
  if (!isOffset(r.normsOffset))
    return bad(`normsOffset ${JSON.stringify(r.normsOffset)} (must be a byte offset ≥ 0, a multiple of 4)`);
  for (const key of ['statesOffset', 'hiddenOffset'] as const) {
    if (r[key] !== null && r[key] !== undefined && !isOffset(r[key]))
      return bad(`${key} ${JSON.stringify(r[key])} (must be null or a byte offset ≥ 0, a multiple of 4)`);
  }
  const phase = r.phase ?? 'train';
  if (!PHASES.includes(phase as Phase)) return bad(`an unknown phase ${JSON.stringify(r.phase)}`);
  const flags = r.flags ?? [];
  // Flags this reader does not know are dropped: they cannot be shown.
  if (!Array.isArray(flags) || !flags.every(isText)) return bad('a bad flags list');
  const rowSources = r.rowSources ?? null;
  if (
    rowSources !== null &&
    !(Array.isArray(rowSources) && rowSources.length === rowCount && rowSources.every((s) => s === null || isCount(s)))
  )
    return bad('a bad rowSources list');
  const dataContinues = r.dataContinues ?? null;
  if (dataContinues !== null && typeof dataContinues !== 'boolean') return bad('a bad dataContinues');
  const ms = decodeNumber(r.ms ?? 0);
  const record: BatchRecord = {
    t: 'batch',
    step: r.step,
    epoch: r.epoch,
    batch: r.batch,
    phase: phase as Phase,
    rowCount,
    rows,
    timesteps,
    loss,
    cause: r.cause as BatchRecord['cause'],
    carriedFrom,
    rowSources: rowSources as BatchRecord['rowSources'],
    flags: flags.filter((f): f is BatchFlag => BATCH_FLAGS.includes(f as BatchFlag)),
    dataContinues,
    meanNorms,
    normsOffset: r.normsOffset,
    statesOffset: (r.statesOffset ?? null) as number | null,
    hiddenOffset: (r.hiddenOffset ?? null) as number | null,
    ms: ms ?? 0,
  };
  return { record };
}

function norms(value: unknown, layers: number): MeanNorms[] | undefined {
  if (!Array.isArray(value) || value.length !== layers) return undefined;
  const out: MeanNorms[] = [];
  for (const entry of value) {
    if (typeof entry !== 'object' || entry === null) return undefined;
    // Version 1 wrote a non-finite norm as null.
    const [h0, c0, h, c] = (['h0', 'c0', 'h', 'c'] as const).map((k) =>
      (entry as Json)[k] === null ? Number.NaN : decodeNumber((entry as Json)[k] ?? 0),
    );
    if ([h0, c0, h, c].some((n) => n === undefined)) return undefined;
    out.push({ h0: h0!, c0: c0!, h: h!, c: c! });
  }
  return out;
}
