/** The status bar: throttled batch counts, but a manual reset and a state change at once; a Stop button while live. */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunManager } from '../../../src/extension/run/runManager';
import type { RunSession } from '../../../src/extension/run/runSession';
import { RunStatusBar } from '../../../src/extension/ui/runStatusBar';
import { emptyCauseCounts } from '../../../src/shared/causes';
import { EventEmitter, installStubs } from '../vscodeStubs';

let bar: RunStatusBar | undefined;
afterEach(() => bar?.dispose());

function setup(intervalMs: number) {
  const recorder = installStubs();
  const changed = new EventEmitter<RunSession>();
  bar = new RunStatusBar({ onDidChangeSession: changed.event } as unknown as RunManager, () => intervalMs);
  const [item, stop] = recorder.statusBarItems;
  const session = {
    configPath: '/ws/fast.lstm.json',
    runDir: '/ws/.lstm-runs/a',
    state: 'running',
    isLive: true,
    manifest: { name: 'fast', epochs: 2, batchesPerEpoch: 100 },
    lastBatch: { step: 0, epoch: 0, batch: 0, loss: 0.5 },
    counts: { ...emptyCauseCounts(), first: 1 },
    answer: undefined,
    failure: undefined,
  };
  const fire = (patch: Record<string, unknown>) => {
    Object.assign(session, patch);
    changed.fire(session as unknown as RunSession);
  };
  return { item, stop, fire, session };
}

describe('RunStatusBar', () => {
  it('shows new batches at most once per interval, but a manual reset and a pause at once', () => {
    const { item, fire, session } = setup(60_000);
    fire({ state: 'paused' }); // a state change renders at once
    expect(item.text).toMatch(/^\$\(debug-pause\) LSTM epoch 1\/2 · batch 1\/100 · loss 0\.5000 · resets 1$/);
    fire({ state: 'running', lastBatch: { step: 1, epoch: 0, batch: 1, loss: 0.25 } });
    expect(item.text).toContain('batch 2/100');
    fire({ lastBatch: { step: 2, epoch: 0, batch: 2, loss: 0.2 } });
    expect(item.text, 'a plain batch waits for the next repaint').toContain('batch 2/100');
    fire({ lastBatch: { step: 3, epoch: 0, batch: 3, loss: 0.1 }, counts: { ...session.counts, manual: 1 } });
    expect(item.text, 'a manual reset shows at once').toBe(
      '$(sync~spin) LSTM epoch 1/2 · batch 4/100 · loss 0.1000 · resets 2',
    );
  });

  it('has a Stop button while the run is running or paused, aimed at its run; none once it stops', () => {
    const { stop, fire } = setup(0);
    fire({ state: 'paused' });
    expect(stop.visible).toBe(true);
    expect(stop.command).toMatchObject({ command: 'lstmState.stopTraining', arguments: ['/ws/.lstm-runs/a'] });
    fire({ state: 'stopping' });
    expect(stop.visible).toBe(false);
    fire({ state: 'stopped', isLive: false });
    expect(stop.visible).toBe(false);
  });
});
