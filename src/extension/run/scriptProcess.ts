/** A Python script under the PyTorch recorder: spawn, its output line by line, the run folders it announces, SIGTERM → SIGKILL. */
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import type { ResolvedPythonConfig } from '../../shared/config';
import { formatRecorderArgs, parseRecordingLine, recorderPythonPath } from '../../shared/recorderArgs';
import { forwardLines } from './outputLines';
import type { TrainerExit } from './trainerProcess';

/** How to record one python config. */
export interface ScriptLaunch {
  /** The interpreter to run (a path, or a command name looked up on PATH). */
  python: string;
  /** Where the interpreter came from, for messages: "lstmState.pythonPath", "the Python extension", … */
  pythonSource: string;
  /** The folder holding the `lstm_state_timeline` package (the extension's python/). */
  recorderDir: string;
  configPath: string;
  workspaceFolder: string;
  config: ResolvedPythonConfig;
}

/** Callbacks a script process reports to; the session turns them into state. */
export interface ScriptListener {
  /** The recorder opened a run folder (one per recorded module). */
  onRecording(runDir: string, module: string): void;
  onOutput(stream: 'stdout' | 'stderr', line: string): void;
  /** `error` is set when the process could not be started at all (e.g. no such interpreter). */
  onExit(exit: TrainerExit, error?: NodeJS.ErrnoException): void;
}

/** The interpreter's argv for a launch. */
export function scriptArgs(launch: ScriptLaunch): string[] {
  const { config } = launch;
  return formatRecorderArgs({ ...config, configPath: launch.configPath });
}

/** One recorder process. */
export class ScriptProcess {
  private readonly child: ChildProcess;
  private exitInfo: TrainerExit | undefined;
  /** Resolves when the process has exited (or could not start). */
  readonly exited: Promise<TrainerExit>;

  constructor(launch: ScriptLaunch, listener: ScriptListener) {
    const env = {
      ...process.env,
      PYTHONPATH: recorderPythonPath(launch.recorderDir, process.env.PYTHONPATH, path.delimiter),
      // The script's prints reach the output channel as they happen.
      PYTHONUNBUFFERED: '1',
    };
    this.child = spawn(launch.python, scriptArgs(launch), {
      cwd: launch.config.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    forwardLines(this.child.stdout, (line) => listener.onOutput('stdout', line));
    forwardLines(this.child.stderr, (line) => {
      const notice = parseRecordingLine(line);
      if (notice) listener.onRecording(notice.runDir, notice.module);
      listener.onOutput('stderr', line);
    });
    this.exited = new Promise((resolve) => {
      const finish = (exit: TrainerExit, error?: NodeJS.ErrnoException) => {
        if (this.exitInfo) return;
        this.exitInfo = exit;
        listener.onExit(exit, error);
        resolve(exit);
      };
      // 'close' (not 'exit') so every output line has been delivered first.
      this.child.on('close', (code, signal) => finish({ code, signal }));
      // A process that never started emits no 'close' of its own.
      this.child.on('error', (error) => this.child.pid === undefined && finish({ code: null, signal: null }, error));
    });
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** SIGTERM (the recorder ends its runs `stopped`), then SIGKILL if the process is still there after `graceMs`. */
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
