/** Tree refresh coalescing, and holding refreshes back so a reveal can complete. */
import { describe, expect, it, vi } from 'vitest';
import { FireQueue } from '../../../src/extension/tree/fireQueue';

describe('FireQueue.hold (lets TreeView.reveal finish on a live tree)', () => {
  it('holds refreshes while the work runs and fires them once when it ends', async () => {
    vi.useFakeTimers();
    try {
      const fired: Array<string[] | undefined> = [];
      const queue = new FireQueue<string>(
        (elements) => fired.push(elements),
        () => undefined,
        10,
      );
      let finish: () => void = () => undefined;
      const held = queue.hold(() => new Promise<void>((resolve) => (finish = resolve)));
      queue.add('a');
      await vi.advanceTimersByTimeAsync(100);
      expect(fired).toEqual([]);
      finish();
      await held;
      expect(fired).toEqual([['a']]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('releases after maxMs even if the work never ends', async () => {
    vi.useFakeTimers();
    try {
      const fired: Array<string[] | undefined> = [];
      const queue = new FireQueue<string>(
        (elements) => fired.push(elements),
        () => undefined,
        10,
      );
      void queue.hold(() => new Promise<void>(() => undefined), 500);
      queue.add('b');
      await vi.advanceTimersByTimeAsync(400);
      expect(fired).toEqual([]);
      await vi.advanceTimersByTimeAsync(200);
      expect(fired).toEqual([['b']]);
    } finally {
      vi.useRealTimers();
    }
  });
});
