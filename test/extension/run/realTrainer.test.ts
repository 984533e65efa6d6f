/** The run manager and the Runs tree against the real trainer bundle (dist/trainer.js; `npm run build` first). */
import * as fs from 'fs';
import * as path from 'path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RunManager } from '../../../src/extension/run/runManager';
import { RunRepository } from '../../../src/extension/runs/runRepository';
import type { RunSession } from '../../../src/extension/run/runSession';
import { RunsTreeProvider } from '../../../src/extension/tree/runsTreeProvider';
import { readRun } from '../../../src/runStore/readRun';
import { MemoryLog, tempWorkspace, waitFor } from '../helpers';

const TRAINER = path.join(__dirname, '../../../dist/trainer.js');
const built = fs.existsSync(TRAINER);

let manager: RunManager | undefined;
let repository: RunRepository | undefined;
afterEach(async () => {
  await manager?.terminateAll(500);
  manager?.dispose();
  repository?.dispose();
});

function start(config: Record<string, unknown>): { session: RunSession; workspace: string; log: MemoryLog } {
  const workspace = tempWorkspace('lstm-real-');
  const configPath = path.join(workspace, 'tiny.lstm.json');
  fs.writeFileSync(configPath, JSON.stringify(config, null, 2));
  const log = new MemoryLog();
  repository = new RunRepository(log);
  manager = new RunManager(log, repository);
  const session = manager.start({ trainerPath: TRAINER, configPath, workspaceFolder: workspace, backend: 'cpu' });
  return { session, workspace, log };
}

const tiny = (epochs: number, extra: Record<string, unknown> = {}) => ({
  name: 'tiny',
  data: { generator: 'sine', samples: 40, timesteps: 5, layout: 'continuous' },
  model: { units: 4, stateful: true },
  training: { batchSize: 10, epochs, shuffle: false },
  resets: 'epoch',
  ...extra,
});

describe('real trainer (dist/trainer.js)', () => {
  beforeAll(() => {
    // `npm test` builds first; a missing bundle is a failure, never a silent skip.
    if (!built) throw new Error(`${TRAINER} is missing: run npm run build`);
  });

  it('trains a tiny stateful config to the end; the tree follows it live', async () => {
    const { session, log } = start(tiny(2));
    const tree = new RunsTreeProvider(repository!, async () => [], 1_000_000);
    const exit = await session.exited;
    expect(session.state, log.lines.join('\n')).toBe('finished');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(session.counts).toMatchObject({ first: 1, epoch: 1, carried: 6 });
    const run = readRun(session.runDir!);
    expect(run.status).toBe('finished');
    expect(run.batches).toHaveLength(8);
    tree.queue.flush();
    const [runNode] = await tree.getChildren();
    expect(runNode.runDir).toBe(session.runDir);
    const epochs = await tree.getChildren(runNode);
    expect(epochs).toHaveLength(2);
    const batches = await tree.getChildren(epochs[1]);
    expect(batches.map((b) => tree.getTreeItem(b).description?.toString().split(' · ')[0])).toEqual([
      'zeros (epoch-end reset)',
      'carried ← batch 1',
      'carried ← batch 2',
      'carried ← batch 3',
    ]);
    tree.dispose();
  });

  it('pause, reset now, resume and stop reach the real trainer', async () => {
    const { session, log } = start(tiny(500));
    await waitFor(() => (session.lastBatch?.step ?? -1) >= 2, 60_000, 'a few batches');
    session.send({ type: 'pause' });
    await waitFor(() => session.state === 'paused', 10_000, 'paused');
    const pausedAt = session.lastBatch!.step;
    session.send({ type: 'resetNow' });
    session.send({ type: 'resume' });
    await waitFor(() => session.counts.manual === 1, 10_000, 'manual reset');
    session.send({ type: 'stop' });
    await session.exited;
    expect(session.state, log.lines.join('\n')).toBe('stopped');
    const run = readRun(session.runDir!);
    expect(run.status).toBe('stopped');
    const manual = run.batches.find((b) => b.cause === 'manual')!;
    expect(manual.step).toBe(pausedAt + 1); // applied at the next batch boundary
    expect(run.resets.some((r) => r.cause === 'manual' && r.beforeStep === manual.step)).toBe(true);
  });

  it('a bad config fails with its field and leaves no run folder', async () => {
    const { session, workspace } = start(tiny(1, { training: { batchSize: 0, epochs: 1 } }));
    await session.exited;
    expect(session.state).toBe('failed');
    expect(session.failure?.field).toBe('training.batchSize');
    expect(fs.existsSync(path.join(workspace, '.lstm-runs'))).toBe(false);
  });

  it('a data path outside the workspace folder is refused with a clear error on data.csv', async () => {
    const outside = path.join(tempWorkspace('lstm-outside-'), 'series.csv');
    fs.writeFileSync(outside, 'v\n' + Array.from({ length: 50 }, (_, i) => Math.sin(i)).join('\n') + '\n');
    const { session, workspace } = start({
      data: { csv: outside, columns: ['v'], target: 'v', window: 5 },
      model: { units: 2 },
      training: { batchSize: 5, epochs: 1 },
    });
    await session.exited;
    expect(session.state).toBe('failed');
    expect(session.failure?.field).toBe('data.csv');
    expect(session.failure?.message).toMatch(/outside the workspace folder/);
    expect(fs.existsSync(path.join(workspace, '.lstm-runs'))).toBe(false);
  });

  it('SIGTERM (window closing) leaves an interrupted run whose batches are readable', async () => {
    const { session } = start(tiny(500));
    await waitFor(() => (session.lastBatch?.step ?? -1) >= 3, 60_000, 'a few batches');
    await manager!.terminateAll(2000);
    expect(session.state).toBe('interrupted');
    const run = readRun(session.runDir!);
    expect(run.status).toBe('interrupted');
    expect(run.batches.length).toBeGreaterThanOrEqual(4);
  });
});
