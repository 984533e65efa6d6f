// The VS Code workbench as a whole: ready after load, reloading the window, activity-bar views.
import { expect, type Page } from '@playwright/test';
import { runCommand } from './commandPalette';

/**
 * Waits until the workbench is usable: `.monaco-workbench`, then an explorer row of `file`,
 * which proves the workspace folder is loaded (or, without `file`, the status bar).
 */
export async function waitForWorkbench(page: Page, file?: string, { timeout = 60_000 } = {}): Promise<void> {
  await expect(page.locator('.monaco-workbench')).toBeVisible({ timeout });
  const ready = file
    ? page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).first()
    : page.locator('.part.statusbar');
  await expect(ready).toBeVisible({ timeout });
}

/**
 * Reloads the window as a user would (Developer: Reload Window) and waits for the workbench.
 * The side bar keeps the view it showed, so the explorer may not be there to wait for.
 */
export async function reloadWindow(page: Page, { timeout = 60_000 } = {}): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout });
  await runCommand(page, 'Developer: Reload Window');
  await navigated;
  await waitForWorkbench(page, undefined, { timeout });
}

/** Opens a view container of the activity bar by its title (e.g. "LSTM State Timeline"). */
export async function openViewContainer(page: Page, title: string): Promise<void> {
  const item = page.locator(`.activitybar .action-item a[aria-label^="${title}"]`).first();
  await expect(item).toBeVisible({ timeout: 15_000 });
  const selected = await item.locator('xpath=..').getAttribute('aria-selected');
  const expanded = await item.getAttribute('aria-expanded');
  if (selected !== 'true' && expanded !== 'true') await item.click();
  await expect(page.locator('.part.sidebar')).toBeVisible();
}
