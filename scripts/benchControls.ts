/**
 * Extension-host benchmark (bundled and run by scripts/bench.mjs, `vscode` = test/shims/vscode.ts):
 * how fast Pause, Reset States Now and Stop take effect in a real trainer (dist/trainer.js) at full
 * speed, and how fast the status bar and the timeline panel acknowledge them. The run starts
 * through the host's own Start Training, run manager, sessions and repository; the commands go
 * through the registered command handlers, with the argument each caller passes (the palette:
 * none; the panel's toolbar: its run folder; the tree: its run node). A worker thread tails the log
 * on its own to see when the trainer applied each command. Target (issue 14, target 3): one
 * batch's duration + 100 ms, from the command to the trainer and to the screen, first and later uses.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { monitorEventLoopDelay } from 'perf_hooks';
import { Worker } from 'worker_threads';
import { commandHandlers, panelActionHandler } from '../src/extension/commands/registerCommands';
import type { CommandTarget } from '../src/extension/commands/pickers';
import { startTraining } from '../src/extension/commands/startTraining';
import { RunManager } from '../src/extension/run/runManager';
import type { RunSession } from '../src/extension/run/runSession';
import { RunRepository } from '../src/extension/runs/runRepository';
import { RunsTreeProvider } from '../src/extension/tree/runsTreeProvider';
import type { RunsTreeNode } from '../src/extension/tree/treeNodes';
import { trackContextKeys } from '../src/extension/ui/contextKeys';
import { RunStatusBar } from '../src/extension/ui/runStatusBar';
import type { TailEvent } from './benchControls/logTail';
import { BenchPanels, fakeVscode, type Screen } from './benchControls/fakeWorkbench';
import { Uri } from '../test/shims/vscode';

const root = process.cwd(); // bench.mjs runs this from the project root
const ADDED_MS = 100;
const now = () => performance.timeOrigin + performance.now();
const debug = (message: string) => process.env.BENCH_DEBUG && console.log(message);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Small and fast: hundreds of batches per second on one core. */
const FAST_CONFIG = {
  name: 'bench-controls',
  data: { generator: 'sine', samples: 40_000, timesteps: 4, features: 1, seed: 0, layout: 'continuous' },
  model: { units: 4, stateful: true },
  training: { batchSize: 8, epochs: 50, shuffle: false, optimizer: 'sgd', learningRate: 0.01, seed: 0 },
  resets: 'never',
  capture: { hiddenRows: [], inputs: false },
};

type Control = 'pause' | 'resetNow' | 'stop';
type Caller = 'palette' | 'panel' | 'tree';
interface Measure {
  control: Control;
  caller: Caller;
  first: boolean;
  appliedMs: number;
  batchesAfter: number;
  statusBarMs: number;
  panelMs: number;
}

const COMMAND: Record<Control, string> = {
  pause: 'lstmState.pauseTraining',
  resetNow: 'lstmState.resetStatesNow',
  stop: 'lstmState.stopTraining',
};

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-bench-controls-'));
  const screen: Screen = { statusBar: [], panel: [], progress: [] };
  const workspaceDir = path.join(dir, 'workspace');
  fs.mkdirSync(workspaceDir);
  const configPath = path.join(workspaceDir, 'fast.lstm.json');
  fs.writeFileSync(configPath, JSON.stringify(FAST_CONFIG, null, 2));
  const context = fakeVscode(screen, workspaceDir, path.join(dir, 'state'));

  const log = { info: debug, warn: (m: string) => console.warn(m), error: (m: string) => console.warn(m) };
  const repository = new RunRepository(log);
  const runs = new RunManager(log, repository);
  const intervalMs = () => 100; // the tree's and status bar's interval at lstmState.updateRateHz's default (at most 10 a second)
  const tree = new RunsTreeProvider(repository, async () => runs.liveRuns().flatMap((s) => s.runDirs), intervalMs());
  // The panels' toolbar calls the host's panel handler, made once `services` exists.
  const panels = new BenchPanels(root, repository, screen, (runDir, action) => panelAction(runDir, action));
  const statusBar = new RunStatusBar(runs, intervalMs);
  const contextKeys = trackContextKeys(runs);
  const services = {
    context,
    repository,
    runs,
    folders: { rememberRoot: async () => undefined },
    tree,
    treeView: undefined,
    panels,
    panelVisibility: panels,
    log: { ...log, show: () => undefined },
    jobs: undefined,
    intervalMs,
    trainerPath: path.join(root, 'dist/trainer.js'),
  } as unknown as Parameters<typeof commandHandlers>[0];
  const handlers = commandHandlers(services);
  const panelAction = panelActionHandler(services);
  // The Runs view is visible with the run expanded: the workbench asks for the changed nodes' children.
  const expanded = watchTree(tree);

  const measures: Measure[] = [];
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  stalls.enable();
  const load = os.loadavg()[0];
  let batchMs = Number.NaN;
  try {
    for (const round of [1, 2]) {
      const session = (await startTraining(services, Uri.file(configPath) as unknown as CommandTarget)) as RunSession;
      const started = await new Promise<string>((resolve) => session.onDidStart((model) => resolve(model.runDir)));
      const tail = new LogTail(path.join(started, 'log.jsonl'));
      debug(`following ${started}`);
      await tail.waitForBatches(400);
      const node: RunsTreeNode = { kind: 'run', id: `run:${started}`, runDir: started };
      // The palette passes no argument, the tree its node; the panel sends its toolbar message.
      const issue = (caller: Caller, control: Control | 'resume') => {
        if (caller === 'panel') return panels.press(started, control);
        const command = control === 'resume' ? 'lstmState.resumeTraining' : COMMAND[control];
        void handlers[command](caller === 'tree' ? node : undefined);
      };
      const use = async (control: Control, caller: Caller, first: boolean) => {
        debug(`${control} from the ${caller} at batch ${tail.lastStep}`);
        measures.push(await measure(screen, tail, control, caller, () => issue(caller, control), first));
        if (control === 'pause') {
          issue(caller, 'resume');
          await tail.waitFor((e) => e.t === 'state' && e.status === 'running');
        }
        if (control !== 'stop') await tail.waitForBatches(200);
      };
      const callers: Caller[] = round === 1 ? ['palette', 'panel', 'tree'] : ['tree', 'palette', 'panel'];
      for (const [i, caller] of callers.entries()) await use('pause', caller, round === 1 && i === 0);
      for (const [i, caller] of callers.entries()) await use('resetNow', caller, round === 1 && i === 0);
      await use('stop', callers[0], round === 1);
      await session.exited;
      batchMs = tail.batchMs();
      tail.dispose();
    }
  } finally {
    stalls.disable();
    expanded.dispose();
    contextKeys.dispose();
    statusBar.dispose();
    runs.dispose();
    tree.dispose();
    repository.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  report(measures, batchMs, load, stalls.max / 1e6);
  const notifications = screen.progress.filter((location) => location === 15).length;
  console.log(
    `  progress while the run's panel is on screen: ${screen.progress.length} shown, ${notifications} as a notification  target 0  ${notifications === 0 ? 'ok' : 'OVER TARGET'}`,
  );
  process.exit(0);
}

/** Issues one command and waits until the trainer applied it and both the status bar and the panel show it. */
async function measure(
  screen: Screen,
  tail: LogTail,
  control: Control,
  caller: Caller,
  issue: () => void,
  first: boolean,
): Promise<Measure> {
  const resetsBefore = screen.statusBar.at(-1)?.resets ?? 0;
  const barFrom = screen.statusBar.length;
  const panelFrom = screen.panel.length;
  const lastStep = tail.lastStep;
  const issued = now();
  issue();
  const applied = await tail.waitFor((e) =>
    control === 'pause'
      ? e.t === 'state' && e.status === 'paused'
      : control === 'resetNow'
        ? e.t === 'reset' && e.cause === 'manual'
        : e.t === 'end',
  );
  const shows = {
    pause: (s: { state: string }) => s.state === 'paused',
    resetNow: (s: { resets: number; state: string }) => s.resets > resetsBefore,
    stop: (s: { state: string }) => s.state === 'stopped',
  }[control];
  const bar = await waitUntil(() => screen.statusBar.slice(barFrom).find(shows));
  const panel = await waitUntil(() =>
    screen.panel
      .slice(panelFrom)
      .find((d) =>
        control === 'resetNow' ? d.manualResets > 0 : d.status === { pause: 'paused', stop: 'stopped' }[control],
      ),
  );
  // The last batch on disk when the command was issued (the worker's own times, not this thread's view).
  const before = tail.stepAt(issued) ?? lastStep;
  const appliedStep = applied.atStep ?? applied.beforeStep ?? applied.step ?? before + 1;
  return {
    control,
    caller,
    first,
    appliedMs: applied.at - issued,
    batchesAfter: Math.max(0, appliedStep - (before + 1)),
    statusBarMs: bar.at - issued,
    panelMs: panel.at - issued,
  };
}

async function waitUntil<T>(find: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > until) throw new Error('timed out waiting for the screen');
    await sleep(1);
  }
}

/** The Runs view as the workbench uses it: on each change, it asks again for the children of the changed nodes. */
function watchTree(tree: RunsTreeProvider): { dispose(): void } {
  return tree.onDidChangeTreeData((changed) => {
    const nodes = changed === undefined ? [undefined] : Array.isArray(changed) ? changed : [changed];
    for (const node of nodes)
      void tree.getChildren(node).then((children) => children.forEach((child) => tree.getTreeItem(child)));
  });
}

/** The log as the trainer writes it, seen by the worker thread. */
class LogTail {
  private readonly worker: Worker;
  private readonly events: TailEvent[] = [];
  private waiters: Array<() => void> = [];
  lastStep = -1;

  constructor(logPath: string) {
    this.worker = new Worker(path.join(__dirname, 'benchControlsTail.js'), { workerData: { logPath } });
    this.worker.on('message', (events: TailEvent[]) => {
      for (const event of events) {
        this.events.push(event);
        if (event.t === 'batch') this.lastStep = event.step!;
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** The first event from now on that matches. */
  async waitFor(match: (event: TailEvent) => boolean): Promise<TailEvent> {
    const from = this.events.length;
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async waitForBatches(count: number): Promise<void> {
    const until = this.lastStep + count;
    await this.waitFor((e) => e.t === 'batch' && e.step! >= until);
  }

  /** The step of the last batch seen on disk at `time`. */
  stepAt(time: number): number | undefined {
    let step: number | undefined;
    for (const event of this.events) if (event.t === 'batch' && event.at <= time) step = event.step;
    return step;
  }

  /** Wall-clock time per batch over the run (pauses included: a slight overestimate). */
  batchMs(): number {
    const batches = this.events.filter((e) => e.t === 'batch');
    const total = batches.at(-1)!.at - batches[0].at;
    return total / Math.max(1, batches.length - 1);
  }

  dispose(): void {
    void this.worker.terminate();
  }
}

function report(measures: Measure[], batchMs: number, load: number, maxStallMs: number): void {
  const target = batchMs + ADDED_MS;
  const verdict = (ms: number) => (ms <= target ? 'ok' : 'OVER TARGET');
  console.log(
    `controls on a live run at full speed (real trainer, ${(1000 / batchMs).toFixed(0)} batches/s, one batch ${batchMs.toFixed(1)} ms): ` +
      `target ≤ one batch + ${ADDED_MS} ms = ${target.toFixed(0)} ms, command → trainer and command → status bar / panel`,
  );
  for (const m of measures) {
    const name = { pause: 'Pause', resetNow: 'Reset States Now', stop: 'Stop' }[m.control];
    const worst = Math.max(m.appliedMs, m.statusBarMs, m.panelMs);
    console.log(
      `  ${m.first ? 'first' : 'later'} ${name.padEnd(16)} from the ${m.caller.padEnd(7)}: applied ${m.appliedMs.toFixed(0).padStart(4)} ms ` +
        `(${m.batchesAfter} batch${m.batchesAfter === 1 ? '' : 'es'} after), status bar ${m.statusBarMs.toFixed(0).padStart(4)} ms, ` +
        `panel ${m.panelMs.toFixed(0).padStart(4)} ms  ${verdict(worst)}`,
    );
  }
  console.log(
    `  host's longest event-loop stall during the runs ${maxStallMs.toFixed(0)} ms; load average ${load.toFixed(1)} on ${os.cpus().length} cores`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
