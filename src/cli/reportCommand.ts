/** `report <runDir> -o report.html`: one standalone HTML file of a saved run. */
import * as fs from 'fs';
import * as path from 'path';
import { renderReportHtml } from '../report/renderReport';

export function runReport(args: string[]): number {
  const outAt = Math.max(args.indexOf('-o'), args.indexOf('--out'));
  const runDir = args.find((arg, i) => !arg.startsWith('-') && i !== outAt + 1);
  if (!runDir || outAt === -1 || !args[outAt + 1]) throw new Error('usage: lstm-state-timeline report <runDir> -o report.html');
  if (!fs.existsSync(path.join(runDir, 'manifest.json'))) throw new Error(`${runDir} is not a run folder (no manifest.json)`);
  fs.writeFileSync(args[outAt + 1], renderReportHtml(runDir));
  console.log(`wrote ${args[outAt + 1]}`);
  return 0;
}
