/** `export <runDir> --npy DIR`: NumPy files of a saved run. */
import * as fs from 'fs';
import * as path from 'path';
import { exportRunToNpy } from '../runStore/exportNpy';
import { parseCommandArgs, UsageError } from './commandArgs';

export const EXPORT_USAGE = 'lstm-state-timeline export <runDir> --npy DIR';

const SPEC = {
  name: 'export',
  usage: EXPORT_USAGE,
  options: { npy: { type: 'string' } },
  renamed: { out: '--npy DIR (the folder the .npy files go in)' },
  operands: { count: 1, what: 'run folder' },
} as const;

export function runExport(args: string[]): number {
  const { values, operands, help } = parseCommandArgs(args, SPEC);
  if (help) {
    console.log(`usage: ${EXPORT_USAGE}`);
    return 0;
  }
  const [runDir] = operands;
  if (values.npy === undefined)
    throw new UsageError('"export" needs --npy DIR: the folder to write the .npy files to', EXPORT_USAGE);
  if (!fs.existsSync(path.join(runDir, 'manifest.json')))
    throw new Error(`${runDir} is not a run folder (no manifest.json)`);
  const summary = exportRunToNpy(runDir, values.npy);
  console.log(
    `exported ${summary.batches} batches (${summary.capturedBatches} with full tensors) to ${summary.outDir}: ${summary.files.length} files`,
  );
  // A damaged run still exports; what could not be read is NaN in the arrays and named here (and in warnings.txt).
  for (const warning of summary.warnings) console.error(`warning: ${warning}`);
  return 0;
}
