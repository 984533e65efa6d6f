/**
 * A run of the extension's own trainer: a forked Node process that says over IPC where its run
 * folder is (`started`), warns, or fails before any folder exists; commands go back over IPC.
 */
import {
  TRAINER_PROTOCOL_VERSION,
  type TrainerCommand,
  type TrainerMessage,
} from '../../shared/channels/trainerChannel';
import type { RunRepository } from '../runs/runRepository';
import { RunSession, type RunLog } from './runSession';
import { TrainerProcess, type TrainerExit, type TrainerLaunch } from './trainerProcess';

const STARTING_STOP_GRACE_MS = 2000;

/** The trainer process of one config and the state of its run. */
export class TrainerSession extends RunSession {
  private process: TrainerProcess | undefined;

  constructor(
    readonly launch: TrainerLaunch,
    log: RunLog,
    runs: RunRepository,
  ) {
    super(launch.configPath, log, runs);
  }

  start(): void {
    if (this.state !== 'idle') throw new Error(`run already ${this.state}`);
    this.apply({ kind: 'start' });
    let exited!: (exit: TrainerExit) => void;
    this.exited = new Promise((resolve) => (exited = resolve));
    this.process = new TrainerProcess(this.launch, {
      onMessage: (message) => this.handleMessage(message),
      onOutput: (stream, line) => (stream === 'stdout' ? this.log.info(line) : this.noteStderr(line)),
      onExit: (exit) => void this.handleExit(exit).then(() => exited(exit)),
    });
  }

  /** Sends a command to the trainer over IPC; false when the run is not live. */
  send(command: TrainerCommand): boolean {
    if (!this.isLive || !this.process) return false;
    if (command.type === 'stop') {
      // Before `started` there is nothing to finish: end the process instead.
      if (this.state === 'starting') {
        void this.terminate(STARTING_STOP_GRACE_MS);
        return true;
      }
      this.apply({ kind: 'stop' });
    }
    return this.process.send(command);
  }

  /** SIGTERM, SIGKILL after `graceMs`: the run ends without an end record (interrupted). */
  async terminate(graceMs: number): Promise<void> {
    if (!this.process || this.process.hasExited) return;
    this.terminated = true;
    this.apply({ kind: 'terminate' });
    await this.process.terminate(graceMs);
    await this.exited;
  }

  private handleMessage(message: TrainerMessage): void {
    switch (message.type) {
      case 'started':
        if (message.protocolVersion !== TRAINER_PROTOCOL_VERSION) {
          this.log.warn(
            `trainer speaks protocol ${message.protocolVersion}, this extension ${TRAINER_PROTOCOL_VERSION}: rebuild (npm run build)`,
          );
        }
        this.bindRun(message.runDir);
        return;
      case 'warning':
        this.warnings.push(message);
        this.log.warn(`${message.code} (${message.field}): ${message.message}`);
        return;
      case 'notice':
        this.log.info(message.message);
        return;
      case 'failed':
        this.failure = { message: message.message, field: message.field, file: message.file, line: message.line };
        this.runDir ??= message.runDir;
        this.log.error(`run failed${message.field ? ` (${message.field})` : ''}: ${message.message}`);
        this.apply({ kind: 'failed' });
        return;
    }
  }

  private async handleExit(exit: TrainerExit): Promise<void> {
    const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
    this.log.info(`trainer exited (${how})`);
    await this.settleExit(() => {
      const detail = this.stderrSummary();
      return { message: `the trainer stopped unexpectedly (${how})${detail ? `: ${detail}` : ''}` };
    });
  }
}
