import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunConflictError, RunManager } from '../../../src/extension/run/runManager';
import type { RunSession } from '../../../src/extension/run/runSession';
import { RunRepository } from '../../../src/extension/runs/runRepository';
import { readRun } from '../../../src/runStore/readRun';
import { MemoryLog, fakeLaunch, processExists, tempWorkspace, waitFor } from '../helpers';

let manager: RunManager | undefined;
let repository: RunRepository | undefined;
afterEach(async () => {
  await manager?.terminateAll(200);
  manager?.dispose();
  repository?.dispose();
  manager = undefined;
});

function setup() {
  const log = new MemoryLog();
  repository = new RunRepository(log);
  manager = new RunManager(log, repository);
  return { log, manager, repository, workspace: tempWorkspace() };
}

/** Collects the states a session passes through. */
function statesOf(session: RunSession): string[] {
  const states = [session.state as string];
  session.onDidChange(() => states.at(-1) !== session.state && states.push(session.state));
  return states;
}

describe('run manager against a real child process', () => {
  it('runs to the end: the session follows its run folder through the repository, finished, folder complete', async () => {
    const { manager, repository, workspace } = setup();
    const warnings = [{ code: 'L1', message: 'shuffle breaks the chain', field: 'training.shuffle' }];
    const session = manager.start(fakeLaunch(workspace, { epochs: 2, batchesPerEpoch: 3, warnings }));
    const states = statesOf(session);
    expect(session.state).toBe('starting');
    await session.exited;
    expect(states).toEqual(['starting', 'running', 'finished']);
    expect(session.lastBatch?.step).toBe(5);
    expect(session.counts.auto).toBe(6);
    // The warning came over the channel before the run folder existed.
    expect(session.warnings).toMatchObject([{ type: 'warning', field: 'training.shuffle' }]);
    // The session's model is the repository's one model of the run.
    expect(repository.get(session.runDir!)).toBe(session.model);
    expect(session.model!.batches).toHaveLength(6);
    expect(readRun(session.runDir!).status).toBe('finished');
    expect(manager.isLive(session.runDir!)).toBe(false);
  });

  it('one live run per config; another config can run alongside', async () => {
    const { manager, workspace } = setup();
    const first = manager.start(fakeLaunch(workspace, { delayMs: 50 }, 'a'));
    expect(() => manager.start(fakeLaunch(workspace, { delayMs: 50 }, 'a'))).toThrow(RunConflictError);
    const other = manager.start(fakeLaunch(workspace, { delayMs: 50 }, 'b'));
    expect(manager.liveRuns()).toEqual([first, other]);
    await waitFor(() => first.state === 'running', 15_000, 'started');
    await manager.stopAndWait(first.configPath, 500);
    expect(first.state).toBe('stopped');
    const again = manager.start(fakeLaunch(workspace, { delayMs: 50 }, 'a'));
    expect(again).not.toBe(first);
    expect(manager.liveFor(first.configPath)).toBe(again);
  });

  it('pause, resume, reset, stop: commands reach the trainer and the state follows its acknowledgements', async () => {
    const { manager, workspace } = setup();
    const session = manager.start(
      fakeLaunch(workspace, { stateful: true, epochs: 50, batchesPerEpoch: 10, delayMs: 10 }),
    );
    const states = statesOf(session);
    await waitFor(() => (session.lastBatch?.step ?? -1) >= 1, 15_000, 'two batches');
    expect(manager.contextState()).toEqual({ running: true, paused: false, stateful: true });
    manager.send(session.runDir!, { type: 'pause' });
    await waitFor(() => session.state === 'paused');
    expect(manager.contextState().paused).toBe(true);
    const stepWhenPaused = session.lastBatch!.step;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(session.lastBatch!.step).toBeLessThanOrEqual(stepWhenPaused + 1);
    manager.send(session.runDir!, { type: 'resetNow' });
    manager.send(session.runDir!, { type: 'resume' });
    await waitFor(() => session.counts.manual === 1, 15_000, 'manual reset');
    manager.send(session.runDir!, { type: 'stop' });
    expect(session.state).toBe('stopping');
    await session.exited;
    expect(states).toEqual(['starting', 'running', 'paused', 'running', 'stopping', 'stopped']);
    const run = readRun(session.runDir!);
    expect(run.status).toBe('stopped');
    expect(run.batches.filter((b) => b.cause === 'manual')).toHaveLength(1);
    expect(manager.contextState()).toEqual({ running: false, paused: false, stateful: false });
  });

  it('a crash marks the run failed, keeps the stderr tail, and leaves every recorded batch readable', async () => {
    const { manager, workspace } = setup();
    const session = manager.start(fakeLaunch(workspace, { crashAtStep: 4, delayMs: 1 }));
    await session.exited;
    expect(session.state).toBe('failed');
    expect(session.failure?.message).toMatch(/stopped unexpectedly \(code 3\).*simulated crash/);
    const run = readRun(session.runDir!);
    expect(run.batches.map((b) => b.step)).toEqual([0, 1, 2, 3]);
    // The torn line was cut and a failed end record written, so the folder alone says failed.
    expect(run.status).toBe('failed');
    expect(run.end?.message).toMatch(/simulated crash/);
  });

  it('a bad config fails with its field and writes no run folder', async () => {
    const { manager, workspace } = setup();
    const session = manager.start(fakeLaunch(workspace, { failField: 'training.batchSize' }));
    await session.exited;
    expect(session.state).toBe('failed');
    expect(session.failure).toEqual({ message: 'training.batchSize: must be at least 1', field: 'training.batchSize' });
    expect(session.runDir).toBeUndefined();
    expect(fs.existsSync(path.join(workspace, '.lstm-runs'))).toBe(false);
  });

  it('terminate: SIGTERM ends the run as interrupted (no end record, pid gone)', async () => {
    const { manager, workspace } = setup();
    const session = manager.start(fakeLaunch(workspace, { epochs: 100, delayMs: 20 }));
    await waitFor(() => session.lastBatch !== undefined, 15_000, 'a batch');
    await manager.terminateAll(2000);
    expect(session.state).toBe('interrupted');
    const run = readRun(session.runDir!);
    expect(run.end).toBeUndefined();
    expect(run.status).toBe('interrupted');
    expect(run.batches.length).toBeGreaterThan(0);
  });

  it('terminate escalates to SIGKILL after the grace period when SIGTERM is ignored', async () => {
    const { manager, workspace, log } = setup();
    const session = manager.start(fakeLaunch(workspace, { epochs: 1000, delayMs: 20, ignoreSigterm: true }));
    await waitFor(() => session.lastBatch !== undefined, 15_000, 'a batch');
    const pid = session.manifest!.process.pid;
    const started = Date.now();
    await manager.terminateAll(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(session.state).toBe('interrupted');
    expect(processExists(pid)).toBe(false);
    expect(log.lines.some((line) => line.includes('signal SIGKILL'))).toBe(true);
  });

  it('stop before the run has started ends the process', async () => {
    const { manager, workspace } = setup();
    // Long enough (1000 epochs × 5 batches × 20 ms) that it cannot finish on its own meanwhile.
    const session = manager.start(fakeLaunch(workspace, { epochs: 1000, delayMs: 20 }));
    expect(session.state).toBe('starting');
    session.send({ type: 'stop' });
    await session.exited;
    // Before `started` a stop terminates the process: the run ends interrupted, not finished.
    expect(session.state).toBe('interrupted');
  });
});
