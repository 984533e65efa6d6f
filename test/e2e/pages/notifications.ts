// Notifications: the toasts and the notification center.
import { expect, type Page } from '@playwright/test';
import { runCommand } from './commandPalette';

/** Waits for a notification whose text matches `pattern`; returns its text. */
export async function expectNotification(page: Page, pattern: RegExp, { timeout = 30_000 } = {}): Promise<string> {
  const shown = page.locator('.notifications-toasts .notification-toast, .notification-list-item-message');
  const hit = shown.filter({ hasText: pattern }).first();
  await expect(hit, `a notification matching ${pattern}`).toBeAttached({ timeout });
  return hit.innerText();
}

/** Clears all notifications, so that a later check does not see an old one. */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
}
