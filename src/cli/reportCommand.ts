/** `report <runDir> [<runDir> …] -o, --output FILE`: one standalone HTML file of a saved run, or a comparison of several. */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { renderComparisonHtml, renderReportHtml } from '../report/renderReport';
import { UsageError } from './commandArgs';

export const REPORT_USAGE = 'lstm-state-timeline report <runDir> [<runDir> …] -o, --output FILE';

const OPTIONS = { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } } as const;

export function runReport(args: string[]): number {
  // A lenient pass first, to name an unknown or renamed option in our own words.
  const { tokens } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option' || Object.hasOwn(OPTIONS, token.name)) continue;
    throw new UsageError(
      token.name === 'out'
        ? `${token.rawName} is no longer an option of "report": use -o, --output FILE (the HTML file to write)`
        : `unknown option ${token.rawName} for "report"`,
      REPORT_USAGE,
    );
  }
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  if (values.help) {
    console.log(`usage: ${REPORT_USAGE}`);
    console.log(
      '  one run folder: its report; two or more: a comparison of them (loss curves, timelines, answers, config).',
    );
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('"report" takes one or more run folders, got none', REPORT_USAGE);
  const output = values.output;
  if (output === undefined)
    throw new UsageError('"report" needs -o, --output FILE: the HTML file to write', REPORT_USAGE);
  for (const runDir of positionals)
    if (!fs.existsSync(path.join(runDir, 'manifest.json')))
      throw new Error(`${runDir} is not a run folder (no manifest.json)`);
  const html = positionals.length > 1 ? renderComparisonHtml(positionals) : renderReportHtml(positionals[0]);
  fs.writeFileSync(output, html);
  console.log(`wrote ${output} (${(Buffer.byteLength(html) / 1048576).toFixed(2)} MB)`);
  return 0;
}
