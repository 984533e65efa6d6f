/** Where a live run's progress shows: never a notification over its visible panel; cancel = stop. */
import { afterEach, describe, expect, it } from 'vitest';
import * as vscode from 'vscode';
import { emptyCauseCounts } from '../../../src/shared/causes';
import type { RunSession } from '../../../src/extension/run/runSession';
import { showRunProgress, type PanelVisibility } from '../../../src/extension/ui/runProgress';
import { CancellationTokenSource, EventEmitter, ProgressLocation, provide } from '../../shims/vscode';

interface Shown {
  location: number;
  cancellable: boolean;
  messages: string[];
  ended: boolean;
  cancel: () => void;
}

let shown: Shown[] = [];
afterEach(() => (shown = []));

function installProgress(): void {
  provide(vscode.window as unknown as Record<string, unknown>, {
    withProgress: (
      options: { location: number; cancellable?: boolean },
      task: (progress: { report(v: { message?: string }): void }, token: unknown) => Promise<void>,
    ) => {
      const source = new CancellationTokenSource();
      const entry: Shown = {
        location: options.location,
        cancellable: options.cancellable ?? false,
        messages: [],
        ended: false,
        cancel: () => source.cancel(),
      };
      shown.push(entry);
      return task({ report: (v) => void entry.messages.push(v.message ?? '') }, source.token).then(
        () => void (entry.ended = true),
      );
    },
  });
}

/** A live session of one run folder whose state and batches the test sets. */
function fakeSession(runDir: string | undefined) {
  const changed = new EventEmitter<unknown>();
  const session = {
    configPath: '/ws/fast.lstm.json',
    runDir,
    runDirs: runDir ? [runDir] : [],
    state: 'running',
    isLive: true,
    manifest: { name: 'fast', epochs: 2, batchesPerEpoch: 5 },
    lastBatch: { step: 2, epoch: 0, batch: 2, loss: 0.5 },
    counts: { ...emptyCauseCounts(), first: 1, manual: 1 },
    onDidChange: changed.event,
  };
  const fire = (patch: Partial<typeof session>) => (Object.assign(session, patch), changed.fire(session));
  return { session: session as unknown as RunSession, fire };
}

function panels(visible: Set<string>) {
  const emitter = new EventEmitter<string>();
  const visibility: PanelVisibility = {
    isVisible: (runDir) => visible.has(runDir),
    onDidChangeVisibility: emitter.event,
  };
  return {
    visibility,
    set: (runDir: string, on: boolean) => (on ? visible.add(runDir) : visible.delete(runDir), emitter.fire(runDir)),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('showRunProgress', () => {
  it('while the run’s panel is visible: window progress only, never a notification', async () => {
    installProgress();
    const { session, fire } = fakeSession('/ws/.lstm-runs/a');
    showRunProgress(
      session,
      () => 0,
      () => undefined,
      panels(new Set(['/ws/.lstm-runs/a'])).visibility,
    );
    fire({ lastBatch: { step: 3, epoch: 0, batch: 3, loss: 0.25 } } as never);
    expect(shown.map((s) => s.location)).toEqual([ProgressLocation.Window]);
    expect(shown[0].cancellable).toBe(false);
    expect(shown[0].messages.at(-1)).toBe('epoch 1/2 · batch 4/5 · loss 0.2500 · resets 2');
  });

  it('before the run folder exists (no panel yet): window progress, not a notification', () => {
    installProgress();
    const { session } = fakeSession(undefined);
    showRunProgress(
      session,
      () => 0,
      () => undefined,
      panels(new Set()).visibility,
    );
    expect(shown.map((s) => s.location)).toEqual([ProgressLocation.Window]);
  });

  it('until the run’s panel is heard of (it opens after the run folder exists): window progress', () => {
    installProgress();
    const { session, fire } = fakeSession('/ws/.lstm-runs/a');
    showRunProgress(
      session,
      () => 0,
      () => undefined,
      panels(new Set()).visibility,
    );
    fire({ lastBatch: { step: 3, epoch: 0, batch: 3, loss: 0.25 } } as never);
    expect(shown.map((s) => s.location)).toEqual([ProgressLocation.Window]);
  });

  it('panel hidden: a cancellable notification, whose Cancel stops the run', () => {
    installProgress();
    const runDir = '/ws/.lstm-runs/a';
    const { session } = fakeSession(runDir);
    const stopped: RunSession[] = [];
    const view = panels(new Set());
    showRunProgress(
      session,
      () => 0,
      (s) => stopped.push(s),
      view.visibility,
    );
    view.set(runDir, false);
    expect(shown.map((s) => [s.location, s.cancellable]).at(-1)).toEqual([ProgressLocation.Notification, true]);
    shown.at(-1)!.cancel();
    expect(stopped).toEqual([session]);
  });

  it('follows the panel: hidden → notification, shown again → back to the window; ends with the run', async () => {
    installProgress();
    const runDir = '/ws/.lstm-runs/a';
    const { session, fire } = fakeSession(runDir);
    const view = panels(new Set([runDir]));
    showRunProgress(
      session,
      () => 0,
      () => undefined,
      view.visibility,
    );
    view.set(runDir, false);
    await settle();
    expect(shown.map((s) => [s.location, s.ended])).toEqual([
      [ProgressLocation.Window, true],
      [ProgressLocation.Notification, false],
    ]);
    // Another run's panel changing does not move this run's progress.
    view.set('/ws/.lstm-runs/other', true);
    view.set(runDir, true);
    await settle();
    expect(shown.map((s) => [s.location, s.ended])).toEqual([
      [ProgressLocation.Window, true],
      [ProgressLocation.Notification, true],
      [ProgressLocation.Window, false],
    ]);
    fire({ state: 'stopped', isLive: false } as never);
    await settle();
    expect(shown.every((s) => s.ended)).toBe(true);
    // After the end, visibility changes show nothing more.
    view.set(runDir, false);
    expect(shown).toHaveLength(3);
  });
});
