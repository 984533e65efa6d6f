// Issue 14, targets 3 and 5: with a fast run streaming (hundreds of batches per second), Pause,
// Reset States Now and Stop from the palette, the panel's toolbar and the Runs tree are shown in
// the status bar and the panel, each use timed against one batch + 100 ms (+ the harness's share)
// and printed, and failed when not on screen within ACKNOWLEDGED_MS;
// and while the panel is visible, the run's progress is not a notification over it.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { openFile, runCommand } from './pages/commandPalette';
import { clearNotifications } from './pages/notifications';
import { runRow, showRunsView } from './pages/runsView';
import {
  POLL_MS,
  armInputClock,
  lastInputAt,
  panelFrame,
  panelManualResets,
  panelShows,
  statusBarResets,
  statusBarShows,
} from './pages/screenClock';
import { byTestId, ensurePanel, expectStatus, startTraining } from './pages/timelinePanel';
import { readHandover } from './settings';
import { runFolders } from './workspace';

test.describe.configure({ mode: 'serial' });

/**
 * The harness's own share of a measured latency: the page's polling (POLL_MS) and its frame.
 * Latencies start at the browser's own time of the press that issued the command (a capture-phase
 * listener), not when the test process asked Playwright to click (its actionability checks are not
 * the product's latency).
 */
const HARNESS_ALLOWANCE_MS = 50;
const ADDED_MS = 100;
/** Wall-clock time per batch of the run, measured from its log. */
let batchMs = 0;
const target = () => batchMs + ADDED_MS + HARNESS_ALLOWANCE_MS;

type Caller = 'palette' | 'panel' | 'tree';
const TITLES = {
  pause: 'Pause Training',
  resume: 'Resume Training',
  resetNow: 'Reset States Now',
  stop: 'Stop Training',
};
const TOOLBAR = {
  pause: 'action-pauseResume',
  resume: 'action-pauseResume',
  resetNow: 'action-resetNow',
  stop: 'action-stop',
};

/** Issues a control from a caller; resolves with the page's time of the press that issued it. */
async function issue(page: Page, caller: Caller, control: keyof typeof TITLES, runName: string): Promise<number> {
  const target = caller === 'panel' ? await panelFrame(page) : page;
  await armInputClock(target);
  await press(page, caller, control, runName);
  return lastInputAt(target);
}

/** The press (click, or Enter) that issues a control from a caller. */
async function press(page: Page, caller: Caller, control: keyof typeof TITLES, runName: string): Promise<number> {
  if (caller === 'palette') return runCommand(page, `LSTM: ${TITLES[control]}`);
  if (caller === 'panel') {
    const button = byTestId(page, TOOLBAR[control]);
    await expect(button).toBeEnabled();
    const at = Date.now();
    await button.click();
    return at;
  }
  const row = await runRow(page, runName);
  if (control === 'stop') {
    // The run row's inline Stop button.
    await row.hover();
    const stop = row.locator('.action-label[aria-label^="Stop Training"]');
    await expect(stop).toBeVisible();
    const at = Date.now();
    await stop.click();
    return at;
  }
  await row.click({ button: 'right' });
  const item = page.locator('.context-view .action-item', { hasText: TITLES[control] }).first();
  await expect(item).toBeVisible();
  const at = Date.now();
  await item.click();
  // A live tree re-renders under the menu: a click can land while it lays out. The item is
  // highlighted by then; Enter runs it.
  const menu = page.locator('.context-view .monaco-menu');
  if (
    !(await menu.waitFor({ state: 'hidden', timeout: 500 }).then(
      () => true,
      () => false,
    ))
  ) {
    await page.keyboard.press('Enter');
    await expect(menu).toBeHidden();
  }
  return at;
}

/** Batch records in the run's log now. */
function batchesWritten(logPath: string): number {
  return fs
    .readFileSync(logPath, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{"t":"batch"')).length;
}

let logPath = '';
/**
 * Every use is measured and printed against the target (one batch + 100 ms + the harness's share);
 * the bench (scripts/benchControls.ts) fails over it. Here, in a shared workbench whose renderer
 * also draws the streaming panel, the step fails when a use is not on screen within ACKNOWLEDGED_MS
 * (before issue 14: 3.5–26 s; fresh CI machines have shown up to 2.7 s for a first use), so that a
 * noisy machine does not turn a measurement into a coin toss.
 */
const ACKNOWLEDGED_MS = 5000;
const uses: Array<{ what: string; ms: number }> = [];
const check = (what: string, ms: number) => void uses.push({ what, ms });

/** Resolves with the time (polled every 5 ms by the test process) a log line matching `pattern` is appended from now on. */
function logShows(pattern: RegExp): Promise<number> {
  const from = fs.statSync(logPath).size;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const size = fs.statSync(logPath).size;
      if (size <= from) return;
      const buffer = Buffer.alloc(size - from);
      const fd = fs.openSync(logPath, 'r');
      fs.readSync(fd, buffer, 0, buffer.length, from);
      fs.closeSync(fd);
      if (!pattern.test(buffer.toString('utf8'))) return;
      clearInterval(timer);
      resolve(Date.now());
    }, 5);
  });
}

/** The extension's log file (its LogOutputChannel) in code-server's profile. */
function extensionLog(): string | undefined {
  const logs = path.join(readHandover().root, 'profile', 'user-data', 'logs');
  const found = fs.existsSync(logs)
    ? (fs.readdirSync(logs, { recursive: true }) as string[]).filter((f) => f.endsWith('LSTM State Timeline.log'))
    : [];
  return found.length ? path.join(logs, found.sort().at(-1)!) : undefined;
}

/** When the host logged sending `command` at or after `since` (its "<command> sent to" line), or NaN. */
async function hostSent(command: string, since: number): Promise<number> {
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    const file = extensionLog();
    const lines = file ? fs.readFileSync(file, 'utf8').split('\n') : [];
    for (const line of lines) {
      const match = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) \[info\] (\w+) sent to /.exec(line);
      // The log writes the host's local time; a time one ms before the click is its rounding.
      const at = match && match[3] === command ? new Date(`${match[1]}T${match[2]}`).getTime() : Number.NaN;
      if (at >= since - 1) return at;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Number.NaN;
}

async function report(what: string, command: string, clicked: number, applied: number, bar: number, panel: number) {
  const worst = Math.max(bar, panel) - clicked;
  const sent = await hostSent(command, clicked);
  console.log(
    `  ${what.padEnd(34)} host sent ${String(sent - clicked).padStart(5)} ms, trainer ${String(applied - clicked).padStart(5)} ms, status bar ${String(bar - clicked).padStart(5)} ms, panel ${String(panel - clicked).padStart(5)} ms  ` +
      `(target ${target().toFixed(0)} ms) ${worst <= target() ? 'ok' : 'OVER TARGET'}`,
  );
}

test('a fast run streams with its panel and the Runs view on screen; no progress notification over the panel', async ({
  workbench: page,
  scenario,
}) => {
  await startTraining(page, scenario.fast.file);
  await ensurePanel(page);
  await expectStatus(page, 'running', 120_000);
  // The Runs view lists the run once it exists.
  await showRunsView(page);
  const folder = runFolders(scenario.workspace).find((name) => name.endsWith(scenario.fast.name));
  expect(folder, 'the run folder').toBeDefined();
  logPath = path.join(scenario.workspace, '.lstm-runs', folder!, 'log.jsonl');
  const before = batchesWritten(logPath);
  const started = Date.now();
  await page.waitForTimeout(2000);
  batchMs = (Date.now() - started) / Math.max(1, batchesWritten(logPath) - before);
  console.log(
    `controls in the workbench: ${(1000 / batchMs).toFixed(0)} batches/s (one batch ${batchMs.toFixed(1)} ms); ` +
      `target one batch + ${ADDED_MS} ms + ${HARNESS_ALLOWANCE_MS} ms harness allowance (page polling every ${POLL_MS} ms and its frame; latencies from the browser's own time of the press) = ${target().toFixed(0)} ms`,
  );
  expect(batchMs, 'a fast run').toBeLessThan(20);
  // Target 5: the progress is in the status bar while the panel is visible, not a toast over it.
  await expect(page.locator('.notifications-toasts .notification-toast', { hasText: /LSTM: training/ })).toHaveCount(0);
});

for (const [index, caller] of (['palette', 'panel', 'tree'] as const).entries()) {
  test(`Pause and Reset States Now from the ${caller} are on screen, timed against one batch + 100 ms`, async ({
    workbench: page,
    scenario,
  }) => {
    if (caller === 'tree') await showRunsView(page);
    const use = index === 0 ? 'first' : 'later';
    // Pause: the status bar's pause icon and the panel's status.
    const frame = await panelFrame(page);
    let applied = logShows(/"t":"state","status":"paused"/);
    let bar = statusBarShows(page, { icon: 'debug-pause' });
    let panel = panelShows(frame, { status: 'paused' });
    let clicked = await issue(page, caller, 'pause', scenario.fast.name);
    await report(`${use} Pause from the ${caller}:`, 'pause', clicked, await applied, await bar, await panel);
    check(`${caller} Pause shown`, Math.max(await bar, await panel) - clicked);
    const resumed = panelShows(frame, { status: 'running' });
    await issue(page, caller, 'resume', scenario.fast.name);
    await resumed;
    await page.waitForTimeout(500);
    // Reset States Now: the status bar's resets count and the panel's manual resets.
    const [resets, manual] = [await statusBarResets(page), await panelManualResets(frame)];
    applied = logShows(/"t":"reset","cause":"manual"/);
    bar = statusBarShows(page, { resetsAbove: resets });
    panel = panelShows(frame, { manualAbove: manual });
    clicked = await issue(page, caller, 'resetNow', scenario.fast.name);
    await report(
      `${use} Reset States Now from the ${caller}:`,
      'resetNow',
      clicked,
      await applied,
      await bar,
      await panel,
    );
    check(`${caller} Reset States Now shown`, Math.max(await bar, await panel) - clicked);
  });
}

test('while the panel is hidden the progress is a notification with Cancel; shown again, it leaves', async ({
  workbench: page,
}) => {
  await clearNotifications(page);
  // Another editor over the panel in its group: the panel is hidden.
  await openFile(page, 'seed-stateless.lstm.json');
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /LSTM: training/ });
  await expect(toast).toBeVisible({ timeout: 15_000 });
  await expect(toast.getByRole('button', { name: /cancel/i })).toBeAttached();
  // Back to the panel: the notification gives way to the status bar's progress.
  await page
    .locator('.tabs-container .tab', { hasText: /^LSTM: fast-controls/ })
    .first()
    .click();
  await expect(toast).toHaveCount(0, { timeout: 15_000 });
  // Shown again, the webview loads anew: in code-server it may wait for the workbench's service worker (seen: 5–50 s).
  await expect(byTestId(page, 'run-status')).toBeAttached({ timeout: 60_000 });
});

test('Stop from the tree reaches the trainer and shows as stopped, timed against one batch + 100 ms', async ({
  workbench: page,
  scenario,
}) => {
  await showRunsView(page);
  const frame = await panelFrame(page);
  const applied = logShows(/"t":"end","status":"stopped"/);
  const bar = statusBarShows(page, { text: 'LSTM stopped' });
  const panel = panelShows(frame, { status: 'stopped' });
  const clicked = await issue(page, 'tree', 'stop', scenario.fast.name);
  await report('first Stop from the tree:', 'stop', clicked, await applied, await bar, await panel);
  check('Stop shown', Math.max(await bar, await panel) - clicked);
  await runRow(page, scenario.fast.name, 'stopped');
  const within = uses.filter((use) => use.ms <= target()).length;
  console.log(
    `  ${within} of ${uses.length} uses on screen within the target (${target().toFixed(0)} ms); slowest ${Math.max(...uses.map((u) => u.ms))} ms`,
  );
  expect(
    uses.filter((use) => !(use.ms <= ACKNOWLEDGED_MS)).map((use) => `${use.what} after ${use.ms} ms`),
    `uses not on screen within ${ACKNOWLEDGED_MS} ms`,
  ).toEqual([]);
});
