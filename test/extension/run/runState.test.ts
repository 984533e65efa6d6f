import { describe, expect, it } from 'vitest';
import { isEnded, isLive, transition, type RunInput, type RunState } from '../../../src/extension/run/runState';
import type { RunStatus } from '../../../src/shared/runFormat';

const started: RunInput = { kind: 'started' };
const status = (s: RunStatus): RunInput => ({ kind: 'status', status: s });
const paused = status('paused');
const resumed = status('running');
const failed: RunInput = { kind: 'failed' };
const exit = (terminated: boolean): RunInput => ({ kind: 'exit', terminated });

function run(inputs: RunInput[], from: RunState = 'idle'): RunState[] {
  const states: RunState[] = [];
  let state = from;
  for (const input of inputs) states.push((state = transition(state, input)));
  return states;
}

describe('run state machine', () => {
  it('goes idle → starting → running ⇄ paused → stopping → stopped, as the run folder says', () => {
    expect(
      run([{ kind: 'start' }, started, paused, resumed, paused, { kind: 'stop' }, status('stopped'), exit(false)]),
    ).toEqual(['starting', 'running', 'paused', 'running', 'paused', 'stopping', 'stopped', 'stopped']);
  });

  it('finishes normally and ignores the exit that follows', () => {
    expect(run([{ kind: 'start' }, started, status('finished'), exit(false)])).toEqual([
      'starting',
      'running',
      'finished',
      'finished',
    ]);
  });

  it('a bad config fails before the run starts', () => {
    expect(run([{ kind: 'start' }, failed, exit(false)])).toEqual(['starting', 'failed', 'failed']);
  });

  it('an exit without an end record is a crash (failed) unless we terminated it (interrupted)', () => {
    expect(run([{ kind: 'start' }, started, exit(false)]).at(-1)).toBe('failed');
    expect(run([{ kind: 'start' }, started, { kind: 'terminate' }, exit(true)])).toEqual([
      'starting',
      'running',
      'stopping',
      'interrupted',
    ]);
    expect(run([{ kind: 'start' }, started, paused, { kind: 'terminate' }, exit(true)]).at(-1)).toBe('interrupted');
  });

  it('a requested stop stays stopping while the folder still says running or paused; before started, statuses wait', () => {
    expect(transition('stopping', paused)).toBe('stopping');
    expect(transition('stopping', resumed)).toBe('stopping');
    expect(transition('starting', paused)).toBe('starting');
    expect(transition('stopping', status('stopped'))).toBe('stopped');
  });

  it('ended states are final', () => {
    for (const end of ['finished', 'stopped', 'failed', 'interrupted'] as const) {
      expect(
        run([{ kind: 'start' }, started, paused, failed, exit(true), { kind: 'stop' }], end).every((s) => s === end),
      ).toBe(true);
      expect(isEnded(end) && !isLive(end)).toBe(true);
    }
    expect(['starting', 'running', 'paused', 'stopping'].every((s) => isLive(s as RunState))).toBe(true);
  });
});
