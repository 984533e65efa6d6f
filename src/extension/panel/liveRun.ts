/** One run as a panel serves it: read from disk, kept current by live trainer events, turned into deltas. */
import * as path from 'path';
import { emptyCauseCounts, type CauseCounts } from '../../shared/causes';
import type { BatchDetail, RunSnapshot, TrainerEvent } from '../../shared/protocol';
import type { RunStatus } from '../../shared/runFormat';
import { answerForRun, countCauses, readManifest, readRun, type RunData } from '../../runStore/readRun';
import { batchDetailOf, snapshotOf } from '../../runStore/snapshot';
import type { Delta } from './deltaQueue';

export class LiveRun {
  private run: RunData | undefined;
  private counts: CauseCounts = emptyCauseCounts();
  /** Status learned from live events; it beats what the disk says while the trainer runs. */
  private liveStatus: RunStatus | undefined;
  private message: string | undefined;

  constructor(readonly runDir: string, private readonly isLive: () => boolean) {}

  /** The run name for the panel title. */
  title(): string {
    try {
      // The manifest alone: the whole log is read when the webview asks for its snapshot.
      return (this.run?.manifest ?? readManifest(this.runDir)).name;
    } catch {
      return path.basename(this.runDir);
    }
  }

  /** A full snapshot, re-read from disk so it holds every completed batch (an ended run is read once). */
  snapshot(): RunSnapshot {
    const run = this.run?.end ? this.run : this.reload();
    const snapshot = snapshotOf(run);
    return { ...snapshot, status: this.status(run), message: this.message ?? snapshot.message };
  }

  /**
   * The tensors of one batch, from the cache: the webview only knows batches this run has sent,
   * and asks again when the next one arrives. (Re-reading here would take in batches whose
   * events are still in flight, and `apply` would then drop those events.)
   */
  detail(step: number): BatchDetail {
    return batchDetailOf(this.data(), step);
  }

  /** Applies a trainer event of this run; returns what the webview must learn, if anything. */
  apply(event: TrainerEvent): Delta | undefined {
    const run = this.data();
    const delta: Delta = { type: 'delta', batches: [], resets: [], epochLosses: [], status: this.status(run), answer: '' };
    switch (event.type) {
      case 'started': this.liveStatus = 'running'; break;
      case 'batch':
        // The record is on disk before the event is sent, so a fresh read may already hold it.
        if (event.record.step !== run.batches.length) return undefined;
        run.batches.push(event.record);
        this.counts[event.record.cause]++;
        delta.batches.push(event.record);
        if (this.liveStatus !== 'paused') this.liveStatus = 'running';
        break;
      case 'epochEnd': delta.epochLosses.push({ epoch: event.epoch, meanLoss: event.meanLoss }); break;
      case 'reset': delta.resets.push({ cause: event.cause, beforeStep: event.beforeStep }); break;
      case 'state': this.liveStatus = event.status; break;
      case 'finished': this.liveStatus = event.status; break;
      case 'failed':
        this.liveStatus = 'failed';
        this.message = event.message;
        break;
      default: return undefined;
    }
    delta.status = this.status(run);
    delta.answer = event.type === 'finished' ? event.answer : this.answer(run);
    if (this.message) delta.message = this.message;
    return delta;
  }

  private data(): RunData {
    return this.run ?? this.reload();
  }

  private reload(): RunData {
    this.run = readRun(this.runDir);
    this.counts = countCauses(this.run.batches);
    return this.run;
  }

  private status(run: RunData): RunStatus {
    if (run.end) return run.end.status;
    if (this.liveStatus) return this.liveStatus;
    return this.isLive() ? 'running' : run.status;
  }

  private answer(run: RunData): string {
    return answerForRun(run, this.counts);
  }
}
