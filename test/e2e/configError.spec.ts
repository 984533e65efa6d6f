// Scenario 5: training a config with an error names the field, and leaves no run folder.
import { expect, test } from './fixtures';
import { clearNotifications, expectNotification } from './pages/notifications';
import { startTraining } from './pages/timelinePanel';
import { runFolders } from './workspace';

test('broken.lstm.json (batchSize 0) → an error naming training.batchSize, no run folder', async ({
  workbench: page,
  scenario,
}) => {
  await clearNotifications(page);
  const before = runFolders(scenario.workspace);
  await startTraining(page, 'broken.lstm.json');
  await expectNotification(page, /training\.batchSize/);
  // The absence of a run folder is only worth checking once one would have appeared: right after the start.
  await page.waitForTimeout(3000);
  expect(
    runFolders(scenario.workspace).filter((name) => !before.includes(name)),
    'new run folders',
  ).toEqual([]);
});
