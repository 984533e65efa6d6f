// The command palette and quick picks, used as a user would: F1, type, pick a row.
import { expect, type Page } from '@playwright/test';

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The quick input's row whose label is exactly `label` (not a keybinding or "recently used"). */
function quickRow(page: Page, label: string) {
  const exact = new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`);
  return page
    .locator(QUICK_ROWS)
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
    .first();
}

export async function closeQuickInput(page: Page): Promise<void> {
  if (await page.locator(QUICK_INPUT).isVisible()) {
    await page.keyboard.press('Escape');
    await page
      .locator(QUICK_INPUT)
      .waitFor({ state: 'hidden', timeout: 5000 })
      .catch(() => {});
  }
}

/** Opens the quick input with `text` typed in: a command with a leading ">", else Quick Open. */
async function openPalette(page: Page, text: string): Promise<void> {
  await closeQuickInput(page);
  // Focus the workbench, not a webview iframe, which would swallow F1.
  await page
    .locator('.part.statusbar')
    .click({ position: { x: 2, y: 2 } })
    .catch(() => {});
  await page.keyboard.press('F1');
  const input = page.locator(QUICK_INPUT_BOX);
  await expect(input).toBeVisible({ timeout: 5000 });
  await input.fill(text);
}

/**
 * Runs a command by its title ("Category: Title"). An extension's commands can be missing for a
 * few seconds after the window loads, so it tries again (Escape, F1 again) until they are there.
 * Resolves with the time (Date.now()) its row was clicked.
 */
export async function runCommand(page: Page, title: string, { timeout = 45_000 } = {}): Promise<number> {
  let clickedAt = 0;
  await expect(async () => {
    try {
      await openPalette(page, `>${title}`);
      const row = quickRow(page, title);
      await expect(row).toBeVisible({ timeout: 3000 });
      clickedAt = Date.now();
      await row.click();
    } catch (error) {
      await page.keyboard.press('Escape');
      throw error;
    }
  }, `command "${title}" in the command palette`).toPass({ timeout, intervals: [500, 1000, 2000] });
  await page
    .locator(QUICK_INPUT)
    .waitFor({ state: 'hidden', timeout: 5000 })
    .catch(() => {});
  return clickedAt;
}

/** Answers the quick pick a command opened: types `text` and picks the first row containing it. */
export async function pickQuickItem(page: Page, text: string, { timeout = 15_000 } = {}): Promise<void> {
  const input = page.locator(QUICK_INPUT_BOX);
  await expect(input).toBeVisible({ timeout });
  // While it is still the palette (value ">..."), typing a file name would turn it into Quick Open.
  await expect(input).not.toHaveValue(/^>/, { timeout });
  await input.fill(text);
  const row = page.locator(QUICK_ROWS, { hasText: text }).first();
  await row.click({ timeout });
  await page
    .locator(QUICK_INPUT)
    .waitFor({ state: 'hidden', timeout: 5000 })
    .catch(() => {});
}

/** Opens a workspace file in the editor through Quick Open and waits for its tab. */
export async function openFile(page: Page, file: string): Promise<void> {
  await openPalette(page, file);
  const row = page.locator(QUICK_ROWS, { hasText: file }).first();
  await expect(row).toBeVisible({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await expect(page.locator(`.tabs-container .tab[aria-label^="${file}"]`).first()).toBeVisible({ timeout: 15_000 });
}
