// Timeline panel benchmark, measured in Debian's chromium against the built webview (dist/webview.js):
//   1. first paint of a 1M-batch run (snapshot posted → timeline, loss curve and tables painted)     target < 300 ms
//      (and of a 100k-batch run, for comparison)
//   2. pan and zoom frame time on that run (drag with the mouse, zoomed in and at full zoom-out)      target < 16 ms
//   3. batch end → painted latency at 200 batches/s through the host's DeltaQueue (1000/60 ms, the
//      default lstmState.updateRateHz of 60), p95, with 1,000 and 1M batches before               target < 50 ms
//      and the webview's long tasks (> 50 ms) meanwhile                                           target: none
//   4. HTML report sizes: the seed runs (examples/.lstm-runs, from `npm run demo` or trained here; target ≤ 1 MB) and
//      synthetic runs of growing length, with the default tensor budget and with all their tensors
// Usage: node scripts/benchWebview.mjs [--json] [--batches N] [--reps N]   (after `npm run build`)
import { build } from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { chromium } from 'playwright-core';
import { lastJson, runCli } from './demoOutput.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argValue = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const BATCHES = argValue('--batches', 1_000_000);
const SMALL = 100_000;
const REPS = argValue('--reps', 3);
/** Live batches per second, and the DeltaQueue's interval: the host's default lstmState.updateRateHz (60). */
const LIVE_RATE = 200;
const UPDATE_RATE_HZ = 60;
const LIVE_SECONDS = 8;
const JSON_OUT = process.argv.includes('--json');

const bundle = path.join(root, 'dist/webview.js');
if (!fs.existsSync(bundle)) {
  console.error('dist/webview.js is missing: run `npm run build` first');
  process.exit(1);
}

// The host's real coalescing queue and snapshot packing, bundled for the page, so the numbers include them.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-bench-webview-'));
for (const [file, globalName] of [
  ['src/extension/panel/deltaQueue.ts', 'LstmDeltaQueue'],
  ['src/shared/batchColumns.ts', 'LstmColumns'],
]) {
  await build({
    entryPoints: [path.join(root, file)],
    bundle: true,
    format: 'iife',
    globalName,
    platform: 'browser',
    target: 'es2022',
    outfile: path.join(work, `${globalName}.js`),
    logLevel: 'warning',
  });
}

/**
 * Runs in the page: a run snapshot of `n` batches like the trainer records them (stateful,
 * epoch/schedule/manual resets), or only its batches from `from` on. Batches before `withRowsFrom` have
 * no sample indices (`rows`): a panel's snapshot columns leave them out anyway; a live delta's records carry them.
 */
function makeSnapshot(n, status, withRowsFrom = 0, from = 0) {
  const perEpoch = 100;
  const rows = 16;
  const batches = new Array(n - from);
  let seed = 1 + from;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let step = from; step < n; step++) {
    const batch = step % perEpoch;
    const cause =
      step === 0
        ? 'first'
        : step % 997 === 0
          ? 'manual'
          : batch === 0
            ? 'epoch'
            : step % 37 === 0
              ? 'schedule'
              : 'carried';
    const h0 = cause === 'carried' ? 0.5 + random() * 0.3 : 0;
    batches[step - from] = {
      t: 'batch',
      epoch: Math.floor(step / perEpoch),
      batch,
      step,
      phase: 'train',
      rowCount: rows,
      rows: step >= withRowsFrom ? Array.from({ length: rows }, (_, r) => batch * rows + r) : null,
      timesteps: null,
      rowSources: null,
      flags: [],
      dataContinues: null,
      loss: 1 / (1 + step * 0.0005) + random() * 0.05,
      cause,
      carriedFrom: cause === 'carried' ? step - 1 : null,
      meanNorms: [{ h0, c0: h0 * 1.2, h: 0.5 + random() * 0.3, c: 0.6 + random() * 0.3 }],
      normsOffset: step * 256,
      statesOffset: null,
      hiddenOffset: null,
      ms: 20,
    };
  }
  const epochs = Math.ceil(n / perEpoch);
  return {
    runDir: '/bench/run',
    status,
    manifest: {
      formatVersion: 2,
      runId: 'bench',
      name: 'bench',
      createdAt: new Date(0).toISOString(),
      writer: { name: 'trainer', version: '0' },
      backend: 'cpu',
      versions: { tfjs: '', node: '', product: '' },
      process: { pid: 0, hostname: '', startTicks: null },
      configPath: '/bench/bench.lstm.json',
      config: null,
      resolved: null,
      script: null,
      data: { samples: rows * perEpoch, timesteps: 20, features: 1, targets: 1, source: 'bench', saved: false },
      model: {
        kind: 'lstm',
        states: ['h', 'c'],
        stateful: true,
        layers: [{ name: 'layer 0', units: 16, cellUnits: 16, params: 0 }],
        head: { units: 1, params: 17 },
        totalParams: 0,
        recurrentActivation: 'sigmoid',
      },
      batchSize: rows,
      batchesPerEpoch: perEpoch,
      epochs: status === 'running' ? epochs * 2 : epochs,
      hiddenRows: [],
      hiddenLayers: [0],
      control: [],
    },
    batches,
    resets: [],
    epochLosses: [],
    warnings: [],
    answer: 'bench run',
  };
}

const page_html = `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="${pathToFileURL(path.join(root, 'dist/webview.css')).href}">
<script>
  window.acquireVsCodeApi = () => ({ postMessage() {}, getState: () => undefined, setState() {} });
  window.makeSnapshot = ${makeSnapshot.toString()};
  window.painted = [];
  // Registered before the panel's own listener, so it runs first: when a message was delivered.
  window.lastMessageAt = 0;
  addEventListener('message', () => (window.lastMessageAt = performance.now()));
  window.longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.longTasks.push({ start: e.startTime, ms: e.duration }); }).observe({ entryTypes: ['longtask'] });
  /** The ArrayBuffers of a snapshot's columns, to post them as VS Code's webview IPC sends them: as binary. */
  window.buffersOf = (columns) => Object.values(columns).filter((v) => ArrayBuffer.isView(v)).map((v) => v.buffer);
  addEventListener('lstm:painted', (e) => window.painted.push({ at: performance.now(), batches: e.detail.batches, ms: e.detail.ms }));
</script>
<script src="${pathToFileURL(path.join(work, 'LstmDeltaQueue.js')).href}"></script>
<script src="${pathToFileURL(path.join(work, 'LstmColumns.js')).href}"></script>
</head><body class="vscode-dark"><div id="root"></div>
<script src="${pathToFileURL(bundle).href}"></script></body></html>`;
const pageFile = path.join(work, 'bench.html');
fs.writeFileSync(pageFile, page_html);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  // expose-gc: the page builds the run's objects itself just before timing; their garbage is not the webview's cost.
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--js-flags=--expose-gc',
  ],
});

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const median = (values) => percentile(values, 50);
const round = (v) => Math.round(v * 10) / 10;
/** p50, p95 and max of a list of milliseconds, rounded for printing. */
const spread = (ms) => ({ p50Ms: round(median(ms)), p95Ms: round(percentile(ms, 95)), maxMs: round(Math.max(...ms)) });

async function freshPage() {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(pathToFileURL(pageFile).href);
  await page.waitForFunction(() => document.querySelector('[data-testid="timeline"]'));
  return page;
}

/**
 * Posts a snapshot built in the page, packed as the panel host packs it (typed-array columns without
 * the detail columns, done on the host side before posting, so not timed) and transferred as binary,
 * as VS Code's webview IPC sends typed arrays; returns ms from post to the end of the first frame that painted it.
 */
async function firstPaint(page, n, status) {
  return page.evaluate(
    ({ n, status, rate }) =>
      new Promise((resolve) => {
        const snapshot = window.makeSnapshot(n, status, n);
        const columns = LstmColumns.toColumns(snapshot.batches, { detail: false });
        snapshot.batches = [];
        gc();
        const t0 = performance.now();
        const onPaint = (e) => {
          if (e.detail.batches !== n) return;
          removeEventListener('lstm:painted', onPaint);
          const done = performance.now();
          resolve({ total: done - t0, delivery: window.lastMessageAt - t0, frame: e.detail.ms });
        };
        addEventListener('lstm:painted', onPaint);
        const message = { type: 'snapshot', protocolVersion: 4, snapshot, columns, updateRateHz: rate };
        window.postMessage(message, '*', window.buffersOf(columns));
      }),
    { n, status, rate: UPDATE_RATE_HZ },
  );
}

const results = {};
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
results.loadAtStart = load();
if (!JSON_OUT)
  console.log(`timeline panel bench: load average ${results.loadAtStart} (1, 5, 15 min) on ${os.cpus().length} cores`);

// 1. First paint, of the big run and of a 100k-batch one.
async function firstPaints(n, screenshot) {
  const paints = [];
  for (let rep = 0; rep < REPS; rep++) {
    const page = await freshPage();
    paints.push(await firstPaint(page, n, 'finished'));
    if (rep === 0 && screenshot) {
      fs.mkdirSync(path.join(root, 'test-artifacts/webview'), { recursive: true });
      await page.screenshot({ path: path.join(root, 'test-artifacts/webview/bench-first-paint.png') });
    }
    await page.close();
  }
  return {
    batches: n,
    medianMs: round(median(paints.map((p) => p.total))),
    maxMs: round(Math.max(...paints.map((p) => p.total))),
    messageDeliveryMs: round(median(paints.map((p) => p.delivery))),
    renderFrameMs: round(median(paints.map((p) => p.frame))),
    targetMs: 300,
  };
}
results.firstPaint = await firstPaints(BATCHES, true);
if (BATCHES > SMALL) results.firstPaintSmall = await firstPaints(SMALL, false);

// 2. Frames while the user moves the view: zoomed in to a third of the run, dragged across it with
//    the mouse; and at full zoom-out, the wheel zooming in and out by a notch, 60 times (every batch in view).
{
  const page = await freshPage();
  await firstPaint(page, BATCHES, 'finished');
  const box = await page.getByTestId('timeline').boundingBox();
  const y = box.y + 40;
  const painted = () => page.evaluate(() => window.painted.map((p) => p.ms));
  await page.mouse.move(box.x + box.width / 2, y);
  const zoomFrames = [];
  for (let pass = 0; pass < 60; pass++) {
    await page.evaluate(() => (window.painted = []));
    await page.mouse.wheel(0, pass % 2 ? 60 : -60);
    await page.waitForTimeout(30);
    zoomFrames.push(...(await painted()));
  }
  for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -250);
  await page.waitForTimeout(200);
  const frames = [];
  for (let pass = 0; pass < 4; pass++) {
    await page.evaluate(() => (window.painted = []));
    await page.mouse.move(box.x + box.width * 0.8, y);
    await page.mouse.down();
    for (let step = 1; step <= 60; step++)
      await page.mouse.move(box.x + box.width * 0.8 - step * 12 * (pass % 2 ? -1 : 1), y);
    await page.mouse.up();
    await page.waitForTimeout(100);
    frames.push(...(await painted()));
  }
  // What was measured, for a human to look at.
  const artifacts = path.join(root, 'test-artifacts/webview');
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, 'bench-panned.png') });
  results.pan = { batches: BATCHES, frames: frames.length, ...spread(frames), targetMs: 16 };
  results.zoomOut = { batches: BATCHES, frames: zoomFrames.length, ...spread(zoomFrames), targetMs: 16 };
  await page.close();
}

// 3. Live latency at LIVE_RATE batches/s: trainer event → DeltaQueue (host side, leading-edge throttle
//    at 1000/UPDATE_RATE_HZ ms) → postMessage → painted; the page's long tasks meanwhile.
async function liveLatency(history, seconds) {
  const page = await freshPage();
  await firstPaint(page, history, 'running');
  const measured = await page.evaluate(
    ({ history, seconds, rate, hz }) =>
      new Promise((resolve) => {
        const total = history + seconds * rate;
        // Only the live batches: building a million objects here would leave the page's heap to the GC meanwhile.
        const template = window.makeSnapshot(total + 1, 'running', history, history).batches;
        gc();
        // Tasks from here on: the page's own building of the batches above is not the webview's.
        const from = performance.now();
        const emitted = new Map();
        const latencies = [];
        let next = history;
        addEventListener('lstm:painted', (e) => {
          const now = performance.now();
          for (const [step, at] of emitted)
            if (step < e.detail.batches) {
              latencies.push(now - at);
              emitted.delete(step);
            }
        });
        const queue = new LstmDeltaQueue.DeltaQueue(
          (delta) => window.postMessage(delta, '*'),
          () => undefined,
          1000 / hz,
        );
        // A batch ends every 1000/rate ms: a timer catches up with the ones due (timers are not that exact).
        const start = performance.now();
        const timer = setInterval(() => {
          const due = Math.min(total, history + Math.floor(((performance.now() - start) * rate) / 1000));
          while (next < due) {
            const record = template[next - history];
            emitted.set(next, performance.now());
            next++;
            queue.push({
              type: 'delta',
              batches: [record],
              resets: [],
              epochLosses: [],
              status: 'running',
              answer: `after ${next}`,
            });
          }
          if (next >= total) {
            clearInterval(timer);
            setTimeout(
              () => resolve({ latencies, longTasks: window.longTasks.filter((t) => t.start >= from).map((t) => t.ms) }),
              300,
            );
          }
        }, 1000 / rate);
      }),
    { history, seconds, rate: LIVE_RATE, hz: UPDATE_RATE_HZ },
  );
  await page.close();
  return measured;
}
for (const history of [1_000, BATCHES]) {
  const { latencies, longTasks } = await liveLatency(history, LIVE_SECONDS);
  results[`latency${history === BATCHES ? 'Large' : 'Small'}`] = {
    historyBatches: history,
    ratePerSecond: LIVE_RATE,
    updateRateHz: UPDATE_RATE_HZ,
    batches: latencies.length,
    ...spread(latencies),
    targetP95Ms: 50,
    longTasksOver50Ms: longTasks.length,
    longestTaskMs: round(Math.max(0, ...longTasks)),
  };
}
results.loadAtEnd = load();

await browser.close();

// 4. Report sizes, with the report writer and the synthetic-run fixture bundled for Node.
{
  const entry = path.join(work, 'reportEntry.ts');
  fs.writeFileSync(
    entry,
    `export { renderReportHtml, REPORT_TENSOR_BUDGET_BYTES } from ${JSON.stringify(path.join(root, 'src/report/renderReport.ts'))};\n` +
      `export { writeSyntheticRun } from ${JSON.stringify(path.join(root, 'test/fixtures/syntheticRun.ts'))};\n`,
  );
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: path.join(work, 'report.mjs'),
    logLevel: 'warning',
  });
  const { renderReportHtml, writeSyntheticRun, REPORT_TENSOR_BUDGET_BYTES } = await import(
    pathToFileURL(path.join(work, 'report.mjs')).href
  );
  const size = (dir, budget) =>
    Buffer.byteLength(renderReportHtml(dir, { assetsDir: path.join(root, 'dist'), maxTensorBytes: budget }));
  const runsDir = path.join(root, 'examples/.lstm-runs');
  const seeds = {};
  for (const name of ['seed-stateful', 'seed-stateless']) {
    const latest = fs.existsSync(runsDir)
      ? fs
          .readdirSync(runsDir)
          .filter((d) => d.endsWith(`-${name}`))
          .sort()
          .at(-1)
      : undefined;
    // On a fresh checkout (no `npm run demo` yet) the seed config is trained here, as the demo does.
    const dir = latest
      ? path.join(runsDir, latest)
      : lastJson(await runCli(['train', `examples/${name}.lstm.json`, '--json'], { quiet: true })).runDir;
    seeds[name] = { bytes: size(dir, REPORT_TENSOR_BUDGET_BYTES), targetBytes: 1_000_000 };
  }
  const growth = [];
  for (const epochs of [15, 150, 1500]) {
    // The seed config's shape: 5 batches of 200 rows × 16 units per epoch.
    const dir = path.join(work, `synthetic-${epochs}`);
    writeSyntheticRun({
      dir,
      stateful: true,
      epochs,
      batchesPerEpoch: 5,
      batchSize: 200,
      units: [16],
      resets: 'epoch',
      timesteps: 20,
    });
    growth.push({
      batches: epochs * 5,
      defaultBudgetBytes: size(dir, REPORT_TENSOR_BUDGET_BYTES),
      allTensorsBytes: epochs <= 150 ? size(dir, Number.POSITIVE_INFINITY) : null,
    });
  }
  results.reports = { seeds, growth };
}
fs.rmSync(work, { recursive: true, force: true });

if (JSON_OUT) console.log(JSON.stringify(results));
else {
  // Every verdict goes through here: one over its target fails the bench (exit 1), as the host's benches do.
  const verdict = (met) => (met ? 'ok' : ((process.exitCode = 1), 'OVER TARGET'));
  const ok = (value, target) => verdict(value < target);
  const { firstPaint: fp, firstPaintSmall: fps, pan, zoomOut: zo, latencySmall: ls, latencyLarge: ll } = results;
  console.log(
    `timeline panel (chromium, built webview; load average ${results.loadAtStart} at the start, ${results.loadAtEnd} at the end):`,
  );
  for (const p of [fp, fps].filter(Boolean))
    console.log(
      `  first paint, ${p.batches} batches: median ${p.medianMs} ms (max ${p.maxMs}; message delivery ${p.messageDeliveryMs}, render frame ${p.renderFrameMs})  target < ${p.targetMs} ms  ${ok(p.medianMs, p.targetMs)}`,
    );
  console.log(
    `  pan frame time, zoomed in to a third of ${pan.batches} batches (${pan.frames} frames): p50 ${pan.p50Ms} ms, p95 ${pan.p95Ms} ms, max ${pan.maxMs} ms  target p95 < ${pan.targetMs} ms  ${ok(pan.p95Ms, pan.targetMs)}`,
  );
  console.log(
    `  zoom frame time at full zoom-out, ${zo.batches} batches (${zo.frames} frames): p50 ${zo.p50Ms} ms, p95 ${zo.p95Ms} ms, max ${zo.maxMs} ms  target p95 < ${zo.targetMs} ms  ${ok(zo.p95Ms, zo.targetMs)}`,
  );
  for (const l of [ls, ll]) {
    console.log(
      `  batch end → painted at ${l.ratePerSecond} batches/s, DeltaQueue every ${round(1000 / l.updateRateHz)} ms (updateRateHz ${l.updateRateHz}), ${l.historyBatches} batches before, ${l.batches} live: p50 ${l.p50Ms} ms, p95 ${l.p95Ms} ms, max ${l.maxMs} ms  target p95 < ${l.targetP95Ms} ms  ${ok(l.p95Ms, l.targetP95Ms)}`,
    );
    console.log(
      `    webview tasks > 50 ms meanwhile: ${l.longTasksOver50Ms} (longest ${l.longestTaskMs} ms)  target: none  ${verdict(l.longTasksOver50Ms === 0)}`,
    );
  }
  const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
  console.log('HTML report sizes:');
  for (const [name, seed] of Object.entries(results.reports.seeds))
    console.log(`  ${name}: ${mb(seed.bytes)}  target ≤ 1 MB  ${verdict(seed.bytes <= seed.targetBytes)}`);
  for (const g of results.reports.growth)
    console.log(
      `  synthetic, ${g.batches} batches of 200 × 16: ${mb(g.defaultBudgetBytes)} with the default tensor budget` +
        (g.allTensorsBytes
          ? `, ${mb(g.allTensorsBytes)} with every tensor (${Math.round(g.allTensorsBytes / g.batches)} bytes per batch)`
          : ''),
    );
}
