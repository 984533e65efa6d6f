// Scenario 6: editing help in the real editor: a lint warning on the right line in Problems, and
// the Start training CodeLens.
import { expect, test } from './fixtures';
import { openFile, runCommand } from './pages/commandPalette';

test('stateful + shuffle → LSTM001 on the shuffle line in Problems, and a Start training CodeLens', async ({
  workbench: page,
  scenario,
}) => {
  await openFile(page, 'shuffled-stateful.lstm.json');
  await expect(page.locator('.codelens-decoration', { hasText: /Start training/ }).first()).toBeVisible({
    timeout: 30_000,
  });
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  const marker = page.locator('.markers-panel .monaco-list-row', { hasText: 'LSTM001' }).first();
  await expect(marker).toBeVisible({ timeout: 30_000 });
  await expect(marker, 'LSTM001 on the line of the "shuffle" field').toContainText(`[Ln ${scenario.shuffleLine}, Col `);
});
