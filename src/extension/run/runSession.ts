/** One live run of one config: its trainer process, its state, and what it has reported so far. */
import * as vscode from 'vscode';
import { emptyCauseCounts, type CauseCounts } from '../../shared/causes';
import { PROTOCOL_VERSION, type TrainerCommand, type TrainerEvent, type WarningEvent } from '../../shared/protocol';
import type { BatchRecord, RunManifest } from '../../shared/runFormat';
import { Disposable } from '../dispose';
import { markRunFailed } from './markFailed';
import { isLive, transition, type RunInput, type RunState } from './runState';
import { TrainerProcess, type TrainerExit, type TrainerLaunch } from './trainerProcess';

/** Where a session writes the trainer's output (a LogOutputChannel in the editor). */
export interface RunLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const STDERR_TAIL = 20;
const STARTING_STOP_GRACE_MS = 2000;

/** A trainer process and the state of its run; created by RunManager.start. */
export class RunSession extends Disposable {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<RunSession>());
  private readonly eventEmitter = this._register(new vscode.EventEmitter<TrainerEvent>());
  /** Fires on every state change and every new batch. */
  readonly onDidChange = this.changeEmitter.event;
  /** Every trainer event, in order. */
  readonly onEvent = this.eventEmitter.event;

  state: RunState = 'idle';
  runDir: string | undefined;
  manifest: RunManifest | undefined;
  lastBatch: BatchRecord | undefined;
  readonly counts: CauseCounts = emptyCauseCounts();
  readonly warnings: WarningEvent[] = [];
  /** Why the run failed, in the trainer's words (or ours, for a crash). */
  failure: { message: string; field?: string } | undefined;
  answer: string | undefined;
  private process: TrainerProcess | undefined;
  private terminated = false;
  private readonly stderrTail: string[] = [];

  constructor(readonly launch: TrainerLaunch, private readonly log: RunLog) {
    super();
  }

  get configPath(): string {
    return this.launch.configPath;
  }

  get isLive(): boolean {
    return isLive(this.state);
  }

  get stateful(): boolean {
    return this.manifest?.model.stateful ?? false;
  }

  /** Resolves when the trainer process has exited (at once if it never started). */
  get exited(): Promise<TrainerExit | undefined> {
    return this.process ? this.process.exited : Promise.resolve(undefined);
  }

  start(): void {
    if (this.state !== 'idle') throw new Error(`run already ${this.state}`);
    this.apply({ kind: 'start' });
    this.process = new TrainerProcess(this.launch, {
      onEvent: (event) => this.handleEvent(event),
      onOutput: (stream, line) => this.handleOutput(stream, line),
      onExit: (exit) => this.handleExit(exit),
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
  }

  private handleEvent(event: TrainerEvent): void {
    switch (event.type) {
      case 'started':
        this.runDir = event.runDir;
        this.manifest = event.manifest;
        if (event.protocolVersion !== PROTOCOL_VERSION) {
          this.log.warn(`trainer speaks protocol ${event.protocolVersion}, this extension ${PROTOCOL_VERSION}: rebuild (npm run build)`);
        }
        break;
      case 'batch':
        this.lastBatch = event.record;
        this.counts[event.record.cause]++;
        break;
      case 'warning':
        this.warnings.push(event);
        this.log.warn(`${event.code} (${event.field}): ${event.message}`);
        break;
      case 'finished':
        this.answer = event.answer;
        this.log.info(`run ${event.status}: ${event.answer}`);
        break;
      case 'failed':
        this.failure = { message: event.message, field: event.field };
        this.runDir ??= event.runDir;
        this.log.error(`run failed${event.field ? ` (${event.field})` : ''}: ${event.message}`);
        break;
      case 'notice':
        this.log.info(event.message);
        break;
    }
    this.eventEmitter.fire(event);
    this.apply({ kind: 'event', event }, event.type === 'batch');
  }

  private handleOutput(stream: 'stdout' | 'stderr', line: string): void {
    if (stream === 'stdout') return this.log.info(line);
    this.log.error(line);
    this.stderrTail.push(line);
    if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
  }

  private handleExit(exit: TrainerExit): void {
    const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
    this.log.info(`trainer exited (${how})`);
    if (!this.isLive) return;
    if (!this.terminated) {
      const detail = this.stderrTail.filter((line) => line.trim()).slice(-3).join(' | ');
      this.failure = { message: `the trainer stopped unexpectedly (${how})${detail ? `: ${detail}` : ''}` };
      // Record the failure in the run folder so the run reads as failed after a reload too.
      if (this.runDir) markRunFailed(this.runDir, this.failure.message, this.log);
    }
    this.apply({ kind: 'exit', ...exit, terminated: this.terminated });
  }

  private apply(input: RunInput, forceFire = false): void {
    const next = transition(this.state, input);
    const changed = next !== this.state;
    this.state = next;
    if (changed || forceFire) this.changeEmitter.fire(this);
  }
}
