/**
 * The channel between the extension host and a run-job worker (`worker_threads`, bundled as
 * dist/runJobs.js): heavy reads of whole run folders — a NumPy export, an HTML report — done
 * off the host's thread so the editor never blocks. One worker per job: the job goes in as
 * `workerData`, exactly one reply comes back.
 *
 *   host  --RunJob (workerData)-->  worker
 *   host  <--JobReply--             worker
 */
import { isNonNegativeInteger, isRecord, isString, unionChecker } from './check';

// ---------------------------------------------------------------- host -> worker

/** Export the run in `runDir` as NumPy files into `outDir` (src/runStore/exportNpy.ts). */
export interface ExportNpyJob {
  type: 'exportNpy';
  runDir: string;
  outDir: string;
}
/** Write the standalone HTML report of one run, or the comparison of several, to `outFile`. */
export interface ReportJob {
  type: 'report';
  runDirs: string[];
  outFile: string;
}

/** Host -> worker. */
export type RunJob = ExportNpyJob | ReportJob;

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);

export const isRunJob = unionChecker<RunJob>({
  exportNpy: (m) => isString(m.runDir) && isString(m.outDir),
  report: (m) => isStringArray(m.runDirs) && m.runDirs.length > 0 && isString(m.outFile),
});

// ---------------------------------------------------------------- worker -> host

/** What a NumPy export wrote. */
export interface ExportSummary {
  outDir: string;
  batches: number;
  /** Batches whose full tensors were within the capture budget (a prefix of the run). */
  capturedBatches: number;
  files: string[];
  /** What could not be exported, each naming the file and the step or line. */
  warnings: string[];
}

/** The export is written. */
export interface ExportedReply {
  type: 'exported';
  summary: ExportSummary;
}
/** The report is written: `bytes` long. */
export interface ReportedReply {
  type: 'reported';
  outFile: string;
  bytes: number;
}
/** The job failed; the message names the file (and line or step) at fault, as the direct call's error does. */
export interface JobFailedReply {
  type: 'failed';
  message: string;
}

/** Worker -> host. */
export type JobReply = ExportedReply | ReportedReply | JobFailedReply;

function isExportSummary(value: unknown): value is ExportSummary {
  return (
    isRecord(value) &&
    isString(value.outDir) &&
    isNonNegativeInteger(value.batches) &&
    isNonNegativeInteger(value.capturedBatches) &&
    isStringArray(value.files) &&
    isStringArray(value.warnings)
  );
}

export const isJobReply = unionChecker<JobReply>({
  exported: (m) => isExportSummary(m.summary),
  reported: (m) => isString(m.outFile) && isNonNegativeInteger(m.bytes),
  failed: (m) => isString(m.message),
});

/**
 * Where a job writes before its output is complete, renamed into place at the end: a stopped job
 * (cancelled, or its worker ended) leaves only this behind, which the runner removes — never a
 * half-written export or report under the name the user chose, nor a mix of an earlier export's
 * files and this one's.
 */
export function partialPath(target: string): string {
  return `${target}.partial`;
}
