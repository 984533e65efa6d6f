/** `report <runDir> -o, --output FILE`: one standalone HTML file of a saved run. */
import * as fs from 'fs';
import * as path from 'path';
import { renderReportHtml } from '../report/renderReport';
import { parseCommandArgs, UsageError } from './commandArgs';

export const REPORT_USAGE = 'lstm-state-timeline report <runDir> -o, --output FILE';

const SPEC = {
  name: 'report',
  usage: REPORT_USAGE,
  options: { output: { type: 'string', short: 'o' } },
  renamed: { out: '-o, --output FILE (the HTML file to write)' },
  operands: { count: 1, what: 'run folder' },
} as const;

export function runReport(args: string[]): number {
  const { values, operands, help } = parseCommandArgs(args, SPEC);
  if (help) {
    console.log(`usage: ${REPORT_USAGE}`);
    return 0;
  }
  const [runDir] = operands;
  const output = values.output;
  if (output === undefined)
    throw new UsageError('"report" needs -o, --output FILE: the HTML file to write', REPORT_USAGE);
  if (!fs.existsSync(path.join(runDir, 'manifest.json')))
    throw new Error(`${runDir} is not a run folder (no manifest.json)`);
  fs.writeFileSync(output, renderReportHtml(runDir));
  console.log(`wrote ${output}`);
  return 0;
}
