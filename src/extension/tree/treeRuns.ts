/** The runs the tree knows: headers for the list, full models once expanded, live ones fed by events. */
import * as fs from 'fs';
import { loadRunModel, readRunHeader } from './loadRun';
import { RunModel } from './runModel';

/** A run from its header only, or fully loaded (every batch). */
interface Entry { model: RunModel; loaded: boolean }

/** The tree's cache of runs, keyed by run folder. */
export class TreeRuns {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<RunModel>>();
  /** Runs started in this window stay listed even where no run folder is scanned. */
  private readonly startedHere = new Set<string>();

  constructor(private readonly listRunDirs: () => Promise<string[]>, private readonly isLive: (runDir: string) => boolean) {}

  /** The model the tree shows for a run (header-only until loaded), if known. */
  get(runDir: string): RunModel | undefined {
    return this.entries.get(runDir)?.model;
  }

  isLoaded(runDir: string): boolean {
    return this.entries.get(runDir)?.loaded ?? false;
  }

  /** A run that just started here: its model is built from its events, not read from disk. */
  started(runDir: string, model: RunModel): void {
    this.startedHere.add(runDir);
    this.entries.set(runDir, { model, loaded: true });
  }

  /** Forgets header-only runs so the next listing re-reads them. */
  forgetHeaders(): void {
    for (const [runDir, entry] of this.entries) if (!entry.loaded) this.entries.delete(runDir);
  }

  /** Every listed run folder that holds a readable manifest, newest first (names start with a UTC timestamp). */
  async list(): Promise<string[]> {
    const dirs = new Set(await this.listRunDirs());
    for (const runDir of this.startedHere) if (this.isLive(runDir) || fs.existsSync(runDir)) dirs.add(runDir);
    const known = await Promise.all([...dirs].map(async (runDir) => {
      if (this.entries.has(runDir)) return runDir;
      try {
        const header = await readRunHeader(runDir);
        const model = new RunModel(runDir, header.manifest, header.status);
        model.message = header.message;
        this.entries.set(runDir, { model, loaded: false });
        return runDir;
      } catch {
        return undefined; // not a run folder (any more)
      }
    }));
    return known.filter((d): d is string => d !== undefined).sort((a, b) => baseName(b).localeCompare(baseName(a)));
  }

  /** The run with every batch (read once, in slices; live runs are already complete). */
  load(runDir: string): Promise<RunModel> {
    const entry = this.entries.get(runDir);
    if (entry?.loaded) return Promise.resolve(entry.model);
    let loading = this.loading.get(runDir);
    if (!loading) {
      loading = loadRunModel(runDir).then((model) => {
        // A live run that started meanwhile has the fresher model.
        const current = this.entries.get(runDir);
        if (current?.loaded) return current.model;
        this.entries.set(runDir, { model, loaded: true });
        return model;
      }).finally(() => this.loading.delete(runDir));
      this.loading.set(runDir, loading);
    }
    return loading;
  }
}

function baseName(runDir: string): string {
  return runDir.split(/[\\/]/).pop() ?? runDir;
}
