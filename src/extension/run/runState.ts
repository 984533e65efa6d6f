/**
 * The life of one run started by this window, as a pure state machine:
 *   idle → starting → running ⇄ paused → stopping → finished | stopped | failed | interrupted
 * Once the run folder exists its own status (read from the folder) drives the state; before
 * that, and when the process ends, the process does. Free of processes and `vscode`.
 */
import type { RunStatus } from '../../shared/runFormat';

/** Where a run is in its life. */
export type RunState =
  'idle' | 'starting' | 'running' | 'paused' | 'stopping' | 'finished' | 'stopped' | 'failed' | 'interrupted';

/** What can happen to a run: our own requests, what its folder says, and its process. */
export type RunInput =
  | { kind: 'start' }
  /** A graceful stop was asked for (the writer finishes the batch and writes its end record). */
  | { kind: 'stop' }
  /** SIGTERM (then SIGKILL) was sent: the run will end without an end record. */
  | { kind: 'terminate' }
  /** The run folder exists. */
  | { kind: 'started' }
  /** The status the run folder says (read by the run repository). */
  | { kind: 'status'; status: RunStatus }
  /** The trainer reported a failure (e.g. a config error before any run folder). */
  | { kind: 'failed' }
  /** The process ended; its folder has been read to the end first. */
  | { kind: 'exit'; terminated: boolean };

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
    case 'started':
      return state === 'starting' ? 'running' : state;
    case 'status':
      if (isEnded(input.status)) return input.status;
      // Pause and resume show once running; a requested stop stays `stopping` until the run ends.
      return state === 'running' || state === 'paused' ? input.status : state;
    case 'failed':
      return 'failed';
    case 'exit':
      // An exit with no end record in the folder: ours (terminate) or a crash.
      return input.terminated ? 'interrupted' : 'failed';
  }
}
