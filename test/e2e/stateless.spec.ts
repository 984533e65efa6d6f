// Scenario 1: a stateless config, trained from the palette; the panel and the Runs tree show
// an automatic reset for every batch.
import { expect, test } from './fixtures';
import { collapseRow, expandRow, rowDescription } from './pages/tree';
import { runRow, runsViewRow, showRunsView } from './pages/runsView';
import { byTestId, ensurePanel, expectStatus, startTraining, summaryRows } from './pages/timelinePanel';

test.describe.configure({ mode: 'serial' });

test('LSTM: Start Training → seed-stateless.lstm.json finishes', async ({ workbench: page }) => {
  await startTraining(page, 'seed-stateless.lstm.json');
  await ensurePanel(page);
  await expectStatus(page, 'finished', 300_000);
});

test('the panel shows the run: an automatic reset for every batch of every epoch', async ({
  workbench: page,
  scenario: { stateless },
}) => {
  await expect(byTestId(page, 'answer-banner')).toHaveText(/^stateless:/);
  const everyEpoch = expect.objectContaining({ auto: stateless.batchesPerEpoch, manual: 0, carried: 0 });
  expect(await summaryRows(page)).toEqual(Array.from({ length: stateless.epochs }, () => everyEpoch));
  const box = await byTestId(page, 'timeline').boundingBox();
  expect(box?.width, 'timeline width').toBeGreaterThan(50);
  expect(box?.height, 'timeline height').toBeGreaterThan(10);
});

test('the Runs tree shows the run, its epochs and batches', async ({ workbench: page, scenario: { stateless } }) => {
  await showRunsView(page);
  await expandRow(await runRow(page, stateless.name, 'finished'));
  await runsViewRow(page, `Epoch ${stateless.epochs}`);
  await expandRow(await runsViewRow(page, 'Epoch 1'));
  for (let batch = 1; batch <= stateless.batchesPerEpoch; batch++) {
    await expect(rowDescription(await runsViewRow(page, `Batch ${batch}`))).toHaveText(/auto/);
  }
  await page.screenshot({ path: test.info().outputPath('runs-tree.png') }); // the tree expanded
  await collapseRow(await runRow(page, stateless.name));
});
