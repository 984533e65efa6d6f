/**
 * Every run this window started (at most one live run per config), and the one place commands
 * reach a live run: over its session (IPC for the trainer, control files for a recorded script),
 * or, for a live run no session of this window owns (started by the CLI or another window),
 * through its folder's control.jsonl.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { TrainerCommand } from '../../shared/channels/trainerChannel';
import { Disposable } from '../dispose';
import type { RunModel } from '../runs/runModel';
import { runKey, type RunRepository } from '../runs/runRepository';
import { acceptsControl, appendControl, isProcessWide, sameWriter } from './controlFile';
import type { RunLog, RunSession } from './runSession';
import type { ScriptLaunch } from './scriptProcess';
import { ScriptSession } from './scriptSession';
import type { TrainerLaunch } from './trainerProcess';
import { TrainerSession } from './trainerSession';

/** Shown to the user when a second start would need the first run stopped. */
export class RunConflictError extends Error {
  constructor(readonly live: RunSession) {
    super(`a run of ${path.basename(live.configPath)} is already ${live.state}`);
  }
}

/** A live run a command can reach: a session of this window, or a run folder whose writer reads control.jsonl. */
export type LiveRun = { session: RunSession; model?: undefined } | { session?: undefined; model: RunModel };

/** Starts, tracks and ends runs; delivers commands to live runs. */
export class RunManager extends Disposable {
  private readonly sessions = new Map<string, RunSession>();
  /** Live runs of other writers that take commands from their control file, by run key. */
  private readonly folderRuns = new Map<string, RunModel>();
  /** The status each of `folderRuns` had when last told. */
  private readonly folderStatus = new Map<string, string>();
  private readonly changeEmitter = this._register(new vscode.EventEmitter<RunSession>());
  private readonly folderEmitter = this._register(new vscode.EventEmitter<RunModel>());
  /** A session started, changed state, or its run gained records. */
  readonly onDidChangeSession = this.changeEmitter.event;
  /** A run no session owns became live, paused, resumed or ended. */
  readonly onDidChangeFolderRun = this.folderEmitter.event;

  constructor(
    private readonly log: RunLog,
    private readonly runs: RunRepository,
  ) {
    super();
    this._register(runs.onDidChangeRun(({ model }) => this.trackFolderRun(model)));
  }

  /** Starts a trainer run of `launch.configPath`; throws RunConflictError while that config has a live run. */
  start(launch: TrainerLaunch): RunSession {
    return this.begin(new TrainerSession(launch, this.log, this.runs));
  }

  /** Records a python config's script; throws RunConflictError while that config has a live run. */
  startScript(launch: ScriptLaunch): RunSession {
    return this.begin(new ScriptSession(launch, this.log, this.runs));
  }

  private begin(session: RunSession): RunSession {
    const key = runKey(session.configPath);
    const current = this.sessions.get(key);
    if (current?.isLive) {
      session.dispose();
      throw new RunConflictError(current);
    }
    current?.dispose();
    this.sessions.set(key, session);
    session.onDidChange(() => this.changeEmitter.fire(session));
    this.log.info(`starting ${session.configPath}`);
    session.start();
    return session;
  }

  /** Stops the live run of this config (if any) and waits for its process to end. */
  async stopAndWait(configPath: string, graceMs: number): Promise<void> {
    await this.liveFor(configPath)?.stopGracefully(graceMs);
  }

  liveFor(configPath: string): RunSession | undefined {
    const session = this.sessions.get(runKey(configPath));
    return session?.isLive ? session : undefined;
  }

  /** Live runs, most recently started last. */
  liveRuns(): RunSession[] {
    return [...this.sessions.values()].filter((session) => session.isLive);
  }

  /** Every run a command can reach: this window's live sessions, then live runs of other writers. */
  liveTargets(): LiveRun[] {
    return [
      ...this.liveRuns().map((session) => ({ session })),
      ...[...this.folderRuns.values()].map((model) => ({ model })),
    ];
  }

  /** The live run in `runDir`: its session, or the folder of another writer that takes commands. */
  liveTarget(runDir: string): LiveRun | undefined {
    const session = this.sessionFor(runDir);
    if (session?.isLive) return { session };
    const model = this.folderRuns.get(runKey(runDir));
    return model ? { model } : undefined;
  }

  /** The latest session (live or ended) one of whose run folders is `runDir`. */
  sessionFor(runDir: string): RunSession | undefined {
    const wanted = runKey(runDir);
    return [...this.sessions.values()].find((session) => session.runDirs.some((dir) => runKey(dir) === wanted));
  }

  isLive(runDir: string): boolean {
    return this.liveTarget(runDir) !== undefined;
  }

  /** Sends a command to the live run in `runDir`; false if it is not live or does not take the command. */
  send(runDir: string, command: TrainerCommand): boolean {
    const target = this.liveTarget(runDir);
    if (target?.session) return target.session.send(command, runDir);
    if (!target) return false;
    // Pause, resume and stop hold the writer's process: every run it writes gets them.
    const runs = isProcessWide(command)
      ? [...this.folderRuns.values()].filter((m) => sameWriter(m.manifest.process, target.model.manifest.process))
      : [target.model];
    return runs.map((model) => appendControl(model, command, this.log)).some(Boolean);
  }

  /** What the `lstmState.*` context keys should say; `stateful`: some live run can be reset. */
  contextState(): { running: boolean; paused: boolean; stateful: boolean } {
    const live = this.liveRuns();
    const folders = [...this.folderRuns.values()];
    return {
      running: live.length + folders.length > 0,
      paused: live.some((session) => session.state === 'paused') || folders.some((m) => m.status === 'paused'),
      stateful: live.some((session) => session.resettable) || folders.some((m) => m.manifest.model.stateful !== false),
    };
  }

  /** SIGTERM every live process of this window, SIGKILL after `graceMs`. */
  async terminateAll(graceMs: number): Promise<void> {
    await Promise.all(this.liveRuns().map((session) => session.terminate(graceMs)));
  }

  override dispose(): void {
    // Disposal cannot wait: send SIGTERM now, the grace timer still escalates to SIGKILL.
    void this.terminateAll(2000);
    for (const session of this.sessions.values()) session.dispose();
    this.sessions.clear();
    super.dispose();
  }

  /** Keeps `folderRuns` to the live, commandable runs no session owns; tells when that set or a status in it changes. */
  private trackFolderRun(model: RunModel): void {
    const known = this.folderRuns.get(model.key);
    const commandable = model.live && acceptsControl(model, { type: 'stop' }) && !this.sessionFor(model.runDir);
    if (commandable) this.folderRuns.set(model.key, model);
    else this.folderRuns.delete(model.key);
    const statusChanged = commandable && this.folderStatus.get(model.key) !== model.status;
    if (commandable) this.folderStatus.set(model.key, model.status);
    else this.folderStatus.delete(model.key);
    if (commandable !== (known !== undefined) || statusChanged) this.folderEmitter.fire(model);
  }
}
