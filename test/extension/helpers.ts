/** Shared helpers for the extension tests: temp workspaces, fake-trainer configs, waiting. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { RunLog } from '../../src/extension/run/runSession';
import type { ScriptLaunch } from '../../src/extension/run/scriptProcess';
import type { TrainerLaunch } from '../../src/extension/run/trainerProcess';

export const FAKE_TRAINER = path.join(__dirname, '../fixtures/fakeTrainer.mjs');

/** A fresh temp folder standing in for a workspace folder. */
export function tempWorkspace(prefix = 'lstm-ext-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a config whose `fake` block scripts the fake trainer; returns its launch. */
export function fakeLaunch(workspace: string, fake: Record<string, unknown>, name = 'fake'): TrainerLaunch {
  const configPath = path.join(workspace, `${name}.lstm.json`);
  fs.writeFileSync(configPath, JSON.stringify({ name, fake }));
  return { trainerPath: FAKE_TRAINER, configPath, workspaceFolder: workspace };
}

/** A RunLog that keeps every line (for assertions and for failure messages). */
export class MemoryLog implements RunLog {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
}

/** Polls `predicate` until true (or fails after `timeoutMs`). */
export async function waitFor(predicate: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** True while a process with this pid exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The repository's python/ folder (the recorder package the extension ships). */
export const RECORDER_DIR = path.join(__dirname, '../../python');
/** examples/pytorch, whose scripts the recorder tests run. */
export const PYTORCH_EXAMPLES = path.join(__dirname, '../../examples/pytorch');
/** Debian's python3 with torch (python3 on PATH may lack it). */
export const TORCH_PYTHON = '/usr/bin/python3';

/** A launch of the recorder on `script` (absolute) from a config in `workspace`, runs kept in `<workspace>/.lstm-runs`. */
export function scriptLaunch(
  workspace: string,
  script: string,
  options: { args?: string[]; python?: string; name?: string; stride?: number } = {},
): ScriptLaunch {
  const name = options.name ?? path.basename(script, '.py');
  const configPath = path.join(workspace, `${name}.lstm.json`);
  fs.writeFileSync(configPath, JSON.stringify({ name, python: { script, args: options.args ?? [] } }));
  return {
    python: options.python ?? TORCH_PYTHON,
    pythonSource: 'test',
    recorderDir: RECORDER_DIR,
    configPath,
    workspaceFolder: workspace,
    config: {
      name,
      script,
      args: options.args ?? [],
      cwd: workspace,
      runsDir: path.join(workspace, '.lstm-runs'),
      stride: options.stride,
      epochs: undefined,
      hiddenRows: [0],
      budgetBytes: 64 * 1024 * 1024,
    },
  };
}

/** Writes an executable `python3` stand-in into `dir` that runs `body` (a sh script); returns its path. */
export function fakePython(dir: string, body: string): string {
  const file = path.join(dir, 'python3');
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}
