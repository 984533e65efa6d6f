import { describe, expect, it } from 'vitest';
import { isEnded, isLive, transition, type RunInput, type RunState } from '../../src/extension/run/runState';
import type { TrainerEvent } from '../../src/shared/protocol';
import type { RunManifest } from '../../src/shared/runFormat';
import { emptyCauseCounts } from '../../src/shared/causes';

const event = (e: TrainerEvent): RunInput => ({ kind: 'event', event: e });
const started = event({ type: 'started', protocolVersion: 1, runDir: '/r', manifest: {} as RunManifest });
const paused = event({ type: 'state', status: 'paused' });
const resumed = event({ type: 'state', status: 'running' });
const finished = (status: 'finished' | 'stopped') =>
  event({ type: 'finished', status, runDir: '/r', resets: emptyCauseCounts(), batches: 1, answer: '' });
const failed = event({ type: 'failed', message: 'boom' });
const exit = (terminated: boolean): RunInput => ({ kind: 'exit', code: terminated ? null : 3, signal: terminated ? 'SIGTERM' : null, terminated });

function run(inputs: RunInput[], from: RunState = 'idle'): RunState[] {
  const states: RunState[] = [];
  let state = from;
  for (const input of inputs) states.push((state = transition(state, input)));
  return states;
}

describe('run state machine', () => {
  it('goes idle → starting → running ⇄ paused → stopping → stopped', () => {
    expect(run([{ kind: 'start' }, started, paused, resumed, paused, { kind: 'stop' }, finished('stopped'), exit(false)]))
      .toEqual(['starting', 'running', 'paused', 'running', 'paused', 'stopping', 'stopped', 'stopped']);
  });

  it('finishes normally and ignores the exit that follows', () => {
    expect(run([{ kind: 'start' }, started, finished('finished'), exit(false)])).toEqual(['starting', 'running', 'finished', 'finished']);
  });

  it('a bad config fails before the run starts', () => {
    expect(run([{ kind: 'start' }, event({ type: 'warning', code: 'x', message: 'm', field: 'f' }), failed, exit(false)]))
      .toEqual(['starting', 'starting', 'failed', 'failed']);
  });

  it('an exit without an end event is a crash (failed) unless we terminated it (interrupted)', () => {
    expect(run([{ kind: 'start' }, started, exit(false)]).at(-1)).toBe('failed');
    expect(run([{ kind: 'start' }, started, { kind: 'terminate' }, exit(true)])).toEqual(['starting', 'running', 'stopping', 'interrupted']);
    expect(run([{ kind: 'start' }, started, paused, { kind: 'terminate' }, exit(true)]).at(-1)).toBe('interrupted');
  });

  it('ignores pause acknowledgements once stopping and before started', () => {
    expect(transition('stopping', paused)).toBe('stopping');
    expect(transition('starting', paused)).toBe('starting');
  });

  it('ended states are final', () => {
    for (const end of ['finished', 'stopped', 'failed', 'interrupted'] as const) {
      expect(run([{ kind: 'start' }, started, paused, failed, exit(true), { kind: 'stop' }], end).every((s) => s === end)).toBe(true);
      expect(isEnded(end) && !isLive(end)).toBe(true);
    }
    expect(['starting', 'running', 'paused', 'stopping'].every((s) => isLive(s as RunState))).toBe(true);
  });
});
