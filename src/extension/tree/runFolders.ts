/**
 * Where run folders are: every `.lstm-runs/` in the workspace, the `lstmState.runsFolder`
 * setting, folders runs were started in (a config's own `runsDir`), and runs opened by hand.
 * The last two are remembered per workspace so they survive a reload.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { listRunDirs } from '../../runStore/listRuns';
import { RUN_FILES } from '../../shared/runFormat';
import { Disposable } from '../dispose';
import { readSettings } from '../settings';

const ROOTS_KEY = 'lstmState.runRoots';
const OPENED_KEY = 'lstmState.openedRuns';

/** Finds run folders and tells when the set may have changed. */
export class RunFolders extends Disposable {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<void>());
  /** A run folder appeared or disappeared. */
  readonly onDidChange = this.changeEmitter.event;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly state: vscode.Memento) {
    super();
    // Run folders (not their files): one event per run, not per batch written.
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/.lstm-runs/*', false, true, false));
    this._register(watcher.onDidCreate(() => this.changed()));
    this._register(watcher.onDidDelete(() => this.changed()));
    this._register(
      vscode.workspace.onDidChangeConfiguration(
        (e) => e.affectsConfiguration('lstmState.runsFolder') && this.changed(),
      ),
    );
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.changed()));
    this._register({ dispose: () => clearTimeout(this.timer) });
  }

  /** Every run folder found, in no particular order. */
  async listRunDirs(): Promise<string[]> {
    const roots = new Set<string>(this.state.get<string[]>(ROOTS_KEY, []));
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const configured = readSettings(folder.uri).runsFolder;
      if (configured) roots.add(configured);
    }
    const manifests = await vscode.workspace.findFiles(
      `**/.lstm-runs/*/${RUN_FILES.manifest}`,
      '**/node_modules/**',
      10_000,
    );
    for (const uri of manifests) roots.add(path.dirname(path.dirname(uri.fsPath)));
    const dirs = new Set<string>();
    for (const root of roots) for (const dir of listRunDirs(root)) dirs.add(dir);
    for (const dir of this.state.get<string[]>(OPENED_KEY, [])) {
      if (fs.existsSync(path.join(dir, RUN_FILES.manifest))) dirs.add(dir);
    }
    return [...dirs];
  }

  /** Remembers the folder a run was started in, so its siblings are listed too. */
  async rememberRoot(runDir: string): Promise<void> {
    await this.add(ROOTS_KEY, path.dirname(runDir));
  }

  /** Remembers a run opened with "Open Saved Run…" (it may be outside the workspace). */
  async rememberRun(runDir: string): Promise<void> {
    await this.add(OPENED_KEY, runDir);
  }

  private async add(key: string, value: string): Promise<void> {
    const values = this.state.get<string[]>(key, []);
    if (values.includes(value)) return;
    await this.state.update(key, [...values, value].slice(-50));
    this.changed();
  }

  private changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changeEmitter.fire(), 300);
  }
}
