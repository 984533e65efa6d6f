/**
 * A panel's LiveRun: its cache of the run must advance only with the trainer events it turns
 * into deltas, or a batch already on disk whose event is still in flight is never sent.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { LiveRun } from '../../src/extension/panel/liveRun';
import { RUN_FILES } from '../../src/shared/runFormat';
import { writeSyntheticRun } from '../fixtures/syntheticRun';
import { tempWorkspace } from './helpers';

describe('LiveRun', () => {
  it('sends every batch event as a delta, even when the disk is ahead of the events when a detail is asked for', () => {
    const full = writeSyntheticRun({ dir: path.join(tempWorkspace(), 'full'), stateful: true, epochs: 1, batchesPerEpoch: 6, batchSize: 3, status: 'open' });
    const fullLog = fs.readFileSync(path.join(full.runDir, RUN_FILES.log), 'utf8');
    // The panel's copy starts with the first 4 batches on disk (same binary files, shorter log).
    const runDir = path.join(tempWorkspace(), 'live');
    fs.cpSync(full.runDir, runDir, { recursive: true });
    const lines = fullLog.trimEnd().split('\n');
    const fifthBatch = lines.findIndex((line) => JSON.parse(line).t === 'batch' && JSON.parse(line).step === 4);
    fs.writeFileSync(path.join(runDir, RUN_FILES.log), `${lines.slice(0, fifthBatch).join('\n')}\n`);

    const live = new LiveRun(runDir, () => true);
    expect(live.snapshot().batches).toHaveLength(4);
    // The trainer writes batches 4 and 5; their events have not arrived yet.
    fs.writeFileSync(path.join(runDir, RUN_FILES.log), fullLog);
    expect(live.detail(3).step).toBe(3);
    const sent = full.batches.slice(4).map((record) => live.apply({ type: 'batch', record })?.batches.map((b) => b.step));
    expect(sent).toEqual([[4], [5]]);
    // Now the continuity view of batch 3 can show batch 4's initial state.
    expect(live.detail(3).next?.step).toBe(4);
  });
});
