/** Every run this window started: at most one live run per config. */
import * as path from 'path';
import * as vscode from 'vscode';
import type { TrainerCommand } from '../../shared/channels/trainerChannel';
import { Disposable } from '../dispose';
import { runKey, type RunRepository } from '../runs/runRepository';
import { RunSession, type RunLog } from './runSession';
import type { TrainerLaunch } from './trainerProcess';

/** Shown to the user when a second start would need the first run stopped. */
export class RunConflictError extends Error {
  constructor(readonly live: RunSession) {
    super(`a run of ${path.basename(live.configPath)} is already ${live.state}`);
  }
}

/** Starts, tracks and ends trainer runs. */
export class RunManager extends Disposable {
  private readonly sessions = new Map<string, RunSession>();
  private readonly changeEmitter = this._register(new vscode.EventEmitter<RunSession>());
  /** A session started, changed state, or its run gained records. */
  readonly onDidChangeSession = this.changeEmitter.event;

  constructor(
    private readonly log: RunLog,
    private readonly runs: RunRepository,
  ) {
    super();
  }

  /** Starts a run of `launch.configPath`; throws RunConflictError while that config has a live run. */
  start(launch: TrainerLaunch): RunSession {
    const key = runKey(launch.configPath);
    const current = this.sessions.get(key);
    if (current?.isLive) throw new RunConflictError(current);
    current?.dispose();
    const session = new RunSession(launch, this.log, this.runs);
    this.sessions.set(key, session);
    session.onDidChange(() => this.changeEmitter.fire(session));
    this.log.info(`starting ${launch.configPath}`);
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

  /** The latest session (live or ended) whose run folder is `runDir`. */
  sessionFor(runDir: string): RunSession | undefined {
    const wanted = runKey(runDir);
    return [...this.sessions.values()].find((session) => session.runDir && runKey(session.runDir) === wanted);
  }

  isLive(runDir: string): boolean {
    return this.sessionFor(runDir)?.isLive ?? false;
  }

  /** Sends a command to the live run in `runDir`; false if it is not live. */
  send(runDir: string, command: TrainerCommand): boolean {
    return this.sessionFor(runDir)?.send(command) ?? false;
  }

  /** What the `lstmState.*` context keys should say. */
  contextState(): { running: boolean; paused: boolean; stateful: boolean } {
    const live = this.liveRuns();
    return {
      running: live.length > 0,
      paused: live.some((session) => session.state === 'paused'),
      stateful: live.some((session) => session.stateful),
    };
  }

  /** SIGTERM every live trainer, SIGKILL after `graceMs`; their runs read as interrupted. */
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
}
