// Trees of the side bar (virtualised lists: only the rows in view are rendered).
import { expect, type Locator, type Page } from '@playwright/test';
import { escapeRegExp } from './commandPalette';

/** The rows of a side-bar view, by the view's title (e.g. "Runs"). */
export function treeRows(page: Page, viewTitle: string): Locator {
  const header = page.locator('.pane-header', { hasText: new RegExp(`^\\s*${escapeRegExp(viewTitle)}`, 'i') });
  return page.locator('.part.sidebar .pane').filter({ has: header }).locator('.monaco-list-row');
}

/** The label of a tree row. */
export const rowLabel = (row: Locator): Locator => row.locator('.label-name').first();

/** The description of a tree row. */
export const rowDescription = (row: Locator): Locator => row.locator('.label-description').first();

interface RowQuery {
  /** The exact label, or a pattern. */
  label: string | RegExp;
  /** A pattern the description must match. */
  description?: RegExp;
  timeout?: number;
}

/**
 * A row of the view by its label (and description), scrolled into view. Scrolls the list up and
 * down until the row is rendered. The locator is re-resolved on use, as a live tree re-renders.
 */
export async function findTreeRow(
  page: Page,
  viewTitle: string,
  { label, description, timeout = 20_000 }: RowQuery,
): Promise<Locator> {
  const rows = treeRows(page, viewTitle);
  const exact = label instanceof RegExp ? label : new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`);
  let match = rows.filter({ has: page.locator('.label-name', { hasText: exact }) });
  if (description) match = match.filter({ has: page.locator('.label-description', { hasText: description }) });
  let previousTop: string | null = null;
  let direction = 1;
  await expect(async () => {
    if ((await match.count()) > 0) return;
    // Not rendered: scroll one step, turning back at either end, and look again.
    const first = rows.first();
    if ((await rows.count()) > 0) {
      const top = await first.getAttribute('aria-posinset');
      if (top !== null && top === previousTop) direction = -direction;
      previousTop = top;
      const box = await first.boundingBox();
      if (box) {
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.wheel(0, direction * 300);
      }
    }
    const seen = await rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('aria-label')));
    throw new Error(`no row ${exact} ${description ?? ''} in view "${viewTitle}"; rendered: ${JSON.stringify(seen)}`);
  }).toPass({ timeout, intervals: [250] });
  const row = match.first();
  await row.scrollIntoViewIfNeeded();
  return row;
}

/** Expands a tree row (clicks its twistie until it says it is expanded). */
export async function expandRow(row: Locator, { timeout = 15_000 } = {}): Promise<void> {
  await expect(async () => {
    if ((await row.getAttribute('aria-expanded', { timeout: 2000 })) === 'false') {
      await row.locator('.monaco-tl-twistie').click({ timeout: 2000 });
    }
    await expect(row).toHaveAttribute('aria-expanded', 'true', { timeout: 1000 });
  }).toPass({ timeout });
}

/** Collapses an expanded tree row. */
export async function collapseRow(row: Locator): Promise<void> {
  if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
}
