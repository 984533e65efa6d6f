// The extension's timeline panel: a webview, whose content is two iframes deep.
import { expect, type FrameLocator, type Page } from '@playwright/test';
import { pickQuickItem, runCommand } from './commandPalette';

/**
 * The content of the webview on screen: the workbench's `iframe.webview` host, then the
 * extension's `iframe#active-frame`. Webviews of background tabs keep their (hidden) iframe.
 */
export function panel(page: Page): FrameLocator {
  return page
    .locator('iframe.webview.ready')
    .filter({ visible: true })
    .last()
    .contentFrame()
    .frameLocator('iframe#active-frame');
}

/** An element of the panel by its data-testid. */
export const byTestId = (page: Page, id: string) => panel(page).getByTestId(id).first();

/** Starts a run from the palette, picking `file` in the config quick pick. */
export async function startTraining(page: Page, file: string): Promise<void> {
  await runCommand(page, 'LSTM: Start Training');
  await pickQuickItem(page, file);
}

/** Waits for the panel of a run (opened by Start Training; else by LSTM: Open State Timeline). */
export async function ensurePanel(page: Page): Promise<void> {
  try {
    await expect(byTestId(page, 'run-status')).toBeAttached({ timeout: 20_000 });
  } catch {
    await runCommand(page, 'LSTM: Open State Timeline');
    await expect(byTestId(page, 'run-status')).toBeAttached({ timeout: 30_000 });
  }
}

/** Waits until the panel's run status is (or contains the word) `status`. */
export async function expectStatus(page: Page, status: string, timeout: number): Promise<void> {
  await expect(byTestId(page, 'run-status')).toHaveText(new RegExp(`(^|\\s)${status}(\\s|$)`, 'i'), { timeout });
}

/** Resets of one epoch by cause, as the summary table counts them. */
export interface EpochCounts {
  auto: number;
  manual: number;
  epoch: number;
  schedule: number;
  carried: number;
}

/** The summary table's body rows, one per epoch (the total row is in the tfoot). */
export function summaryRows(page: Page): Promise<EpochCounts[]> {
  return byTestId(page, 'summary-table')
    .locator('tbody tr:has([data-testid="count-auto"])')
    .evaluateAll((rows) =>
      rows.map((row) => {
        const count = (id: string): number => {
          const n = Number.parseInt((row.querySelector(`[data-testid="${id}"]`)?.textContent ?? '').trim(), 10);
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

/** Manual resets over all epochs of the summary table. */
export const manualResets = (rows: EpochCounts[]): number => rows.reduce((sum, row) => sum + row.manual, 0);
