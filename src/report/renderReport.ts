/**
 * A saved run (or a comparison of runs) as one standalone HTML file: the webview bundle (JS and CSS)
 * inlined, the data embedded as JSON plus its arrays as one gzip-compressed binary blob (base64),
 * which the page decompresses with the browser's DecompressionStream; a CSP that forbids every
 * network request.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { toColumns } from '../shared/batchColumns';
import type { CompareRun } from '../shared/channels/webviewChannel';
import { packArrays } from '../shared/packedData';
import type { ReportPayload, RunReportPayload } from '../shared/reportPayload';
import { appPage } from '../shared/htmlPage';
import { readRun, type RunData } from '../runStore/readRun';
import { snapshotOf } from '../runStore/snapshot';
import { embedTensors } from './reportTensors';

/** Default budget for the embedded tensors (float32 bytes before compression): the seed runs' reports stay under 1 MB. */
export const REPORT_TENSOR_BUDGET_BYTES = 448 * 1024;

export interface ReportOptions {
  /** Folder holding webview.js and webview.css (default: found beside this code or in dist/). */
  assetsDir?: string;
  /** Budget for the embedded tensors, in float32 bytes. */
  maxTensorBytes?: number;
}

/** The report's HTML for the run in `runDir`. */
export function renderReportHtml(runDir: string, options: ReportOptions = {}): string {
  const run = readRun(runDir);
  const payload = runPayload(run, options.maxTensorBytes ?? REPORT_TENSOR_BUDGET_BYTES);
  return page(payload, `${run.manifest.name} — LSTM State Timeline report`, options.assetsDir);
}

/** The HTML of a comparison of the runs in `runDirs` (two or more). */
export function renderComparisonHtml(runDirs: readonly string[], options: ReportOptions = {}): string {
  const runs = runDirs.map((dir) => readRun(dir));
  const payload: ReportPayload = { kind: 'compare', runs: runs.map(compareRunOf) };
  return page(
    payload,
    `${runs.map((r) => r.manifest.name).join(' vs ')} — LSTM State Timeline comparison`,
    options.assetsDir,
  );
}

/** A run as a comparison shows it: its snapshot, its batches as columns. */
export function compareRunOf(run: RunData): CompareRun {
  const snapshot = snapshotOf(run);
  return { snapshot: { ...snapshot, batches: [] }, columns: toColumns(snapshot.batches) };
}

function runPayload(run: RunData, budget: number): RunReportPayload {
  const snapshot = snapshotOf(run);
  const embedded = embedTensors(run, budget);
  const notes: string[] = [];
  if (embedded.rows < embedded.maxRows)
    notes.push(`the first ${embedded.rows} of ${embedded.maxRows} rows of every batch`);
  if (embedded.embedded < embedded.captured)
    notes.push(
      `the tensors of the first ${embedded.embedded} of ${embedded.captured} captured batches (the rest: per-row norms)`,
    );
  const note = [
    notes.length
      ? `To stay small this report embeds ${notes.join(', and ')}. Open the run folder in VS Code to inspect everything.`
      : '',
    embedded.problems.length
      ? `Left out because they could not be read: ${embedded.problems.slice(0, 5).join('; ')}${embedded.problems.length > 5 ? ` and ${embedded.problems.length - 5} more` : ''}.`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    kind: 'run',
    snapshot: { ...snapshot, batches: [] },
    columns: toColumns(snapshot.batches),
    tensors: embedded.tensors,
    norms: embedded.norms,
    ...(note ? { note } : {}),
  };
}

function page(payload: ReportPayload, title: string, assetsDir: string | undefined): string {
  const assets = findAssets(assetsDir);
  const { json, bytes } = packArrays(payload);
  // `<` escaped so no string in the data can close the script element.
  const text = JSON.stringify(json).replace(/</g, '\\u003c');
  const blob = gzipSync(bytes, { level: 9 }).toString('base64');
  const js = assets.js.replace(/\/\/# sourceMappingURL=\S+\s*$/, '').replace(/<\/(script)/gi, '<\\/$1');
  const css = assets.css.replace(/\/\*# sourceMappingURL=\S+\s*\*\/\s*$/, '').replace(/<\/(style)/gi, '<\\/$1');
  const hash = (content: string) => `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;
  const csp = `default-src 'none'; script-src ${hash(js)}; style-src ${hash(css)}; img-src data:; font-src data:`;
  return appPage({
    csp,
    title,
    head: `<meta name="generator" content="lstm-state-timeline">\n<style>${css}</style>`,
    scripts:
      `<script type="application/json" id="lstm-report-data">${text}</script>\n` +
      `<script type="application/octet-stream" id="lstm-report-arrays" data-encoding="gzip+base64">${blob}</script>\n` +
      `<script>${js}</script>`,
    bodyClass: 'lstm-report',
  });
}

function findAssets(dir: string | undefined): { js: string; css: string } {
  const candidates = dir
    ? [dir]
    : [__dirname, path.resolve(__dirname, '../../dist'), path.resolve(__dirname, '../dist')];
  const found = candidates.find((candidate) => fs.existsSync(path.join(candidate, 'webview.js')));
  if (!found)
    throw new Error(
      `the webview bundle (webview.js) was not found in ${candidates.join(' or ')}; run \`npm run build\` first`,
    );
  const cssFile = path.join(found, 'webview.css');
  return {
    js: fs.readFileSync(path.join(found, 'webview.js'), 'utf8'),
    css: fs.existsSync(cssFile) ? fs.readFileSync(cssFile, 'utf8') : '',
  };
}
