/**
 * Every run the host knows, read from its folder — the single source of truth, whoever writes it
 * (a trainer this window started, the CLI, the PyTorch recorder). One key per run, one model per
 * run; the tree, the status bar, the sessions and the panels all subscribe to it. A run that is
 * live is followed: its folder is watched and its log read incrementally as it grows.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { RUN_FILES, type EndRecord, type LogRecord } from '../../shared/runFormat';
import { LogReader } from '../../runStore/logReader';
import { isEndLine, lastCompleteLine } from '../../runStore/logTail';
import { readRunHeader, readTail } from '../../runStore/runHeader';
import { foldLinesInto } from '../../runStore/runLog';
import { isWriterAlive, runStatus } from '../../runStore/runStatus';
import { Disposable } from '../dispose';
import { RunModel, type RunChange } from './runModel';

/** How often a live run is re-read even without a file event (and its writer's liveness checked). */
const POLL_MS = 1000;
/** File events come per write; a read waits this long so one read takes in a burst of them. */
const SETTLE_MS = 15;

/** One key per run: the resolved folder path, case-folded where the file system is. */
export function runKey(runDir: string): string {
  const resolved = path.resolve(runDir);
  return process.platform === 'win32' || process.platform === 'darwin' ? resolved.toLowerCase() : resolved;
}

/** Reads a live run's folder as it grows. */
class Follower {
  readonly reader: LogReader;
  private watcher: fs.FSWatcher | undefined;
  private readonly poll: NodeJS.Timeout;
  private settle: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  /** When the last read started (performance.now()). */
  private lastRead = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly model: RunModel,
    private readonly read: (follower: Follower) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {
    this.reader = new LogReader(path.join(model.runDir, RUN_FILES.log));
    try {
      this.watcher = fs.watch(model.runDir, { persistent: false }, () => this.schedule());
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // Some file systems cannot be watched: the poll still follows the run.
    }
    this.poll = setInterval(() => void this.now(), POLL_MS);
  }

  /**
   * A file changed: read at once when nothing was read for SETTLE_MS (a paused run's control
   * record shows without waiting), else once after SETTLE_MS for the whole burst of events.
   */
  schedule(): void {
    if (!this.reading && this.settle === undefined && performance.now() - this.lastRead >= SETTLE_MS) {
      void this.now();
      return;
    }
    this.settle ??= setTimeout(() => {
      this.settle = undefined;
      void this.now();
    }, SETTLE_MS);
  }

  /** Reads now; a call while a read runs makes one more read after it. Resolves when the folder has been read up to now. */
  now(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        this.lastRead = performance.now();
        try {
          await this.read(this);
        } catch (error) {
          this.onError(error);
        }
      } while (this.again);
    })().finally(() => (this.reading = undefined));
    return this.reading;
  }

  get stopped(): boolean {
    return !this.model.live;
  }

  dispose(): void {
    this.watcher?.close();
    clearInterval(this.poll);
    clearTimeout(this.settle);
  }
}

export class RunRepository extends Disposable {
  private readonly models = new Map<string, RunModel>();
  private readonly followers = new Map<string, Follower>();
  private readonly opening = new Map<string, Promise<RunModel>>();
  private readonly changeEmitter = this._register(new vscode.EventEmitter<RunChange>());
  /** A run gained records or changed status. */
  readonly onDidChangeRun = this.changeEmitter.event;

  constructor(private readonly log: { warn(message: string): void }) {
    super();
  }

  /** The model of a run, if the repository has read it. */
  get(runDir: string): RunModel | undefined {
    return this.models.get(runKey(runDir));
  }

  /** Every run read so far. */
  known(): RunModel[] {
    return [...this.models.values()];
  }

  /** The run's manifest and status (its whole log only if it is live, so that it is followed). */
  async header(runDir: string): Promise<RunModel> {
    const key = runKey(runDir);
    const known = this.models.get(key);
    if (known) return known;
    const header = await readRunHeader(runDir);
    const model = this.models.get(key) ?? this.adopt(new RunModel(key, header.runDir, header.manifest, header.status));
    if (model.live) void this.open(runDir).catch((error: unknown) => this.log.warn(messageOfError(error)));
    return model;
  }

  /** The run with every batch read; a live run is followed from then on. */
  open(runDir: string): Promise<RunModel> {
    const key = runKey(runDir);
    const known = this.models.get(key);
    if (known?.loaded) return Promise.resolve(known);
    let opening = this.opening.get(key);
    if (!opening) {
      opening = (async () => {
        const model =
          known ??
          this.adopt(new RunModel(key, path.resolve(runDir), (await readRunHeader(runDir)).manifest, 'running'));
        const follower = new Follower(
          model,
          (f) => this.readInto(model, f),
          (error) => this.log.warn(messageOfError(error)),
        );
        this.followers.set(key, follower);
        await follower.now();
        model.loaded = true;
        if (!model.live) this.unfollow(key);
        return model;
      })().finally(() => this.opening.delete(key));
      this.opening.set(key, opening);
    }
    return opening;
  }

  /** Reads a followed run now (e.g. its writer just exited) and resolves when done. */
  async refresh(runDir: string): Promise<void> {
    await this.followers.get(runKey(runDir))?.now();
  }

  /**
   * Ends a run whose writer died without an end record as `failed`, so it reads as failed from its
   * folder alone. Only for a writer this window started and saw exit (nobody else writes the log).
   */
  async markFailed(runDir: string, message: string): Promise<void> {
    const logPath = path.join(runDir, RUN_FILES.log);
    try {
      const tail = await readTail(logPath);
      const size = (await fs.promises.stat(logPath)).size;
      const { line, newlineAt } = lastCompleteLine(tail);
      if (isEndLine(line)) return;
      if (newlineAt < 0 && tail.length < size) return; // a last line longer than the window: leave the log alone
      // A torn line would merge with ours into one unreadable line: cut it off.
      const keep = size - tail.length + newlineAt + 1;
      if (keep < size) await fs.promises.truncate(logPath, keep);
      const record: EndRecord = { t: 'end', status: 'failed', at: new Date().toISOString(), message };
      await fs.promises.appendFile(logPath, `${JSON.stringify(record)}\n`);
    } catch (error) {
      this.log.warn(`could not mark ${runDir} as failed: ${messageOfError(error)}`);
    }
    await this.refresh(runDir);
  }

  /** Forgets runs that are only listed (not open), so the next listing reads them again. */
  forgetHeaders(): void {
    for (const [key, model] of this.models) {
      if (model.loaded || this.opening.has(key)) continue;
      this.models.delete(key);
      model.dispose();
    }
  }

  override dispose(): void {
    for (const key of [...this.followers.keys()]) this.unfollow(key);
    for (const model of this.models.values()) model.dispose();
    this.models.clear();
    super.dispose();
  }

  private adopt(model: RunModel): RunModel {
    this.models.set(model.key, model);
    model.onDidChange((change) => this.changeEmitter.fire(change));
    return model;
  }

  /**
   * One read of a followed run: each slice of new log lines folded in and told to the subscribers
   * (so a read that catches up on thousands of batches is many short tasks, not one long one),
   * then the status from the one rule.
   */
  private async readInto(model: RunModel, follower: Follower): Promise<void> {
    await follower.reader.readNew((lines, firstLine, lineStarts) => {
      const from = model.batches.length;
      // Batches go into the model's columns as they are folded; only the few other records are kept for the change.
      const taken: LogRecord[] = [];
      foldLinesInto(model.log, model, model.manifest, lines, firstLine, lineStarts, (record) => {
        if (record.t !== 'batch') taken.push(record);
      });
      // An end or a pause changes the status with the slice that says so; otherwise it is checked once per read.
      const says = taken.some((record) => record.t === 'end' || record.t === 'state');
      model.indexRecords(taken, from, says ? statusOf(model) : model.status);
    });
    for (const problem of model.log.problems.slice(model.problemsReported))
      this.log.warn(`${path.join(model.runDir, RUN_FILES.log)}: ${problem.message}`);
    model.problemsReported = model.log.problems.length;
    model.indexRecords([], model.batches.length, statusOf(model));
    if (!model.live && model.loaded) this.unfollow(model.key);
  }

  private unfollow(key: string): void {
    this.followers.get(key)?.dispose();
    this.followers.delete(key);
  }
}

/** The run's status by the one rule: its end record, else paused or running while its writer lives. */
function statusOf(model: RunModel) {
  const alive = !model.log.end && isWriterAlive(model.manifest.process, model.runDir);
  return runStatus(model.log.end, model.log.paused, alive);
}

function messageOfError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
