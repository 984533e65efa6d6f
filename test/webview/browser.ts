/** Drives Debian's chromium (never a downloaded browser) against the built webview in the test harness. */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readRun, type RunData } from '../../src/runStore/readRun';
import { batchDetailOf, snapshotOf } from '../../src/runStore/snapshot';
import { toColumns } from '../../src/shared/batchColumns';
import { WEBVIEW_PROTOCOL_VERSION, type FromWebview, type ToWebview } from '../../src/shared/channels/webviewChannel';
import type { RunStatus } from '../../src/shared/runFormat';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/webview');
const HARNESS = pathToFileURL(path.resolve(__dirname, 'harness.html')).href;

/** Headless chromium with the flags that keep it off the network. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The harness page with a fake host that serves `runDir` like the extension would. */
export interface HarnessPage {
  page: Page;
  run: RunData;
  /** Messages the webview posted, in order. */
  posted(): Promise<FromWebview[]>;
  post(message: ToWebview): Promise<void>;
  /** Posts and resolves after the frame that painted it. */
  postAndPaint(message: ToWebview): Promise<void>;
  /** Resolves after the next painted frame. */
  painted(): Promise<void>;
  screenshot(name: string): Promise<void>;
  /** Errors the page has thrown or logged so far. */
  errors: string[];
}

export interface HarnessOptions {
  width?: number;
  height?: number;
  /** Pretend the run has this status (e.g. `running`, to test live controls on a recorded run). */
  status?: RunStatus;
  /** UI state the webview finds in `getState()` (as after a reload). */
  state?: unknown;
  /** Runs in the page before the webview's script (e.g. to record what the canvases draw). */
  init?: () => void;
  /** Send the detail columns (rows, row sources, offsets) as a report does; the panel host leaves them out. */
  detailColumns?: boolean;
  /** Answer `requestBatch` this many ms late (to see what the panel shows meanwhile). */
  detailDelayMs?: number;
}

/** The tests drive dist/webview.js: fail clearly if it is older than its sources. */
function assertBuilt(): void {
  const bundle = path.resolve(__dirname, '../../dist/webview.js');
  if (!fs.existsSync(bundle)) throw new Error('dist/webview.js is missing: run `npm run build` first');
  const built = fs.statSync(bundle).mtimeMs;
  const sources = ['webview', 'media', 'src/shared'].flatMap((d) =>
    fs
      .readdirSync(path.resolve(__dirname, '../..', d), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.(ts|css)$/.test(e.name))
      .map((e) => path.join(e.parentPath, e.name)),
  );
  const stale = sources.filter((file) => fs.statSync(file).mtimeMs > built);
  if (stale.length) throw new Error(`dist/webview.js is older than ${stale[0]}: run \`npm run build\` first`);
}

/** The harness as a comparison panel: answers `ready` with the runs, as ComparePanel does. */
export interface CompareHarnessPage {
  page: Page;
  /** The state the page last kept with `setState`. */
  kept(): Promise<unknown>;
  /** Resolves after the next painted frame. */
  painted(): Promise<void>;
}

/** Opens the harness as the comparison of `runDirs`, with `state` as kept before a reload. */
export async function openCompareHarness(
  browser: Browser,
  runDirs: string[],
  options: { state?: unknown } = {},
): Promise<CompareHarnessPage> {
  assertBuilt();
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  const runs = runDirs.map((dir) => snapshotOf(readRun(dir)));
  await page.exposeFunction('__hostReceive', async (message: FromWebview) => {
    if (message.type !== 'ready') return;
    const reply: ToWebview = {
      type: 'compare',
      protocolVersion: WEBVIEW_PROTOCOL_VERSION,
      runs: runs.map((snapshot) => ({ snapshot: { ...snapshot, batches: [] }, columns: toColumns(snapshot.batches) })),
    };
    await page.evaluate((m) => window.postMessage(m, '*'), reply);
  });
  await page.addInitScript((state) => Object.assign(window, { __view: 'compare', __state: state }), options.state);
  await page.goto(HARNESS);
  await page
    .getByTestId('compare-run')
    .nth(runDirs.length - 1)
    .waitFor();
  if (errors.length) throw new Error(`page errors: ${errors.join('\n')}`);
  return {
    page,
    kept: () => page.evaluate(() => (window as unknown as { __state: unknown }).__state),
    painted: () =>
      page.evaluate(
        () => new Promise<void>((resolve) => window.addEventListener('lstm:painted', () => resolve(), { once: true })),
      ),
  };
}

/** Opens the harness, answers `ready` with the run's snapshot and `requestBatch` with `batchDetailOf`. */
export async function openHarness(
  browser: Browser,
  runDir: string,
  options: HarnessOptions = {},
): Promise<HarnessPage> {
  assertBuilt();
  const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  const run = readRun(runDir);
  const post = (message: ToWebview) => page.evaluate((m) => window.postMessage(m, '*'), message);
  await page.exposeFunction('__hostReceive', async (message: FromWebview) => {
    if (message.type === 'ready') {
      // As the panel host sends it: batches packed in typed-array columns, without the detail columns
      // (each batch's rows and row sources come with its BatchDetail.record).
      const snapshot = { ...snapshotOf(run), ...(options.status ? { status: options.status } : {}) };
      await post({
        type: 'snapshot',
        protocolVersion: WEBVIEW_PROTOCOL_VERSION,
        snapshot: { ...snapshot, batches: [] },
        columns: toColumns(snapshot.batches, { detail: options.detailColumns === true }),
      });
    } else if (message.type === 'requestBatch') {
      if (options.detailDelayMs) await new Promise((resolve) => setTimeout(resolve, options.detailDelayMs));
      try {
        await post({ type: 'batchDetail', inReplyTo: message.requestId, detail: batchDetailOf(run, message.step) });
      } catch (error) {
        await post({ type: 'error', inReplyTo: message.requestId, message: (error as Error).message });
      }
    }
  });
  if (options.init) await page.addInitScript(options.init);
  if (options.state) await page.addInitScript((state) => Object.assign(window, { __state: state }), options.state);
  await page.goto(HARNESS);
  await page
    .getByTestId('answer-banner')
    .filter({ hasText: /stateless|stateful|recorded/ })
    .waitFor();
  if (errors.length) throw new Error(`page errors: ${errors.join('\n')}`);
  return {
    page,
    run,
    errors,
    posted: () => page.evaluate(() => (window as unknown as { __posted: FromWebview[] }).__posted),
    post,
    postAndPaint: (message) =>
      page.evaluate(
        (m) =>
          new Promise<void>((resolve) => {
            window.addEventListener('lstm:painted', () => resolve(), { once: true });
            window.postMessage(m, '*');
          }),
        message,
      ),
    painted: () =>
      page.evaluate(
        () => new Promise<void>((resolve) => window.addEventListener('lstm:painted', () => resolve(), { once: true })),
      ),
    async screenshot(name) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
  };
}
