/**
 * The life of one live run as a pure state machine:
 *   idle → starting → running ⇄ paused → stopping → finished | stopped | failed | interrupted
 * Kept free of processes and `vscode` so every transition is tested directly.
 */
import type { TrainerEvent } from '../../shared/protocol';

/** Where a run is in its life. */
export type RunState =
  | 'idle' | 'starting' | 'running' | 'paused' | 'stopping'
  | 'finished' | 'stopped' | 'failed' | 'interrupted';

/** What can happen to a run: our own requests, the trainer's events, and the process exiting. */
export type RunInput =
  | { kind: 'start' }
  /** A graceful stop was asked for (the trainer finishes the batch and writes its end record). */
  | { kind: 'stop' }
  /** SIGTERM (then SIGKILL) was sent: the run will end without an end record. */
  | { kind: 'terminate' }
  | { kind: 'event'; event: TrainerEvent }
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null; terminated: boolean };

/** States in which the trainer process may be running. */
export const LIVE_STATES: readonly RunState[] = ['starting', 'running', 'paused', 'stopping'];
/** Final states. */
export const END_STATES: readonly RunState[] = ['finished', 'stopped', 'failed', 'interrupted'];

/** Whether the trainer process of a run in this state may still be running. */
export function isLive(state: RunState): boolean {
  return LIVE_STATES.includes(state);
}

/** Whether the run has reached a final state. */
export function isEnded(state: RunState): boolean {
  return END_STATES.includes(state);
}

/** The next state; inputs that do not apply leave the state unchanged. */
export function transition(state: RunState, input: RunInput): RunState {
  if (isEnded(state)) return state;
  switch (input.kind) {
    case 'start':
      return state === 'idle' ? 'starting' : state;
    case 'stop':
    case 'terminate':
      return state === 'idle' ? 'interrupted' : 'stopping';
    case 'exit':
      // An exit with no `finished`/`failed` before it: ours (terminate) or a crash.
      return input.terminated ? 'interrupted' : 'failed';
    case 'event':
      return onEvent(state, input.event);
  }
}

function onEvent(state: RunState, event: TrainerEvent): RunState {
  switch (event.type) {
    case 'started':
      return state === 'starting' ? 'running' : state;
    case 'state':
      // Once stopping, pause acknowledgements no longer matter.
      if (state === 'stopping' || state === 'starting' || state === 'idle') return state;
      return event.status;
    case 'finished':
      return event.status;
    case 'failed':
      return 'failed';
    default:
      return state;
  }
}
