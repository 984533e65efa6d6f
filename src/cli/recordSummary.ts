/** What `record` prints once the script has ended: per run the answer, causes, flags and pitfalls, and the `--json` summary. */
import { shownCauses, type CauseCounts } from '../shared/causes';
import { BATCH_FLAGS, type BatchFlag } from '../shared/runFormat';
import { readRun } from '../runStore/readRun';
import { answerForRun, countCauses, countFlags } from '../runStore/runSummary';
import { formatCounts } from './trainCommand';

/** The lint-style code of each flag (docs/run-format.md). */
export const FLAG_CODES: Record<BatchFlag, string> = { withGraph: 'PT001', fromEval: 'PT002', shuffledData: 'PT003' };

/** One recorded run as `train --json` describes a run, plus its flags and the module it recorded. */
export interface RunSummaryJson {
  backend: string;
  status: string;
  epochs: number | null;
  batchesPerEpoch: number | null;
  batches: number;
  resets: Record<string, number>;
  flags: Record<BatchFlag, number>;
  answer: string;
  runDir: string;
  module: string | null;
}

/** A finished run: its JSON summary, its counts by cause, and the pitfalls its log warns about. */
export interface RecordedRun {
  json: RunSummaryJson;
  counts: CauseCounts;
  warnings: string[];
}

/** Reads a run folder the recorder has finished writing. */
export function summariseRun(runDir: string): RecordedRun {
  const run = readRun(runDir);
  const counts = countCauses(run.batches);
  const flags = countFlags(run.batches);
  return {
    json: {
      backend: run.manifest.backend,
      status: run.status,
      epochs: run.manifest.epochs,
      batchesPerEpoch: run.manifest.batchesPerEpoch,
      batches: run.batches.length,
      // The trainer's six causes always, any other only when it occurred: the shape `train --json` has.
      resets: Object.fromEntries(shownCauses(counts).map((cause) => [cause, counts[cause]])),
      flags,
      answer: answerForRun(run),
      runDir,
      module: run.manifest.script?.module ?? null,
    },
    counts,
    warnings: run.warnings.map((w) => `warning ${w.code} [${w.field}]: ${w.message}`),
  };
}

/** The lines `record` prints for one run: as `train` prints its answer, with the flags and the pitfalls found. */
export function describeRun({ json, counts, warnings }: RecordedRun): string {
  const flagged = BATCH_FLAGS.filter((flag) => json.flags[flag] > 0);
  const flags = flagged.length
    ? flagged.map((flag) => `${flag} (${FLAG_CODES[flag]}) ${json.flags[flag]}`).join(', ')
    : 'none';
  return [
    `${json.module ?? 'run'}: ${json.answer}`,
    ...warnings,
    `resets by cause: ${formatCounts(counts)}`,
    `flags: ${flags}`,
    `run ${json.status}; saved in ${json.runDir}`,
  ].join('\n');
}
