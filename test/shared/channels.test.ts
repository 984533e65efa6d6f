/** The typed channels: every entry point checks messages with the union's one checker; requests settle once, or time out. */
import { describe, expect, it } from 'vitest';
import { PendingRequests, type Reply, type Timers } from '../../src/shared/channels/requests';
import { isTrainerCommand, isTrainerMessage, parseCommandLine } from '../../src/shared/channels/trainerChannel';
import { isFromWebview, isToWebview } from '../../src/shared/channels/webviewChannel';

describe('trainer channel', () => {
  it('accepts exactly the commands and messages it defines', () => {
    expect(isTrainerCommand({ type: 'resetNow' })).toBe(true);
    expect(isTrainerCommand({ type: 'setResetSchedule', schedule: { everyBatches: 3 } })).toBe(true);
    expect(isTrainerCommand({ type: 'setResetSchedule', schedule: { everyBatches: 0 } })).toBe(false);
    expect(isTrainerCommand({ type: 'format' })).toBe(false);
    expect(isTrainerCommand({ type: 'toString' })).toBe(false); // not fooled by Object.prototype
    expect(isTrainerCommand(null)).toBe(false);
    expect(isTrainerMessage({ type: 'started', protocolVersion: 2, runDir: '/r' })).toBe(true);
    expect(isTrainerMessage({ type: 'started', protocolVersion: '2', runDir: '/r' })).toBe(false);
    expect(isTrainerMessage({ type: 'failed', message: 'x', field: 'training.batchSize', line: 3 })).toBe(true);
    expect(isTrainerMessage({ type: 'failed', message: 'x', line: 'three' })).toBe(false);
    // A batch is in the run folder, never on the channel.
    expect(isTrainerMessage({ type: 'batch', record: {} })).toBe(false);
  });

  it('parses what a user types on the CLI', () => {
    expect(parseCommandLine(' reset ')).toEqual({ type: 'resetNow' });
    expect(parseCommandLine('schedule 4')).toEqual({ type: 'setResetSchedule', schedule: { everyBatches: 4 } });
    expect(parseCommandLine('schedule epoch')).toEqual({ type: 'setResetSchedule', schedule: 'epoch' });
    expect(parseCommandLine('schedule 0')).toBeUndefined();
    expect(parseCommandLine('{"type":"pause"}')).toEqual({ type: 'pause' });
    expect(parseCommandLine('{"type":')).toBeUndefined();
  });
});

describe('webview channel', () => {
  it('the host refuses anything the webview sends that is not a well-formed message', () => {
    expect(isFromWebview({ type: 'requestBatch', requestId: 1, step: 2 })).toBe(true);
    expect(isFromWebview({ type: 'requestBatch', requestId: 'x', step: 2 })).toBe(false);
    expect(isFromWebview({ type: 'action', action: 'stop' })).toBe(true);
    expect(isFromWebview({ type: 'action', action: 'rm -rf' })).toBe(false);
    expect(isFromWebview({ type: 'constructor' })).toBe(false);
  });

  it('the webview checks the envelope of what the host sends', () => {
    expect(isToWebview({ type: 'select', step: 3 })).toBe(true);
    expect(isToWebview({ type: 'select', step: 1.5 })).toBe(false);
    expect(isToWebview({ type: 'error', inReplyTo: 1, message: 'm' })).toBe(true);
    expect(isToWebview({ type: 'snapshot', protocolVersion: 2, snapshot: { batches: [] } })).toBe(true);
  });
});

describe('PendingRequests', () => {
  function manualTimers() {
    const timers = new Map<number, () => void>();
    let id = 0;
    const api: Timers = {
      setTimeout: (callback) => (timers.set(++id, callback), id),
      clearTimeout: (handle) => timers.delete(handle as number),
    };
    return { api, fireAll: () => [...timers.values()].forEach((callback) => callback()), count: () => timers.size };
  }

  it('gives each request its id, settles it once with its reply, and clears its timer', () => {
    const timers = manualTimers();
    const requests = new PendingRequests<string>(1000, timers.api);
    const sent: number[] = [];
    const replies: Array<Reply<string>> = [];
    const a = requests.request(
      (id) => sent.push(id),
      (reply) => replies.push(reply),
    );
    const b = requests.request(
      (id) => sent.push(id),
      (reply) => replies.push(reply),
    );
    expect(sent).toEqual([a, b]);
    expect(a).not.toBe(b);
    requests.settle(b, { ok: true, value: 'B' });
    requests.settle(b, { ok: true, value: 'again' });
    requests.settle(99, { ok: true, value: 'unknown' });
    expect(replies).toEqual([{ ok: true, value: 'B' }]);
    expect(timers.count()).toBe(1);
    expect(requests.size).toBe(1);
  });

  it('a request without a reply times out with an error naming it', () => {
    const timers = manualTimers();
    const requests = new PendingRequests<string>(15_000, timers.api);
    const replies: Array<Reply<string>> = [];
    requests.request(
      () => undefined,
      (reply) => replies.push(reply),
      'batch 4',
    );
    timers.fireAll();
    expect(replies).toEqual([{ ok: false, message: 'No answer to batch 4 within 15 s.' }]);
    expect(requests.size).toBe(0);
  });

  it('cancelAll settles every open request', () => {
    const requests = new PendingRequests<number>(1000, manualTimers().api);
    const replies: Array<Reply<number>> = [];
    for (let i = 0; i < 3; i++)
      requests.request(
        () => undefined,
        (reply) => replies.push(reply),
      );
    requests.cancelAll('the panel closed');
    expect(replies).toEqual(Array(3).fill({ ok: false, message: 'the panel closed' }));
  });
});
