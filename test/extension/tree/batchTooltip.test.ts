/**
 * The Runs tree's batch tooltip on a real trainer run (trained by the built CLI): a carried batch
 * says where its state comes from and, as its own fact, whether row i's data continues — read
 * against log.jsonl. A state carried into data that does not continue must not read as "row i
 * continues row i".
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import * as vscode from 'vscode';
import { RunRepository } from '../../../src/extension/runs/runRepository';
import { RunsTreeProvider } from '../../../src/extension/tree/runsTreeProvider';
import type { RunsTreeNode } from '../../../src/extension/tree/treeNodes';
import { MemoryLog, tempWorkspace } from '../helpers';

const cli = path.resolve(__dirname, '../../../dist/cli.js');

let provider: RunsTreeProvider | undefined;
let repository: RunRepository | undefined;
afterEach(() => {
  provider?.dispose();
  repository?.dispose();
});

/** Trains a stateful continuous series for 2 epochs (4 batches each, never reset) and returns its run folder. */
function trainedRun(): string {
  const workspace = tempWorkspace();
  const config = path.join(workspace, 'carry.lstm.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      data: { generator: 'sine', samples: 40, timesteps: 7, features: 1, seed: 3, layout: 'continuous' },
      model: { units: 3, stateful: true },
      training: { batchSize: 10, epochs: 2, learningRate: 0 },
      resets: 'never',
    }),
  );
  const result = spawnSync(process.execPath, [cli, 'train', config, '--json', '--backend', 'wasm'], {
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!).runDir;
}

describe('a batch tooltip on data continuity', () => {
  it('a carried batch whose data continues says so; one whose data does not says that, not "row i continues row i"', async () => {
    const runDir = trainedRun();
    const logged = fs
      .readFileSync(path.join(runDir, 'log.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"t":"batch"'))
      .map((line) => JSON.parse(line) as { step: number; carriedFrom: number | null; dataContinues: boolean | null });
    // Within an epoch the series goes on; epoch 2's first batch carries the end of epoch 1 into its start.
    expect(logged.map((b) => b.dataContinues)).toEqual([null, true, true, true, false, true, true, true]);
    repository = new RunRepository(new MemoryLog());
    provider = new RunsTreeProvider(repository, async () => [runDir], 1_000_000);
    const [run] = await provider.getChildren();
    const batches: RunsTreeNode[] = [];
    for (const epoch of await provider.getChildren(run)) batches.push(...(await provider.getChildren(epoch)));
    const tooltips = batches.map((node) => (provider!.getTreeItem(node).tooltip as vscode.MarkdownString).value);
    expect(tooltips).toHaveLength(logged.length);
    logged.forEach((batch, step) => {
      const tooltip = tooltips[step];
      const where = `step ${step}`;
      if (batch.dataContinues === null) {
        expect(tooltip, where).not.toContain("row i's data continues");
        return;
      }
      expect(tooltip, where).toContain(`row i's data continues: ${batch.dataContinues ? 'yes' : 'no'}`);
      if (batch.dataContinues) {
        expect(tooltip, where).toContain(`— row i continues row i of step ${batch.carriedFrom}`);
      } else {
        expect(tooltip, where).toContain(`— row i's state comes from row i of step ${batch.carriedFrom}`);
        expect(tooltip, where).not.toContain('row i continues row i');
      }
    });
  });
});
