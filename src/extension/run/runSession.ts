/**
 * One run this window started: its trainer process and its state. What the run records comes
 * from its folder, through the run repository (the session binds to the repository's model once
 * the trainer says where the folder is); the IPC channel only brings commands and early notices.
 */
import * as vscode from 'vscode';
import { emptyCauseCounts, type CauseCounts } from '../../shared/causes';
import {
  TRAINER_PROTOCOL_VERSION,
  type TrainerCommand,
  type TrainerMessage,
  type WarningMessage,
} from '../../shared/channels/trainerChannel';
import type { BatchRecord, RunManifest } from '../../shared/runFormat';
import { Disposable } from '../dispose';
import type { RunModel } from '../runs/runModel';
import type { RunRepository } from '../runs/runRepository';
import { isLive, transition, type RunInput, type RunState } from './runState';
import { TrainerProcess, type TrainerExit, type TrainerLaunch } from './trainerProcess';

/** Where a session writes the trainer's output (a LogOutputChannel in the editor). */
export interface RunLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Why a run failed: the trainer's words (naming the field or file) or ours, for a crash. */
export interface RunFailure {
  message: string;
  field?: string;
  file?: string;
  line?: number;
}

const STDERR_TAIL = 20;
const STARTING_STOP_GRACE_MS = 2000;

/** A trainer process and the state of its run; created by RunManager.start. */
export class RunSession extends Disposable {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<RunSession>());
  private readonly startedEmitter = this._register(new vscode.EventEmitter<RunModel>());
  /** Fires on every state change and whenever the run's folder gains records. */
  readonly onDidChange = this.changeEmitter.event;
  /** The run folder exists and its model is loaded. */
  readonly onDidStart = this.startedEmitter.event;

  state: RunState = 'idle';
  runDir: string | undefined;
  /** The run as read from its folder, once it exists. */
  model: RunModel | undefined;
  readonly warnings: WarningMessage[] = [];
  failure: RunFailure | undefined;
  private process: TrainerProcess | undefined;
  private terminated = false;
  private readonly stderrTail: string[] = [];
  /** Settles once the folder has been read after the trainer said it exists. */
  private bound: Promise<void> = Promise.resolve();

  constructor(
    readonly launch: TrainerLaunch,
    private readonly log: RunLog,
    private readonly runs: RunRepository,
  ) {
    super();
  }

  get configPath(): string {
    return this.launch.configPath;
  }

  get isLive(): boolean {
    return isLive(this.state);
  }

  get manifest(): RunManifest | undefined {
    return this.model?.manifest;
  }

  get stateful(): boolean {
    return this.manifest?.model.stateful ?? false;
  }

  get lastBatch(): BatchRecord | undefined {
    return this.model?.batches.at(-1);
  }

  get counts(): CauseCounts {
    return this.model?.counts ?? emptyCauseCounts();
  }

  /** The plain-words answer, once the run has ended. */
  get answer(): string | undefined {
    return this.model && !this.isLive ? this.model.answer() : undefined;
  }

  /** Resolves when the trainer process has exited and its folder has been read to the end. */
  exited: Promise<TrainerExit | undefined> = Promise.resolve(undefined);

  start(): void {
    if (this.state !== 'idle') throw new Error(`run already ${this.state}`);
    this.apply({ kind: 'start' });
    let exited!: (exit: TrainerExit) => void;
    this.exited = new Promise((resolve) => (exited = resolve));
    this.process = new TrainerProcess(this.launch, {
      onMessage: (message) => this.handleMessage(message),
      onOutput: (stream, line) => this.handleOutput(stream, line),
      onExit: (exit) => void this.handleExit(exit).then(() => exited(exit)),
    });
  }

  /** Sends a command to the trainer; false when the run is not live. */
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

  /** Graceful stop; terminates if the trainer has not exited within `graceMs` × 5. Resolves when it has exited. */
  async stopGracefully(graceMs: number): Promise<void> {
    this.send({ type: 'stop' });
    const timer = setTimeout(() => void this.terminate(graceMs), graceMs * 5);
    await this.exited;
    clearTimeout(timer);
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
        this.runDir = message.runDir;
        this.bound = this.bind(message.runDir);
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

  /** Follows the run folder the trainer created: its model drives the state from now on. */
  private async bind(runDir: string): Promise<void> {
    try {
      const model = await this.runs.open(runDir);
      this.model = model;
      // `interrupted` only means the writer is gone: for a process of ours, its exit decides between a crash and a terminate.
      const follow = () => model.status !== 'interrupted' && this.apply({ kind: 'status', status: model.status });
      this._register(
        model.onDidChange((change) => {
          if (change.statusChanged) follow();
          this.changeEmitter.fire(this);
        }),
      );
      this.apply({ kind: 'started' });
      follow();
      this.startedEmitter.fire(model);
    } catch (error) {
      this.log.error(`cannot read the run folder ${runDir}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private handleOutput(stream: 'stdout' | 'stderr', line: string): void {
    if (stream === 'stdout') return this.log.info(line);
    this.log.error(line);
    this.stderrTail.push(line);
    if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
  }

  /** The process ended: read its folder to the end first, so a run that wrote its end record is not taken for a crash. */
  private async handleExit(exit: TrainerExit): Promise<void> {
    const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
    this.log.info(`trainer exited (${how})`);
    await this.bound;
    if (this.runDir) await this.runs.refresh(this.runDir);
    if (!this.isLive) return;
    if (!this.terminated && !this.failure) {
      const detail = this.stderrTail
        .filter((line) => line.trim())
        .slice(-3)
        .join(' | ');
      this.failure = { message: `the trainer stopped unexpectedly (${how})${detail ? `: ${detail}` : ''}` };
    }
    // Record the crash in the run folder so the run reads as failed after a reload too.
    if (!this.terminated && this.model && !this.model.log.end)
      await this.runs.markFailed(this.model.runDir, this.failure!.message);
    this.apply({ kind: 'exit', terminated: this.terminated });
  }

  private apply(input: RunInput): void {
    const next = transition(this.state, input);
    if (next === this.state) return;
    this.state = next;
    this.changeEmitter.fire(this);
  }
}
