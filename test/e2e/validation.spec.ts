// Keras's whole story (issue 11): a stateful config that validates after every epoch in Keras's
// shared mode and predicts on its validation data; the panel's answer tells what validation does to
// the state, and the Runs tree shows each epoch's validation and the carries across phases.
import { expect, test } from './fixtures';
import { collapseRow, expandRow, rowDescription } from './pages/tree';
import { runRow, runsViewRow, showRunsView } from './pages/runsView';
import { byTestId, ensurePanel, expectStatus, startTraining } from './pages/timelinePanel';

test.describe.configure({ mode: 'serial' });

test('LSTM: Start Training → validation-shared.lstm.json finishes', async ({ workbench: page }) => {
  await startTraining(page, 'validation-shared.lstm.json');
  await ensurePanel(page);
  await expectStatus(page, 'finished', 300_000);
});

test("the panel's answer: validation starts from training's state, and the next epoch from validation's", async ({
  workbench: page,
}) => {
  await expect(byTestId(page, 'answer-banner')).toHaveText(
    /validation \(15 batches\) starts from the state training left, and epochs 2–15 start from the state validation left \(Keras's behaviour\)/,
  );
});

test('the Runs tree: each epoch has its validation; epoch 2 starts from the validation batch of epoch 1', async ({
  workbench: page,
}) => {
  await showRunsView(page);
  await expandRow(await runRow(page, 'validation-shared', 'finished'));
  await expandRow(await runsViewRow(page, 'Epoch 1'));
  await expandRow(await runsViewRow(page, 'Validation'));
  await expect(rowDescription(await runsViewRow(page, 'Batch 1', /training batch 4 of epoch 1/))).toHaveText(
    /^carried ← training batch 4 of epoch 1/,
  );
  await collapseRow(await runsViewRow(page, 'Epoch 1'));
  await expandRow(await runsViewRow(page, 'Epoch 2'));
  await expect(rowDescription(await runsViewRow(page, 'Batch 1', /validation batch/))).toHaveText(
    /^carried ← validation batch 1 of epoch 1/,
  );
  await page.screenshot({ path: test.info().outputPath('validation-tree.png') });
  await collapseRow(await runRow(page, 'validation-shared'));
});
