/** `export <runDir> --npy DIR`: NumPy files of a saved run. */
import * as fs from 'fs';
import * as path from 'path';
import { exportRunToNpy } from '../runStore/exportNpy';

export function runExport(args: string[]): number {
  const npyAt = args.indexOf('--npy');
  const runDir = args.find((arg, i) => !arg.startsWith('--') && i !== npyAt + 1);
  if (!runDir || npyAt === -1 || !args[npyAt + 1]) throw new Error('usage: lstm-state-timeline export <runDir> --npy DIR');
  if (!fs.existsSync(path.join(runDir, 'manifest.json'))) throw new Error(`${runDir} is not a run folder (no manifest.json)`);
  const summary = exportRunToNpy(runDir, args[npyAt + 1]);
  console.log(`exported ${summary.batches} batches (${summary.capturedBatches} with full tensors) to ${summary.outDir}: ${summary.files.length} files`);
  return 0;
}
