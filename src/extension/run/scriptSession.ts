/**
 * A run of the user's own PyTorch script under the recorder. The script may record several
 * modules, each into its own run folder, announced on stderr: the session binds to each as it
 * is announced. There is no IPC: commands are appended to the run folders' control.jsonl, and
 * the state follows what the recorder acknowledges in the logs.
 */
import * as path from 'path';
import type { TrainerCommand } from '../../shared/channels/trainerChannel';
import { explainRecorderFailure } from '../../shared/recorderArgs';
import type { RunRepository } from '../runs/runRepository';
import { appendControl, isProcessWide } from './controlFile';
import { RunSession, type RunFailure, type RunLog } from './runSession';
import { ScriptProcess, scriptArgs, type ScriptLaunch } from './scriptProcess';
import type { TrainerExit } from './trainerProcess';

const STARTING_STOP_GRACE_MS = 3000;

/** How the user picks another interpreter in the editor. */
export const CHOOSE_PYTHON =
  'set "lstmState.pythonPath" to a Python that has torch (e.g. /usr/bin/python3), or select one with the Python extension';

/** The recorder process of one python config and the state of its runs. */
export class ScriptSession extends RunSession {
  private process: ScriptProcess | undefined;

  constructor(
    readonly launch: ScriptLaunch,
    log: RunLog,
    runs: RunRepository,
  ) {
    super(launch.configPath, log, runs);
  }

  start(): void {
    if (this.state !== 'idle') throw new Error(`run already ${this.state}`);
    this.apply({ kind: 'start' });
    const { python, pythonSource } = this.launch;
    this.log.info(`recording with ${python} (${pythonSource}): ${python} ${scriptArgs(this.launch).join(' ')}`);
    let exited!: (exit: TrainerExit) => void;
    this.exited = new Promise((resolve) => (exited = resolve));
    this.process = new ScriptProcess(this.launch, {
      onRecording: (runDir) => this.bindRun(path.resolve(this.launch.config.cwd, runDir)),
      onOutput: (stream, line) => (stream === 'stdout' ? this.log.info(line) : this.noteStderr(line)),
      onExit: (exit, error) => void this.handleExit(exit, error).then(() => exited(exit)),
    });
  }

  /**
   * Appends the command to the control files: pause, resume and stop to every live run of the
   * script (its process waits or stops at whichever module is called next), a reset or schedule
   * to the run in `runDir`, or to all of them. Before any run exists a stop ends the process.
   */
  send(command: TrainerCommand, runDir?: string): boolean {
    if (!this.isLive || !this.process) return false;
    if (command.type === 'stop' && this.models.length === 0) {
      void this.terminate(STARTING_STOP_GRACE_MS);
      return true;
    }
    const targets = this.models.filter(
      (model) => model.live && (isProcessWide(command) || !runDir || model.runDir === path.resolve(runDir)),
    );
    let sent = false;
    for (const model of targets) sent = appendControl(model, command, this.log) || sent;
    if (sent && command.type === 'stop') this.apply({ kind: 'stop' });
    return sent;
  }

  /** SIGTERM (the recorder ends the runs `stopped` with every batch flushed), SIGKILL after `graceMs`. */
  async terminate(graceMs: number): Promise<void> {
    if (!this.process || this.process.hasExited) return;
    this.terminated = true;
    this.apply({ kind: 'terminate' });
    await this.process.terminate(graceMs);
    await this.exited;
  }

  private async handleExit(exit: TrainerExit, error?: NodeJS.ErrnoException): Promise<void> {
    const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
    this.log.info(error ? `${this.launch.python} could not be started: ${error.message}` : `script exited (${how})`);
    await this.settleExit(() => this.crash(exit, how, error));
  }

  /** Why the process ended without its runs saying so: a start-up problem in plain words, or the script's last words. */
  private crash(exit: TrainerExit, how: string, error?: NodeJS.ErrnoException): RunFailure {
    const explained = explainRecorderFailure({
      python: this.launch.python,
      code: exit.code,
      spawnError: error,
      stderr: this.stderrTail,
      choose: CHOOSE_PYTHON,
    });
    if (explained)
      return { message: explained, field: /^script not found/.test(explained) ? 'python.script' : undefined };
    const script = path.basename(this.launch.config.script);
    const detail = this.stderrSummary();
    if (this.models.length === 0 && exit.code === 0)
      return { message: `${script} ended without calling any nn.LSTM, nn.GRU or nn.RNN: nothing was recorded` };
    const when = this.models.length === 0 ? 'before any LSTM call' : 'unexpectedly';
    return { message: `${script} stopped ${when} (${how})${detail ? `: ${detail}` : ''}` };
  }
}
