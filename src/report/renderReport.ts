/**
 * A saved run as one standalone HTML file: the webview bundle (JS and CSS) inlined, the run's
 * snapshot and batch details embedded, a CSP that forbids every network request.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { BatchDetail } from '../shared/channels/webviewChannel';
import { readRun, type RunData } from '../runStore/readRun';
import { batchDetailOf, snapshotOf } from '../runStore/snapshot';
import { appPage } from '../shared/htmlPage';

/** Default cap on the embedded batch details. */
export const REPORT_DETAIL_CAP_BYTES = 20 * 1024 * 1024;

export interface ReportOptions {
  /** Folder holding webview.js and webview.css (default: found beside this code or in dist/). */
  assetsDir?: string;
  /** Cap on the bytes of embedded batch details. */
  maxDetailBytes?: number;
}

/** The report's HTML for the run in `runDir`. */
export function renderReportHtml(runDir: string, options: ReportOptions = {}): string {
  const assets = findAssets(options.assetsDir);
  const run = readRun(runDir);
  const { details, note } = embeddedDetails(run, options.maxDetailBytes ?? REPORT_DETAIL_CAP_BYTES);
  const data = { snapshot: snapshotOf(run), details, note };
  // `<` escaped so no string in the data can close the script element.
  const json = JSON.stringify(data, roundFloat).replace(/</g, '\\u003c');
  const boot = "window.__LSTM_REPORT__ = JSON.parse(document.getElementById('lstm-report-data').textContent);";
  const js = assets.js.replace(/\/\/# sourceMappingURL=\S+\s*$/, '').replace(/<\/(script)/gi, '<\\/$1');
  const css = assets.css.replace(/\/\*# sourceMappingURL=\S+\s*\*\/\s*$/, '').replace(/<\/(style)/gi, '<\\/$1');
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  const csp = `default-src 'none'; script-src ${hash(boot)} ${hash(js)}; style-src ${hash(css)}; img-src data:; font-src data:`;
  const title = `${run.manifest.name} — LSTM State Timeline report`;
  return appPage({
    csp,
    title,
    head: `<meta name="generator" content="lstm-state-timeline">\n<style>${css}</style>`,
    scripts: `<script type="application/json" id="lstm-report-data">${json}</script>\n<script>${boot}</script>\n<script>${js}</script>`,
    bodyClass: 'lstm-report',
  });
}

/**
 * Details of every batch with tensors, in step order, until the cap; then norms only; then nothing.
 * `next` is left out: the report host rebuilds it from the following batch's detail (a third of the bytes).
 */
function embeddedDetails(run: RunData, cap: number): { details: Record<number, BatchDetail>; note?: string } {
  const details: Record<number, BatchDetail> = {};
  let bytes = 0;
  let tensors = 0;
  let embedded = 0;
  for (const batch of run.batches) {
    let detail: BatchDetail = batchDetailOf(run, batch.step, { next: false });
    let size = JSON.stringify(detail, roundFloat).length;
    const hasTensors = detail.layers.some((layer) => layer !== null);
    // Tensors get 80% of the cap so the norms of later batches still fit.
    if (hasTensors && bytes + size > cap * 0.8) {
      detail = { ...detail, layers: detail.layers.map(() => null), hidden: null };
      size = JSON.stringify(detail, roundFloat).length;
    } else if (hasTensors) tensors++;
    if (bytes + size > cap) break;
    details[batch.step] = detail;
    bytes += size;
    embedded++;
  }
  const captured = run.batches.filter((b) => b.statesOffset !== null).length;
  if (embedded === run.batches.length && tensors === captured) return { details };
  const mb = Math.round(cap / 1048576);
  return {
    details,
    note:
      `To stay under ${mb} MB this report embeds the full tensors of the first ${tensors} of ${captured} captured batches` +
      (embedded < run.batches.length
        ? ` and the per-row norms up to step ${embedded - 1}; later batches show their mean norms in the timeline only`
        : ' and the per-row norms of the rest') +
      '. Open the run folder in VS Code to inspect every batch.',
  };
}

/** Shortest decimal that reads back as the same float32 (tensors are float32), else 9 digits: equal values stay equal. */
function roundFloat(_key: string, value: unknown): unknown {
  if (typeof value !== 'number' || Number.isInteger(value) || !Number.isFinite(value)) return value;
  if (Math.fround(value) === value) {
    for (let digits = 6; digits < 9; digits++) {
      const short = Number(value.toPrecision(digits));
      if (Math.fround(short) === value) return short;
    }
  }
  return Number(value.toPrecision(9));
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
