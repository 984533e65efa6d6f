#!/usr/bin/env node
// `npm run test:e2e`: the extension end to end in a real VS Code workbench (code-server in
// Debian's chromium, driven by playwright-core), from the command palette as a user would.
//
//   1. builds the .vsix (`npm run package`), 2. installs code-server if missing (cache outside
//   the project), 3. copies examples/ into a fresh temp workspace, 4. installs the .vsix into
//   a fresh code-server profile and opens the workspace, 5. runs the scenarios of issue 5 in
//   order, printing PASS/FAIL per step; screenshots go to test-artifacts/e2e/.
//
// Options: --vsix PATH (use this .vsix, skip the build), --keep (keep the temp workspace),
// env LSTM_E2E_HEADED=1 (visible browser), LSTM_E2E_CACHE (code-server cache folder).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildVsix, VSIX_PATH } from './buildVsix.mjs';
import { installExtension, killAllSync, listExtensions, makeProfile, startCodeServer } from './codeServer.mjs';
import { cacheRoot, ensureCodeServer } from './installCodeServer.mjs';
import { assert, createSteps, waitUntil } from './steps.mjs';
import * as wb from './workbench.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOTAL_TIMEOUT_MS = Number(process.env.LSTM_E2E_TIMEOUT_MS || 25 * 60_000);
const EXTENSION_ID = 'lstm-state-timeline.lstm-state-timeline';
const CONTAINER_TITLE = 'LSTM State Timeline';
const RUNS_VIEW = 'Runs';

function parseArgs(argv) {
  const args = { vsix: null, keep: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--vsix') args.vsix = path.resolve(argv[++i]);
    else if (argv[i] === '--keep') args.keep = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return args;
}

// ---------------------------------------------------------------------------------------
// Workspace

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

/** A fresh folder holding a copy of examples/ plus the configs the scenarios need. */
function makeWorkspace(root) {
  const workspace = path.join(root, 'workspace');
  // Saved runs of earlier demos are not part of the examples.
  fs.cpSync(path.join(projectRoot, 'examples'), workspace, { recursive: true, filter: (source) => path.basename(source) !== '.lstm-runs' });
  const stateful = readJson(path.join(workspace, 'seed-stateful.lstm.json'));
  const stateless = readJson(path.join(workspace, 'seed-stateless.lstm.json'));
  for (const config of [stateful, stateless]) delete config.$schema; // relative to examples/, not here

  // Slow enough to issue commands while it runs: 2000 epochs of 20 batches (stopped by the test).
  // No scheduled resets, so the only zero-state batches are the first one and the manual one.
  const slow = {
    ...stateful,
    name: 'slow-stateful',
    data: { ...stateful.data, samples: 4000, layout: 'continuous' },
    model: { ...stateful.model, stateful: true },
    training: { ...stateful.training, batchSize: 200, epochs: 2000, shuffle: false },
    resets: 'never',
    capture: { hiddenRows: [], inputs: false },
  };
  fs.writeFileSync(path.join(workspace, 'slow-stateful.lstm.json'), `${JSON.stringify(slow, null, 2)}\n`);

  // Invalid: batchSize must be >= 1.
  const broken = { ...stateless, name: 'broken', training: { ...stateless.training, batchSize: 0 } };
  fs.writeFileSync(path.join(workspace, 'broken.lstm.json'), `${JSON.stringify(broken, null, 2)}\n`);

  // Lint pitfall: a stateful layer with shuffling on (LSTM001 belongs on `training.shuffle`).
  const shuffled = { ...stateful, name: 'shuffled-stateful', training: { ...stateful.training, shuffle: true } };
  const shuffledText = `${JSON.stringify(shuffled, null, 2)}\n`;
  fs.writeFileSync(path.join(workspace, 'shuffled-stateful.lstm.json'), shuffledText);
  const shuffleLine = shuffledText.split('\n').findIndex((line) => line.includes('"shuffle"')) + 1;

  return {
    workspace,
    shuffleLine,
    stateless: { name: stateless.name ?? 'seed-stateless', epochs: stateless.training.epochs,
      batchesPerEpoch: Math.ceil(stateless.data.samples / stateless.training.batchSize) },
    slow: { name: slow.name },
  };
}

/** Names inside the workspace's run folder (.lstm-runs). */
function runFolders(workspace) {
  const dir = path.join(workspace, '.lstm-runs');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

// ---------------------------------------------------------------------------------------
// Panel (webview) helpers

const byTestId = (frame, id) => frame.locator(`[data-testid="${id}"]`);

async function panelText(page, id) {
  return ((await byTestId(wb.webviewFrame(page), id).first().textContent({ timeout: 2000 })) ?? '').trim();
}

/** Waits until the panel's run-status is `status`. */
async function waitForStatus(page, status, timeout) {
  let last = '';
  await waitUntil(
    async () => {
      last = await panelText(page, 'run-status');
      return last === status || last.toLowerCase().split(/\s+/).includes(status);
    },
    { timeout, describe: () => `run-status is "${last}", wanted "${status}"` },
  );
}

/** The summary table's body rows (one per epoch; the total row is in the tfoot): counts per cause, as numbers. */
async function summaryRows(page) {
  const table = byTestId(wb.webviewFrame(page), 'summary-table').first();
  return table.locator('tbody tr:has([data-testid="count-auto"])').evaluateAll((rows) =>
    rows.map((row) => {
      const count = (id) => {
        const cell = row.querySelector(`[data-testid="${id}"]`);
        const n = Number.parseInt((cell?.textContent ?? '').trim(), 10);
        return Number.isNaN(n) ? 0 : n;
      };
      return {
        auto: count('count-auto'),
        manual: count('count-manual'),
        epoch: count('count-epoch'),
        schedule: count('count-schedule'),
        carried: count('count-carried'),
      };
    }),
  );
}

/** The webview of the timeline panel exists (after Start Training or Open State Timeline). */
async function ensurePanel(page) {
  const visible = async () =>
    (await byTestId(wb.webviewFrame(page), 'run-status').count().catch(() => 0)) > 0;
  try {
    await waitUntil(visible, { timeout: 20_000 });
  } catch {
    await wb.runCommand(page, 'LSTM: Open State Timeline');
    await waitUntil(visible, { timeout: 30_000, describe: () => 'no [data-testid=run-status] in the panel' });
  }
}

/** Opens a workspace file in the editor through Quick Open. */
async function openFile(page, file) {
  await wb.closeQuickInput(page);
  await page.locator('.part.statusbar').click({ position: { x: 2, y: 2 } }).catch(() => {});
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 5000 });
  await input.fill(file);
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: file }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab[aria-label^="${file}"]`).first().waitFor({ state: 'visible', timeout: 15_000 });
}

/** Starts a training run from the palette, picking `file` in the config quick pick. */
async function startTraining(page, file) {
  await wb.runCommand(page, 'LSTM: Start Training');
  await wb.pickQuickItem(page, file);
}

// ---------------------------------------------------------------------------------------
// Tree helpers

async function showRunsView(page) {
  try {
    await wb.openViewContainer(page, CONTAINER_TITLE);
  } catch {
    await wb.runCommand(page, `${CONTAINER_TITLE}: Focus on ${RUNS_VIEW} View`);
  }
  await wb.treeRows(page, RUNS_VIEW).first().waitFor({ state: 'visible', timeout: 20_000 });
}

async function runRow(page, name, status) {
  const row = await wb.findTreeRow(page, RUNS_VIEW, { label: name, description: status ? new RegExp(status) : undefined });
  return row;
}

// ---------------------------------------------------------------------------------------

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const watchdog = setTimeout(() => {
    console.log(`FAIL e2e: took longer than ${TOTAL_TIMEOUT_MS / 1000} s; aborting`);
    killAllSync();
    process.exit(1);
  }, TOTAL_TIMEOUT_MS);
  watchdog.unref();

  fs.rmSync(wb.ARTIFACTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(wb.ARTIFACTS_DIR, { recursive: true });

  let page = null;
  let context = null;
  let server = null;
  const { step, summary } = createSteps({ page: () => page });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-e2e-'));
  let ws = null;
  const consoleLog = fs.createWriteStream(path.join(wb.ARTIFACTS_DIR, 'browser-console.log'));

  try {
    // ---- setup -------------------------------------------------------------------------
    const vsix = await step('build the .vsix (npm run package)', async () => {
      if (args.vsix) return args.vsix;
      const file = await buildVsix();
      return `${file} (${Math.round(fs.statSync(file).size / 1024)} KiB)`;
    }, { chain: 'setup', shot: false });
    const vsixPath = args.vsix ?? VSIX_PATH;

    await step('code-server installed', async () => {
      const t = Date.now();
      ensureCodeServer();
      return `cache ${cacheRoot()} (${((Date.now() - t) / 1000).toFixed(1)} s)`;
    }, { chain: 'setup', shot: false });

    ws = await step('workspace with the examples', async () => makeWorkspace(tmp), { chain: 'setup', shot: false });

    const profile = makeProfile({ baseDir: path.join(tmp, 'profile') });
    await step('install the .vsix into code-server', async () => {
      assert(vsix, 'no .vsix');
      installExtension(profile, vsixPath);
      const ids = listExtensions(profile);
      assert(ids.includes(EXTENSION_ID), `${EXTENSION_ID} not installed; installed: ${ids.join(', ') || 'none'}`);
      return ids.join(', ');
    }, { chain: 'setup', shot: false });

    server = await step('start code-server', async () =>
      startCodeServer({ folder: ws.workspace, profile, logPath: path.join(wb.ARTIFACTS_DIR, 'code-server.log') }),
    { chain: 'setup', shot: false });

    await step('open the workbench', async () => {
      context = await wb.launchBrowser();
      page = await context.newPage();
      page.on('console', (message) => consoleLog.write(`[${message.type()}] ${message.text()}\n`));
      page.on('pageerror', (error) => consoleLog.write(`[pageerror] ${error.message}\n`));
      const t = Date.now();
      await page.goto(server.url, { waitUntil: 'domcontentloaded' });
      await wb.waitForWorkbench(page, { file: 'seed-stateless.lstm.json' });
      return `code-server healthy after ${server.startMs} ms, workbench ready after ${Date.now() - t} ms`;
    }, { chain: 'setup' });

    if (!page) throw new Error('setup failed');

    // ---- 1. stateless seed config ------------------------------------------------------
    const s = ws.stateless;
    await step('stateless: LSTM: Start Training → seed-stateless.lstm.json', async () => {
      await startTraining(page, 'seed-stateless.lstm.json');
      await ensurePanel(page);
      await waitForStatus(page, 'finished', 300_000);
    }, { chain: 'stateless' });

    await step(`stateless: panel shows the run, ${s.batchesPerEpoch} automatic resets per epoch`, async () => {
      const banner = await panelText(page, 'answer-banner');
      assert(banner.startsWith('stateless:'), `answer-banner: "${banner}"`);
      const rows = await summaryRows(page);
      assert(rows.length === s.epochs, `summary table has ${rows.length} epoch rows, expected ${s.epochs}`);
      rows.forEach((row, i) => {
        assert(row.auto === s.batchesPerEpoch, `epoch ${i + 1}: count-auto ${row.auto}, expected ${s.batchesPerEpoch}`);
        assert(row.manual === 0 && row.carried === 0, `epoch ${i + 1}: ${JSON.stringify(row)}`);
      });
      const box = await byTestId(wb.webviewFrame(page), 'timeline').first().boundingBox();
      assert(box && box.width > 50 && box.height > 10, `timeline not drawn: ${JSON.stringify(box)}`);
      return banner;
    }, { chain: 'stateless' });

    await step('stateless: sidebar tree shows the run, its epochs and batches', async () => {
      await showRunsView(page);
      const run = await runRow(page, s.name, 'finished');
      await wb.expandRow(run);
      await wb.findTreeRow(page, RUNS_VIEW, { label: `Epoch ${s.epochs}` });
      const epoch1 = await wb.findTreeRow(page, RUNS_VIEW, { label: 'Epoch 1' });
      await wb.expandRow(epoch1);
      for (let b = 1; b <= s.batchesPerEpoch; b++) {
        const batch = await wb.findTreeRow(page, RUNS_VIEW, { label: `Batch ${b}` });
        const description = await wb.rowDescription(batch);
        assert(/auto/.test(description), `Batch ${b} description "${description}" does not mention auto`);
      }
      await wb.screenshot(page, 'stateless-tree');
      await wb.collapseRow(await runRow(page, s.name));
      return `run folders: ${runFolders(ws.workspace).join(', ')}`;
    }, { chain: 'stateless' });

    // ---- 2-4. stateful: manual reset, stop, reload ---------------------------------------
    let manualEpoch = 0;
    await step('stateful: LSTM: Start Training → slow-stateful.lstm.json (running)', async () => {
      const t0 = Date.now();
      await startTraining(page, 'slow-stateful.lstm.json');
      const t1 = Date.now();
      await ensurePanel(page);
      const t2 = Date.now();
      // A second webview in code-server can wait several seconds (up to ~50 s seen) for the web
      // workbench's service worker ("Found unexpected service worker controller … Waiting for
      // controllerchange" in the browser console) before its content loads; hence the long timeout.
      await waitForStatus(page, 'running', 120_000);
      const t3 = Date.now();
      const banner = await waitUntil(async () => {
        const text = await panelText(page, 'answer-banner');
        return text.startsWith('stateful:') ? text : null;
      }, { timeout: 60_000, describe: async () => `answer-banner: "${await panelText(page, 'answer-banner')}"` });
      return `${banner} (command ${t1 - t0} ms, panel ${t2 - t1} ms, running ${t3 - t2} ms, banner ${Date.now() - t3} ms)`;
    }, { chain: 'stateful' });

    await step('stateful: LSTM: Reset States Now → manual reset at the next batch (panel)', async () => {
      await wb.runCommand(page, 'LSTM: Reset States Now');
      const rows = await waitUntil(async () => {
        const r = await summaryRows(page);
        return r.reduce((sum, row) => sum + row.manual, 0) >= 1 ? r : null;
      }, { timeout: 90_000, describe: async () => `summary: ${JSON.stringify(await summaryRows(page).catch(() => []))}` });
      const total = rows.reduce((sum, row) => sum + row.manual, 0);
      assert(total === 1, `manual resets: ${total}, expected 1`);
      manualEpoch = rows.findIndex((row) => row.manual > 0) + 1;
      const status = await panelText(page, 'run-status');
      assert(status === 'running', `run-status "${status}" — the run should still be running`);
      return `manual reset in epoch ${manualEpoch}`;
    }, { chain: 'stateful' });

    await step('stateful: the manual reset is in the sidebar tree', async () => {
      await showRunsView(page);
      // Selecting the reset in the panel reveals it in the tree (selection is synced both ways).
      // Scrolling a live tree of hundreds of epochs instead is slow and flaky.
      const timeline = byTestId(wb.webviewFrame(page), 'timeline').first();
      await timeline.focus();
      await timeline.press('Home');
      await timeline.press(']'); // the next reset after the first batch: the manual one
      const selected = wb.treeRows(page, RUNS_VIEW).and(page.locator('.selected'));
      const row = await waitUntil(
        async () => ((await selected.count()) > 0 && /manual/.test(await wb.rowDescription(selected.first())) ? selected.first() : null),
        { timeout: 30_000, describe: async () => `selected tree rows: ${JSON.stringify(await selected.allTextContents())}` },
      );
      const epoch = await wb.findTreeRow(page, RUNS_VIEW, { label: `Epoch ${manualEpoch}` });
      assert((await epoch.getAttribute('aria-expanded')) === 'true', `Epoch ${manualEpoch} is not expanded around the revealed batch`);
      return `${await wb.rowLabel(row)}: ${await wb.rowDescription(row)}`;
    }, { chain: 'stateful' });

    await step('stateful: LSTM: Stop Training → stopped, batches stay inspectable', async () => {
      await wb.runCommand(page, 'LSTM: Stop Training');
      await waitForStatus(page, 'stopped', 60_000);
      await runRow(page, ws.slow.name, 'stopped');
      const rows = await summaryRows(page);
      assert(rows.length >= manualEpoch, `summary table has ${rows.length} rows after stop`);
      assert(rows.reduce((sum, row) => sum + row.manual, 0) === 1, 'manual count changed after stop');
      const batch = await wb.findTreeRow(page, RUNS_VIEW, { label: /^\s*Batch \d+\s*$/, description: /manual/ });
      await batch.click();
      const inspector = byTestId(wb.webviewFrame(page), 'inspector').first();
      await inspector.waitFor({ state: 'visible', timeout: 15_000 });
      return `${rows.length} epochs listed; inspector: ${((await inspector.textContent()) ?? '').trim().slice(0, 80)}`;
    }, { chain: 'stateful' });

    await step('stateful: reload the window → the panel comes back with the run', async () => {
      await wb.reloadWindow(page);
      await waitForStatus(page, 'stopped', 90_000);
      const banner = await panelText(page, 'answer-banner');
      assert(banner.startsWith('stateful:'), `answer-banner after reload: "${banner}"`);
      const rows = await summaryRows(page);
      assert(rows.reduce((sum, row) => sum + row.manual, 0) === 1, `summary after reload: ${JSON.stringify(rows)}`);
      await showRunsView(page);
      await runRow(page, ws.slow.name, 'stopped');
      await runRow(page, s.name, 'finished');
      return banner;
    }, { chain: 'stateful' });

    // ---- 5. a config with an error -----------------------------------------------------
    await step('error: broken.lstm.json → clear error message, no run folder', async () => {
      await wb.clearNotifications(page);
      const before = runFolders(ws.workspace);
      await startTraining(page, 'broken.lstm.json');
      const message = await wb.waitForNotification(page, /training\.batchSize/, { timeout: 30_000 });
      await page.waitForTimeout(3000); // a run folder would appear right after the start
      const after = runFolders(ws.workspace);
      const added = after.filter((name) => !before.includes(name));
      assert(added.length === 0, `run folder(s) created: ${added.join(', ')}`);
      return message.replace(/\s+/g, ' ').slice(0, 160);
    });

    // ---- 6. editing help --------------------------------------------------------------------
    await step('editing: stateful + shuffle → LSTM001 on `shuffle` in Problems, and a Start training CodeLens', async () => {
      await openFile(page, 'shuffled-stateful.lstm.json');
      const lens = page.locator('.codelens-decoration', { hasText: /Start training/ }).first();
      await lens.waitFor({ state: 'visible', timeout: 30_000 });
      await wb.runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
      const marker = page.locator('.markers-panel .monaco-list-row', { hasText: 'LSTM001' }).first();
      await marker.waitFor({ state: 'visible', timeout: 30_000 });
      const text = ((await marker.textContent()) ?? '').replace(/\s+/g, ' ');
      const at = /\[Ln (\d+), Col (\d+)\]/.exec(text);
      assert(at && Number(at[1]) === ws.shuffleLine, `LSTM001 at ${at?.[0] ?? '(no position)'}, expected line ${ws.shuffleLine} (the "shuffle" field): ${text}`);
      return text.slice(0, 160);
    });
  } catch (error) {
    console.log(`FAIL e2e: ${error?.stack ?? error}`);
  } finally {
    await wb.closeBrowser(context);
    if (server) await server.stop();
    consoleLog.end();
    // Keep the VS Code logs (extension host output, etc.) with the screenshots.
    const logs = path.join(tmp, 'profile', 'user-data', 'logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, path.join(wb.ARTIFACTS_DIR, 'vscode-logs'), { recursive: true });
  }

  const { line, failed, passed } = summary();
  const keep = args.keep || failed > 0;
  if (keep) console.log(`workspace kept for inspection: ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`artifacts: ${path.relative(process.cwd(), wb.ARTIFACTS_DIR) || wb.ARTIFACTS_DIR}`);
  console.log(`e2e finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(line);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  killAllSync();
  process.exit(1);
});
