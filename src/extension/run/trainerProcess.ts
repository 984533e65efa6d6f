/** The trainer child process: fork, typed messages both ways, and SIGTERM → SIGKILL shutdown. */
import { fork, type ChildProcess } from 'child_process';
import * as path from 'path';
import type { BackendChoice } from '../../shared/config';
import { isTrainerMessage, type TrainerCommand, type TrainerMessage } from '../../shared/channels/trainerChannel';
import { formatTrainerArgs } from '../../shared/trainerArgs';
import { forwardLines } from './outputLines';

/** How to start one trainer (mirrors the trainer's command line). */
export interface TrainerLaunch {
  trainerPath: string;
  configPath: string;
  workspaceFolder: string;
  runsDir?: string;
  backend?: BackendChoice;
  tensorBudgetBytes?: number;
}

/** How the process ended. */
export interface TrainerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Callbacks a process reports to; the session turns them into state. */
export interface TrainerListener {
  onMessage(message: TrainerMessage): void;
  onOutput(stream: 'stdout' | 'stderr', line: string): void;
  onExit(exit: TrainerExit): void;
}

/** The trainer's argv for a launch, in the trainer's own format. */
export function trainerArgs(launch: TrainerLaunch): string[] {
  return formatTrainerArgs({ ...launch, workspaceRoot: launch.workspaceFolder });
}

/** One forked trainer. */
export class TrainerProcess {
  private readonly child: ChildProcess;
  private exitInfo: TrainerExit | undefined;
  /** Resolves when the process has exited (however it ended). */
  readonly exited: Promise<TrainerExit>;

  constructor(launch: TrainerLaunch, listener: TrainerListener) {
    // fork uses the editor's own Node runtime (process.execPath), so no node install is needed.
    this.child = fork(launch.trainerPath, trainerArgs(launch), {
      cwd: path.dirname(launch.configPath),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // The editor's runtime is Electron: make it behave as plain Node for the child.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      // Not the host's flags: under F5 they include --inspect ports the child cannot reuse.
      execArgv: [],
    });
    this.child.on('message', (message: unknown) => {
      // Anything else on the channel is not ours to interpret.
      if (isTrainerMessage(message)) listener.onMessage(message);
    });
    forwardLines(this.child.stdout, (line) => listener.onOutput('stdout', line));
    forwardLines(this.child.stderr, (line) => listener.onOutput('stderr', line));
    this.exited = new Promise((resolve) => {
      const finish = (exit: TrainerExit) => {
        if (this.exitInfo) return;
        this.exitInfo = exit;
        listener.onExit(exit);
        resolve(exit);
      };
      // 'close' (not 'exit') so every message and output line has been delivered first.
      this.child.on('close', (code, signal) => finish({ code, signal }));
      this.child.on('error', (error) => {
        listener.onOutput('stderr', `trainer process error: ${error.message}`);
        // A process that never started emits no 'close' of its own.
        if (this.child.pid === undefined) finish({ code: null, signal: null });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** Sends a command; false when the channel is already closed. */
  send(command: TrainerCommand): boolean {
    if (!this.child.connected) return false;
    this.child.send(command);
    return true;
  }

  /** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
  async terminate(graceMs: number): Promise<TrainerExit> {
    if (this.exitInfo) return this.exitInfo;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!this.exitInfo) this.child.kill('SIGKILL');
    }, graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
