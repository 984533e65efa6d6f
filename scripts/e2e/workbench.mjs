// playwright-core helpers that drive the VS Code workbench served by code-server in Debian's
// chromium, as a user would: the command palette, quick picks, the webview panel, the views.
// Never run `npx playwright install`: it downloads a browser; we use /usr/bin/chromium.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS_DIR = path.join(projectRoot, 'test-artifacts', 'e2e');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function chromiumPath() {
  const candidates = [process.env.LSTM_E2E_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((candidate) => candidate && fs.existsSync(candidate));
  if (!found) throw new Error('chromium not found: run scripts/e2e/installSystemDeps.sh (or set LSTM_E2E_CHROMIUM)');
  return found;
}

/** A persistent chromium context in a fresh profile folder; close with closeBrowser(). */
export async function launchBrowser({ headless = process.env.LSTM_E2E_HEADED !== '1' } = {}) {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  });
  context.setDefaultTimeout(30_000);
  context.__profileDir = profileDir;
  return context;
}

export async function closeBrowser(context) {
  if (!context) return;
  const profileDir = context.__profileDir;
  await context.close().catch(() => {});
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
}

/**
 * Waits until the workbench is usable: `.monaco-workbench`, then (if `file` is given) an
 * explorer row with that file name, which proves the workspace folder is loaded.
 */
export async function waitForWorkbench(page, { file, timeout = 60_000 } = {}) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
  if (file) {
    await page
      .locator('.explorer-folders-view .monaco-list-row', { hasText: file })
      .first()
      .waitFor({ state: 'visible', timeout });
  } else {
    await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout });
  }
}

/** Opens a new page on the workbench and waits for it. Returns the page. */
export async function openWorkbench(context, url, { file, timeout } = {}) {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await waitForWorkbench(page, { file, timeout });
  return page;
}

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The quick input's row whose label is exactly `label` (ignores keybindings, "recently used"...). */
function quickRow(page, label) {
  return page
    .locator(QUICK_ROWS)
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
    .first();
}

export async function closeQuickInput(page) {
  if (await page.locator(QUICK_INPUT).isVisible().catch(() => false)) {
    await page.keyboard.press('Escape');
    await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
  }
}

/**
 * Runs a command from the command palette by its title ("Category: Title"), as a user
 * would: F1, type, wait for the row, Enter. Commands contributed by an extension can be
 * missing for a few seconds after load, so it retries (Escape, F1 again).
 */
export async function runCommand(page, title, { attempts = 10, rowTimeout = 3000 } = {}) {
  let lastError;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await closeQuickInput(page);
      // Focus the workbench (not a webview iframe, which would swallow F1).
      await page.locator('.part.statusbar').click({ position: { x: 2, y: 2 } }).catch(() => {});
      await page.keyboard.press('F1');
      const input = page.locator(QUICK_INPUT_BOX);
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(`>${title}`);
      const row = quickRow(page, title);
      await row.waitFor({ state: 'visible', timeout: rowTimeout });
      // Make the wanted row the focused one, then accept it with Enter.
      await row.click();
      await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
      return;
    } catch (error) {
      lastError = error;
      await page.keyboard.press('Escape').catch(() => {});
      await page.waitForTimeout(Math.min(500 * attempt, 2000));
    }
  }
  throw new Error(`command "${title}" not found in the command palette after ${attempts} attempts: ${lastError?.message}`);
}

/**
 * Answers a quick pick that a command opened: types `text` (e.g. a config file name) and
 * picks the row whose label or description contains it.
 */
export async function pickQuickItem(page, text, { timeout = 15_000 } = {}) {
  const input = page.locator(QUICK_INPUT_BOX);
  await input.waitFor({ state: 'visible', timeout });
  // Still the command palette (its value starts with ">")? Wait for the command's own pick,
  // or typing a file name would turn the palette into Quick Open and open the file.
  const deadline = Date.now() + timeout;
  while (((await input.inputValue().catch(() => '')) ?? '').startsWith('>') && Date.now() < deadline) {
    await page.waitForTimeout(200);
  }
  await input.fill(text);
  const row = page.locator(QUICK_ROWS, { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout });
  await row.click();
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
}

/**
 * The content frame of a webview: two iframes deep (the workbench's `iframe.webview` host,
 * then the extension's `iframe#active-frame`). `index` picks among several webviews.
 */
export function webviewFrame(page, { index = 'last', visibleOnly = true } = {}) {
  let outer = page.locator('iframe.webview.ready');
  // Webviews of background tabs keep their iframe, hidden: prefer the one on screen.
  if (visibleOnly) outer = outer.filter({ visible: true });
  outer = index === 'last' ? outer.last() : index === 'first' ? outer.first() : outer.nth(index);
  return outer.contentFrame().frameLocator('iframe#active-frame');
}

/** Texts of the notifications currently shown (toasts and the notification center). */
export async function notificationTexts(page) {
  return page
    .locator('.notifications-toasts .notification-toast, .notification-list-item-message')
    .allInnerTexts()
    .catch(() => []);
}

/** Waits for a notification whose text matches `pattern`; returns its text. */
export async function waitForNotification(page, pattern, { timeout = 30_000 } = {}) {
  const deadline = Date.now() + timeout;
  let texts = [];
  while (Date.now() < deadline) {
    texts = await notificationTexts(page);
    const hit = texts.find((text) => pattern.test(text));
    if (hit) return hit;
    await page.waitForTimeout(300);
  }
  throw new Error(`no notification matching ${pattern} within ${timeout} ms; shown: ${JSON.stringify(texts)}`);
}

/** Clears all notifications (so a later check does not see an old one). */
export async function clearNotifications(page) {
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => {});
}

let shotCounter = 0;
/** Saves a full-page screenshot as test-artifacts/e2e/NN-name.png; returns its path. */
export async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  shotCounter += 1;
  const safe = name.replace(/[^a-z0-9._-]+/gi, '-').replace(/^-+|-+$/g, '');
  const file = path.join(ARTIFACTS_DIR, `${String(shotCounter).padStart(2, '0')}-${safe}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Reloads the window the way a user would (F1 → Developer: Reload Window). */
export async function reloadWindow(page, { file, timeout = 60_000 } = {}) {
  const navigated = page
    .waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout })
    .catch(() => {});
  await runCommand(page, 'Developer: Reload Window');
  await navigated;
  await waitForWorkbench(page, { file, timeout });
}

/** Opens a view container of the activity bar by its title (e.g. "LSTM State Timeline"). */
export async function openViewContainer(page, title) {
  const item = page.locator(`.activitybar .action-item a[aria-label^="${title}"]`).first();
  await item.waitFor({ state: 'visible', timeout: 15_000 });
  const checked = await item.locator('xpath=..').getAttribute('aria-selected').catch(() => null);
  const pressed = await item.getAttribute('aria-expanded').catch(() => null);
  if (checked !== 'true' && pressed !== 'true') await item.click();
  await page.locator('.part.sidebar').waitFor({ state: 'visible' });
}

/** Tree rows of a view in the side bar, by the view's title (e.g. "Runs"). */
export function treeRows(page, viewTitle) {
  const pane = page.locator('.part.sidebar .pane').filter({
    has: page.locator('.pane-header', { hasText: new RegExp(`^\\s*${escapeRegExp(viewTitle)}`, 'i') }),
  });
  return pane.locator('.monaco-list-row');
}

/** The label text of a tree row. */
export async function rowLabel(row) {
  return ((await row.locator('.label-name').first().textContent()) ?? '').trim();
}

/** The description text of a tree row ('' when it has none). */
export async function rowDescription(row) {
  const description = row.locator('.label-description').first();
  if ((await description.count()) === 0) return '';
  return ((await description.textContent()) ?? '').trim();
}

/**
 * Finds a row of a (virtualised) tree by its exact label, optionally its depth (`level`: 1 =
 * root) and a pattern its description must match. Scrolls the tree until the row is rendered.
 */
export async function findTreeRow(page, viewTitle, { label, level, description, timeout = 20_000 } = {}) {
  const rows = treeRows(page, viewTitle);
  let match = rows;
  if (label !== undefined) {
    const exact = label instanceof RegExp ? label : new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`);
    match = match.filter({ has: page.locator('.label-name', { hasText: exact }) });
  }
  if (level !== undefined) match = match.and(page.locator(`[aria-level="${level}"]`));
  if (description !== undefined) match = match.filter({ has: page.locator('.label-description', { hasText: description }) });
  const deadline = Date.now() + timeout;
  let previousTop = null;
  let direction = 1;
  for (;;) {
    if ((await match.count()) > 0) {
      const row = match.first();
      await row.scrollIntoViewIfNeeded().catch(() => {});
      return row;
    }
    if (Date.now() > deadline) {
      const seen = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label'))).catch(() => []);
      throw new Error(
        `no row ${JSON.stringify({ label: String(label), level, description: description && String(description) })} ` +
          `in view "${viewTitle}"; rendered rows: ${JSON.stringify(seen)}`,
      );
    }
    // Not rendered: scroll the list (it only renders the rows in view) and look again.
    const count = await rows.count();
    if (count > 0) {
      const top = await rows.first().getAttribute('aria-posinset').catch(() => null);
      if (top !== null && top === previousTop) direction = -direction; // reached one end: turn back
      previousTop = top;
      const box = await rows.first().boundingBox().catch(() => null);
      if (box) {
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.wheel(0, direction * 300);
      }
    }
    await page.waitForTimeout(250);
  }
}

/**
 * Expands a collapsed tree row (clicks its twistie) and waits until it is expanded. `row` is a
 * locator (re-resolved each time), since a live tree re-renders its rows while it updates.
 */
export async function expandRow(row, { timeout = 15_000 } = {}) {
  const deadline = Date.now() + timeout;
  let lastClick = 0;
  for (;;) {
    const expanded = await row.getAttribute('aria-expanded', { timeout: 2000 }).catch(() => null);
    if (expanded === 'true') return;
    if (Date.now() > deadline) throw new Error(`tree row did not expand (aria-expanded=${expanded})`);
    if (expanded === 'false' && Date.now() - lastClick > 1000) {
      lastClick = Date.now();
      await row.locator('.monaco-tl-twistie').click({ timeout: 2000 }).catch(() => {});
    }
    await row.page().waitForTimeout(150);
  }
}

/** Collapses an expanded tree row. */
export async function collapseRow(row) {
  if ((await row.getAttribute('aria-expanded')) === 'true') {
    await row.locator('.monaco-tl-twistie').click();
  }
}
