// Scenario 7: your own PyTorch script. Start Training on a python config of the truncated-BPTT
// example runs it through the recorder (lstmState.pythonPath is /usr/bin/python3 in the user
// settings); the panel fills live from its run folder; Reset States Now lands as `manual` at the
// next call; Stop ends it `stopped`. The run folder on disk is checked for the same facts.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import { runCommand } from './pages/commandPalette';
import { runRow, showRunsView } from './pages/runsView';
import { byTestId, ensurePanel, expectStatus, manualResets, startTraining, summaryRows } from './pages/timelinePanel';

test.describe.configure({ mode: 'serial' });

const CONFIG = 'tbptt-slow.lstm.json';
/** The recorder names a run `<config name>-<module path>`. */
const RUN_NAME = 'tbptt-slow-model.lstm';

/** The example's log records, read from its run folder (the one run of the config's .lstm-runs). */
function logOf(workspace: string): Array<Record<string, unknown>> {
  const runsDir = path.join(workspace, 'pytorch', '.lstm-runs');
  const [runId] = fs.readdirSync(runsDir).filter((name) => name.endsWith(RUN_NAME));
  return fs
    .readFileSync(path.join(runsDir, runId, 'log.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .map((line) => JSON.parse(line));
}

test('LSTM: Start Training → the PyTorch truncated-BPTT example records, the panel fills live', async ({
  workbench: page,
  scenario,
}) => {
  // Slow enough to issue commands while it runs: 3000 epochs of 5 batches (stopped by the test).
  fs.writeFileSync(
    path.join(scenario.workspace, 'pytorch', CONFIG),
    `${JSON.stringify({ name: 'tbptt-slow', python: { script: 'tbptt_correct.py', args: ['3000'], stride: 200 } }, null, 2)}\n`,
  );
  await startTraining(page, CONFIG);
  await ensurePanel(page);
  await expectStatus(page, 'running', 120_000);
  // A recorded script's answer is read from the causes of its batches.
  await expect(byTestId(page, 'answer-banner')).toHaveText(/^recorded: carried row for row/, { timeout: 60_000 });
  // Live: the summary gains epochs while the script runs, each starting from `None` (auto), then carried.
  await expect
    .poll(async () => (await summaryRows(page)).length, { message: 'epochs in the panel', timeout: 60_000 })
    .toBeGreaterThanOrEqual(3);
  const first = (await summaryRows(page))[0];
  expect(first).toMatchObject({ auto: 1, carried: 4, manual: 0 });
  await showRunsView(page);
  await runRow(page, RUN_NAME, 'running');
});

test('LSTM: Reset States Now → the next call starts from zeros, recorded as manual', async ({
  workbench: page,
  scenario,
}) => {
  await runCommand(page, 'LSTM: Reset States Now');
  await expect
    .poll(async () => manualResets(await summaryRows(page)), { message: 'manual resets', timeout: 90_000 })
    .toBeGreaterThanOrEqual(1);
  expect(manualResets(await summaryRows(page)), 'manual resets').toBe(1);
  await expect(byTestId(page, 'run-status'), 'the run should still be running').toHaveText('running');
  // The run folder says the same: a manual reset record, and the batch it precedes started from zeros.
  const log = logOf(scenario.workspace);
  const resets = log.filter((r) => r.t === 'reset');
  expect(resets.map((r) => r.cause)).toEqual(['manual']);
  const manual = log.find((r) => r.t === 'batch' && r.step === resets[0].beforeStep) as {
    cause: string;
    meanNorms: Array<{ h0: number; c0: number }>;
  };
  expect(manual.cause).toBe('manual');
  expect(manual.meanNorms[0]).toMatchObject({ h0: 0, c0: 0 });
});

test('LSTM: Stop Training → stopped, from the end record in its folder', async ({ workbench: page, scenario }) => {
  await runCommand(page, 'LSTM: Stop Training');
  await expectStatus(page, 'stopped', 60_000);
  await showRunsView(page);
  await runRow(page, RUN_NAME, 'stopped');
  const end = logOf(scenario.workspace).find((r) => r.t === 'end');
  expect(end).toMatchObject({ status: 'stopped' });
  expect(manualResets(await summaryRows(page)), 'manual resets after the stop').toBe(1);
});
