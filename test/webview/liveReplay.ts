/**
 * A long run written at once, replayed as it was while live: copies of it whose log stops before a
 * batch (what a panel opened then would read), and the deltas the host sends for the batches after.
 * Tests feed one panel the deltas and compare it with a panel opened on a copy cut at the same batch.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readRun } from '../../src/runStore/readRun';
import { snapshotOf } from '../../src/runStore/snapshot';
import type { DeltaMessage } from '../../src/shared/channels/webviewChannel';
import type { BatchRecord } from '../../src/shared/runFormat';
import { writeSyntheticRun } from '../fixtures/syntheticRun';

export interface LiveReplay {
  /** A copy of the run (in a folder of its own) whose log stops before batch `step`. */
  until(step: number): string;
  /** The delta of batches [from, to), with the resets before them and the epochs they end, as the host sends it. */
  delta(from: number, to: number): DeltaMessage;
}

/** 24,000 open (live) batches of a stateful run with epoch resets: about 20 per pixel column zoomed out. */
export function replayLiveRun(dir: string, manualResetsAt: number[] = []): LiveReplay {
  const full = writeSyntheticRun({
    dir,
    stateful: true,
    epochs: 4800,
    batchesPerEpoch: 5,
    batchSize: 2,
    units: [2],
    resets: 'epoch',
    manualResetsAt,
    status: 'open',
    capturedBatches: 0,
  }).runDir;
  const lines = fs.readFileSync(path.join(full, 'log.jsonl'), 'utf8').split('\n');
  const whole = snapshotOf(readRun(full));
  const epochEnds = new Map<number, number>();
  for (const b of whole.batches) epochEnds.set(b.epoch, b.step + 1);
  return {
    until(step) {
      const copy = `${full}-${step}`;
      fs.cpSync(full, copy, { recursive: true });
      const cut = lines.findIndex((l) => l.includes('"t":"batch"') && (JSON.parse(l) as BatchRecord).step === step);
      if (cut >= 0) fs.writeFileSync(path.join(copy, 'log.jsonl'), lines.slice(0, cut).join('\n') + '\n');
      return copy;
    },
    delta: (from, to) => ({
      type: 'delta',
      batches: whole.batches.slice(from, to),
      resets: whole.resets.filter((r) => r.beforeStep >= from && r.beforeStep < to),
      epochLosses: whole.epochLosses.filter((e) => {
        const end = epochEnds.get(e.epoch) ?? 0;
        return end > from && end <= to;
      }),
      status: 'running',
      answer: whole.answer,
    }),
  };
}
