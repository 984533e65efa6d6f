/** The run repository: one model per run, read from its folder, followed while live, with the one status rule. */
import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunChange } from '../../../src/extension/runs/runModel';
import { RunRepository } from '../../../src/extension/runs/runRepository';
import { RUN_FILES } from '../../../src/shared/runFormat';
import { MemoryLog, tempWorkspace, waitFor } from '../helpers';
import { LiveFolder, batchRecord, writeRunFolder } from '../runFolder';

let repository: RunRepository | undefined;
afterEach(() => repository?.dispose());

function setup() {
  const log = new MemoryLog();
  repository = new RunRepository(log);
  return { log, repository };
}

describe('RunRepository', () => {
  it('holds one model per run, whatever spelling of the folder names it', async () => {
    const { repository } = setup();
    const dir = writeRunFolder(tempWorkspace(), '20261101-000000-000-a', {
      epochs: 2,
      batchesPerEpoch: 3,
      end: 'finished',
    });
    const model = await repository.open(dir);
    expect(await repository.open(`${dir}${path.sep}`)).toBe(model);
    expect(await repository.header(path.join(dir, '..', path.basename(dir)))).toBe(model);
    expect(model.batches.map((b) => b.step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(model.status).toBe('finished');
    expect(model.epochList().map((e) => [e.epoch, e.steps.length, e.meanLoss])).toEqual([
      [0, 3, 0.5],
      [1, 3, 0.5],
    ]);
  });

  it('lists a run from its header alone, and reads the whole log only when opened', async () => {
    const { repository } = setup();
    const dir = writeRunFolder(tempWorkspace(), '20261101-000000-000-a', {
      epochs: 1,
      batchesPerEpoch: 4,
      end: 'failed',
    });
    const header = await repository.header(dir);
    expect([header.loaded, header.batches.length, header.status]).toEqual([false, 0, 'failed']);
    const model = await repository.open(dir);
    expect(model).toBe(header);
    expect([model.loaded, model.batches.length, model.message]).toEqual([true, 4, 'boom']);
  });

  it('follows a live run as its writer appends: a line still being written waits for its newline', async () => {
    const { repository } = setup();
    const folder = new LiveFolder(tempWorkspace(), '20261101-000000-000-live', {
      epochs: 1,
      batchesPerEpoch: 5,
      stateful: true,
    });
    const model = await repository.open(folder.runDir);
    const changes: RunChange[] = [];
    model.onDidChange((change) => changes.push(change));
    expect(model.status).toBe('running');
    folder.batch(0, 0, 'first');
    // Only the file watcher (or the poll) tells the repository: no explicit refresh here.
    await waitFor(() => model.batches.length === 1, 5000, 'the first batch read');
    const second = JSON.stringify(batchRecord(1, 0, 1, 'carried'));
    fs.appendFileSync(path.join(folder.runDir, RUN_FILES.log), second.slice(0, 40));
    await repository.refresh(folder.runDir);
    expect(model.batches).toHaveLength(1);
    fs.appendFileSync(path.join(folder.runDir, RUN_FILES.log), `${second.slice(40)}\n`);
    await repository.refresh(folder.runDir);
    expect(model.batches.map((b) => b.cause)).toEqual(['first', 'carried']);
    expect(changes.map((c) => c.batchesFrom)).toEqual([0, 1]);
    expect(model.counts.carried).toBe(1);
  });

  it('takes pause, resume and the end from the log, and stops following at the end', async () => {
    const { repository } = setup();
    const folder = new LiveFolder(tempWorkspace(), '20261101-000000-000-live', { epochs: 1, batchesPerEpoch: 5 });
    const model = await repository.open(folder.runDir);
    const statuses: string[] = [];
    model.onDidChange((change) => change.statusChanged && statuses.push(model.status));
    folder.batch(0, 0);
    folder.append({ t: 'state', status: 'paused', atStep: 1 });
    await repository.refresh(folder.runDir);
    folder.append({ t: 'state', status: 'running', atStep: 1 });
    await repository.refresh(folder.runDir);
    folder.append({ t: 'end', status: 'stopped', at: new Date().toISOString() });
    await repository.refresh(folder.runDir);
    expect(statuses).toEqual(['paused', 'running', 'stopped']);
    // Following stopped: a (wrong) line after the end is never read.
    folder.batch(0, 1);
    await repository.refresh(folder.runDir);
    expect(model.batches).toHaveLength(1);
  });

  it('refuses a run of an unknown format version, naming the version and the folder', async () => {
    const { repository } = setup();
    const dir = writeRunFolder(tempWorkspace(), '20261101-000000-000-future', {
      epochs: 1,
      batchesPerEpoch: 1,
      end: 'finished',
    });
    const manifestPath = path.join(dir, RUN_FILES.manifest);
    fs.writeFileSync(
      manifestPath,
      JSON.stringify({ ...JSON.parse(fs.readFileSync(manifestPath, 'utf8')), formatVersion: 7 }),
    );
    await expect(repository.open(dir)).rejects.toThrow(
      new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: run format version 7 is not one this version`),
    );
  });

  it('skips a damaged line with a warning naming the file and line, and reads the rest', async () => {
    const { repository, log } = setup();
    const dir = writeRunFolder(tempWorkspace(), '20261101-000000-000-a', {
      epochs: 2,
      batchesPerEpoch: 2,
      end: 'finished',
    });
    const logPath = path.join(dir, RUN_FILES.log);
    const lines = fs.readFileSync(logPath, 'utf8').split('\n');
    lines[2] = '{"t":"epochEnd","epoch":0,'; // the epoch-end line, cut
    fs.writeFileSync(logPath, lines.join('\n'));
    const model = await repository.open(dir);
    expect(model.batches).toHaveLength(4);
    expect(model.status).toBe('finished');
    expect(log.lines.some((line) => line.includes(`${logPath}: line 3 is not valid JSON; skipped`))).toBe(true);
  });

  it('marks a run failed for a writer that died: a torn last line is cut, the end record appended', async () => {
    const { repository } = setup();
    const folder = new LiveFolder(tempWorkspace(), '20261101-000000-000-live', { epochs: 1, batchesPerEpoch: 5 });
    folder.batch(0, 0);
    fs.appendFileSync(path.join(folder.runDir, RUN_FILES.log), '{"t":"batch","ep');
    const model = await repository.open(folder.runDir);
    await repository.markFailed(folder.runDir, 'the trainer stopped unexpectedly (code 3)');
    expect([model.status, model.message, model.batches.length]).toEqual([
      'failed',
      'the trainer stopped unexpectedly (code 3)',
      1,
    ]);
    expect(
      fs
        .readFileSync(path.join(folder.runDir, RUN_FILES.log), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).t),
    ).toEqual(['batch', 'end']);
  });
});
