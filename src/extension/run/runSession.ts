/**
 * One run this window started: a writer process (the trainer, or a script under the PyTorch
 * recorder) and its state. What the run records comes from its folder, through the run
 * repository: the session binds to the repository's model of each folder its process opens,
 * and their status drives its state. Subclasses start the process and deliver commands.
 */
import * as vscode from 'vscode';
import { emptyCauseCounts, type CauseCounts } from '../../shared/causes';
import type { TrainerCommand, WarningMessage } from '../../shared/channels/trainerChannel';
import type { BatchRecord, RunManifest, RunStatus } from '../../shared/runFormat';
import { Disposable } from '../dispose';
import { isLiveStatus, type RunModel } from '../runs/runModel';
import type { RunRepository } from '../runs/runRepository';
import { isLive, transition, type RunInput, type RunState } from './runState';
import type { TrainerExit } from './trainerProcess';

/** Where a session writes its process's output (a LogOutputChannel in the editor). */
export interface RunLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Why a run failed: the writer's words (naming the field, or the file and line) or ours, for a crash. */
export interface RunFailure {
  message: string;
  field?: string;
  file?: string;
  line?: number;
}

const STDERR_TAIL = 20;

/** A writer process and the state of its run(s); created by RunManager. */
export abstract class RunSession extends Disposable {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<RunSession>());
  private readonly startedEmitter = this._register(new vscode.EventEmitter<RunModel>());
  /** Fires on every state change and whenever a run folder of the session gains records. */
  readonly onDidChange = this.changeEmitter.event;
  /** The first run folder exists and its model is loaded. */
  readonly onDidStart = this.startedEmitter.event;

  state: RunState = 'idle';
  /** The session's first run folder (a script may record several modules: see runDirs). */
  runDir: string | undefined;
  /** Every run folder the process announced, in order. */
  readonly runDirs: string[] = [];
  /** The first run as read from its folder, once it exists. */
  model: RunModel | undefined;
  /** Every bound run, in the order of runDirs. */
  readonly models: RunModel[] = [];
  readonly warnings: WarningMessage[] = [];
  failure: RunFailure | undefined;
  /** Resolves when the process has exited and its folders have been read to the end. */
  exited: Promise<TrainerExit | undefined> = Promise.resolve(undefined);
  /** True once this window sent SIGTERM: a run without an end record then reads as interrupted, not crashed. */
  protected terminated = false;
  protected readonly stderrTail: string[] = [];
  /** Settles once every announced folder has been read. */
  private bound: Promise<void> = Promise.resolve();

  constructor(
    /** The `*.lstm.json` this run was started from (one live session per config). */
    readonly configPath: string,
    protected readonly log: RunLog,
    protected readonly runs: RunRepository,
  ) {
    super();
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

  /** Whether Reset States Now means anything: stateful, or a script that passes its own state (stateful null). False until the run folder says. */
  get resettable(): boolean {
    return this.manifest !== undefined && this.manifest.model.stateful !== false;
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

  /** Starts the process; the state becomes `starting`. */
  abstract start(): void;

  /** Sends a command to the live run (to the one in `runDir` where it matters); false when it cannot reach it. */
  abstract send(command: TrainerCommand, runDir?: string): boolean;

  /** SIGTERM, SIGKILL after `graceMs`; resolves when the process has exited. */
  abstract terminate(graceMs: number): Promise<void>;

  /** Graceful stop; terminates if the process has not exited within `graceMs` × 5. Resolves when it has exited. */
  async stopGracefully(graceMs: number): Promise<void> {
    this.send({ type: 'stop' });
    const timer = setTimeout(() => void this.terminate(graceMs), graceMs * 5);
    await this.exited;
    clearTimeout(timer);
  }

  /** Follows a run folder the process opened: the models' status drives the state from now on. */
  protected bindRun(runDir: string): void {
    if (this.runDirs.includes(runDir)) return;
    this.runDirs.push(runDir);
    this.runDir ??= runDir;
    const previous = this.bound;
    this.bound = Promise.all([previous, this.bind(runDir)]).then(() => undefined);
  }

  private async bind(runDir: string): Promise<void> {
    try {
      const model = await this.runs.open(runDir);
      this.models[this.runDirs.indexOf(runDir)] = model;
      const first = runDir === this.runDir;
      if (first) this.model = model;
      this._register(
        model.onDidChange((change) => {
          if (change.statusChanged) this.followStatus();
          this.changeEmitter.fire(this);
        }),
      );
      if (first) this.apply({ kind: 'started' });
      this.followStatus();
      if (first) this.startedEmitter.fire(model);
    } catch (error) {
      this.log.error(`cannot read the run folder ${runDir}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * The bound runs' status, as one: paused when a live one is paused, running while any is live,
   * else the first run's end. `interrupted` only means a writer is gone: for a process of ours,
   * its exit decides between a crash and a terminate.
   */
  private followStatus(): void {
    const statuses = this.models.filter(Boolean).map((model) => model.status);
    if (statuses.length === 0 || statuses.includes('interrupted')) return;
    const live = statuses.filter(isLiveStatus);
    const status: RunStatus = live.length ? (live.includes('paused') ? 'paused' : 'running') : statuses[0];
    if (status === 'failed' && !this.failure) this.failure = this.failureFromFolder();
    this.apply({ kind: 'status', status });
  }

  /** A run that failed in its writer says why in its end record (a script's exception, with file and line). */
  private failureFromFolder(): RunFailure | undefined {
    const end = this.models.find((model) => model?.log.end?.status === 'failed')?.log.end;
    if (!end) return undefined;
    return { message: end.message ?? 'the run failed', file: end.location?.file, line: end.location?.line };
  }

  /** A stderr line: logged as an error and kept in the tail a crash report quotes. */
  protected noteStderr(line: string): void {
    this.log.error(line);
    this.stderrTail.push(line);
    if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
  }

  /** The last few non-empty stderr lines, joined for a one-line message. */
  protected stderrSummary(lines = 3): string {
    return this.stderrTail
      .filter((line) => line.trim())
      .slice(-lines)
      .join(' | ');
  }

  /**
   * The process ended: read its folders to the end first, so a run that wrote its end record is
   * not taken for a crash. `crash` words a failure nobody reported.
   */
  protected async settleExit(crash: () => RunFailure): Promise<void> {
    await this.bound;
    await Promise.all(this.runDirs.map((runDir) => this.runs.refresh(runDir)));
    if (!this.isLive) return;
    if (!this.terminated && !this.failure) this.failure = crash();
    // Record the crash in each folder so the runs read as failed after a reload too.
    if (!this.terminated)
      for (const model of this.models)
        if (model && !model.log.end) await this.runs.markFailed(model.runDir, this.failure!.message);
    this.apply({ kind: 'exit', terminated: this.terminated });
  }

  protected apply(input: RunInput): void {
    const next = transition(this.state, input);
    if (next === this.state) return;
    this.state = next;
    this.changeEmitter.fire(this);
  }
}
