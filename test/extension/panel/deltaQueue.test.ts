/** The host-side coalescing of live deltas: leading edge, at most one message per interval, held while hidden. */
import { describe, expect, test } from 'vitest';
import { DeltaQueue, HIDDEN_BATCH_LIMIT, type Clock } from '../../../src/extension/panel/deltaQueue';
import type { DeltaMessage as Delta } from '../../../src/shared/channels/webviewChannel';
import type { BatchRecord } from '../../../src/shared/runFormat';

/** A manual clock: time moves only when the test says so. */
function fakeClock() {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let nextId = 1;
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => (timers = timers.filter((t) => t.id !== id)),
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.fn();
    }
    now = until;
  };
  return { clock, advance };
}

const batch = (step: number) => ({ t: 'batch', step, epoch: 0, batch: step, cause: 'auto' }) as unknown as BatchRecord;
const delta = (steps: number[], status: Delta['status'] = 'running', answer = `a${steps.join(',')}`): Delta => ({
  type: 'delta',
  batches: steps.map(batch),
  resets: [],
  epochLosses: [],
  status,
  answer,
});

function setup(interval = 50) {
  const sent: Delta[] = [];
  let resyncs = 0;
  const { clock, advance } = fakeClock();
  const queue = new DeltaQueue(
    (d) => sent.push(d),
    () => resyncs++,
    interval,
    clock,
  );
  return { queue, sent, advance, resyncs: () => resyncs };
}

describe('DeltaQueue', () => {
  test('a lone change goes out at once (no added latency)', () => {
    const { queue, sent } = setup();
    queue.push(delta([0]));
    expect(sent).toHaveLength(1);
    expect(queue.hasPending).toBe(false);
  });

  test('a burst is merged into one message per interval, in order, with the latest status and answer', () => {
    const { queue, sent, advance } = setup(50);
    queue.push(delta([0]));
    for (let step = 1; step <= 5; step++) {
      advance(8);
      queue.push(delta([step], step === 5 ? 'paused' : 'running'));
    }
    expect(sent).toHaveLength(1);
    advance(50);
    expect(sent).toHaveLength(2);
    expect(sent[1].batches.map((b) => b.step)).toEqual([1, 2, 3, 4, 5]);
    expect(sent[1].status).toBe('paused');
    expect(sent[1].answer).toBe('a5');
  });

  test('the end time of a run survives a later change merged after it', () => {
    const { queue, sent, advance } = setup(50);
    queue.push(delta([0]));
    queue.push({ ...delta([], 'finished'), endedAt: '2026-11-30T00:00:00.000Z' });
    queue.push(delta([], 'finished'));
    advance(50);
    expect(sent[1]).toMatchObject({ status: 'finished', endedAt: '2026-11-30T00:00:00.000Z' });
  });

  test('50 batches/s for 2 s: about 20 messages, every batch delivered once, none waits longer than the interval', () => {
    const { queue, sent, advance } = setup(50);
    const pushedAt = new Map<number, number>();
    let now = 0;
    const latencies: number[] = [];
    const seen: number[] = [];
    const original = sent.push.bind(sent);
    sent.push = (...items: Delta[]) => {
      for (const d of items)
        for (const b of d.batches) {
          seen.push(b.step);
          latencies.push(now - (pushedAt.get(b.step) ?? now));
        }
      return original(...items);
    };
    for (let step = 0; step < 100; step++) {
      pushedAt.set(step, now);
      queue.push(delta([step]));
      advance(20);
      now += 20;
    }
    advance(100);
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(sent.length).toBeLessThanOrEqual(41);
    expect(Math.max(...latencies)).toBeLessThanOrEqual(50);
  });

  test('while hidden nothing is sent; shown again, the held changes go out as one message', () => {
    const { queue, sent, advance } = setup();
    queue.setVisible(false);
    queue.push(delta([0], 'running'));
    queue.push(delta([1], 'paused'));
    advance(1000);
    expect(sent).toHaveLength(0);
    queue.setVisible(true);
    expect(sent).toHaveLength(1);
    expect(sent[0].batches.map((b) => b.step)).toEqual([0, 1]);
    expect(sent[0].status).toBe('paused');
  });

  test('a hidden panel that piles up too much asks for a snapshot instead of keeping every batch', () => {
    const { queue, sent, resyncs } = setup();
    queue.setVisible(false);
    queue.push(delta(Array.from({ length: HIDDEN_BATCH_LIMIT + 1 }, (_, i) => i)));
    queue.push(delta([HIDDEN_BATCH_LIMIT + 1]));
    expect(queue.hasPending).toBe(false);
    queue.setVisible(true);
    expect(resyncs()).toBe(1);
    expect(sent).toHaveLength(0);
  });

  test('clear() drops what a snapshot replaced', () => {
    const { queue, sent, advance } = setup();
    queue.push(delta([0]));
    queue.push(delta([1]));
    queue.clear();
    advance(200);
    expect(sent).toHaveLength(1);
  });

  test('while a snapshot is built, changes are held and then sent after it, in one message', () => {
    const { queue, sent, advance } = setup(50);
    queue.hold();
    queue.push(delta([10]));
    advance(200);
    queue.push(delta([11, 12]));
    expect(sent).toHaveLength(0);
    queue.release();
    expect(sent.map((d) => d.batches.map((b) => b.step))).toEqual([[10, 11, 12]]);
  });

  test('the interval follows lstmState.updateRateHz: at 60 Hz one message per 1000/60 ms, at 5 Hz one per 200 ms', () => {
    const { queue, sent, advance } = setup(1000 / 60);
    queue.push(delta([0]));
    queue.push(delta([1]));
    advance(10);
    expect(sent).toHaveLength(1);
    advance(7);
    expect(sent).toHaveLength(2);
    queue.intervalMs = 200;
    queue.push(delta([2]));
    advance(100);
    expect(sent).toHaveLength(2);
    advance(100);
    expect(sent.map((d) => d.batches.map((b) => b.step))).toEqual([[0], [1], [2]]);
  });

  test('a change too large for a delta asks for a snapshot: at once when shown, on showing when hidden', () => {
    const { queue, sent, resyncs } = setup(50);
    queue.push(delta([0]));
    queue.push(delta([1]));
    queue.pushSnapshot();
    expect(resyncs()).toBe(1);
    expect(queue.hasPending).toBe(false);
    queue.setVisible(false);
    queue.pushSnapshot();
    expect(resyncs()).toBe(1);
    queue.setVisible(true);
    expect(resyncs()).toBe(2);
    expect(sent).toHaveLength(1);
  });
});
