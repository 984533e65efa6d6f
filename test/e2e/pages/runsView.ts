// The extension's Runs view in its activity-bar container.
import { expect, type Locator, type Page } from '@playwright/test';
import { runCommand } from './commandPalette';
import { findTreeRow, treeRows } from './tree';
import { openViewContainer } from './workbench';

const CONTAINER_TITLE = 'LSTM State Timeline';
export const RUNS_VIEW = 'Runs';

/** Shows the Runs view and waits for its first row. */
export async function showRunsView(page: Page): Promise<void> {
  try {
    await openViewContainer(page, CONTAINER_TITLE);
  } catch {
    await runCommand(page, `${CONTAINER_TITLE}: Focus on ${RUNS_VIEW} View`);
  }
  await expect(treeRows(page, RUNS_VIEW).first()).toBeVisible({ timeout: 20_000 });
}

/** The row of the run named `name`, whose description contains `status` if given. */
export function runRow(page: Page, name: string, status?: string): Promise<Locator> {
  return findTreeRow(page, RUNS_VIEW, { label: name, description: status ? new RegExp(status) : undefined });
}

/** A row of the Runs view (an epoch, a batch...). */
export function runsViewRow(page: Page, label: string | RegExp, description?: RegExp): Promise<Locator> {
  return findTreeRow(page, RUNS_VIEW, { label, description });
}
