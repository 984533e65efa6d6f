/**
 * The PyTorch recorder's command line, written by whoever starts it (the editor, the CLI's
 * `record`): `<python> -m lstm_state_timeline [options] <script> [args…]` with PYTHONPATH naming
 * the folder that holds the `lstm_state_timeline` package; what it says on stderr when it opens
 * a run folder; and its start-up failures in plain words with what to do.
 */

/** The recorder's Python package (python/lstm_state_timeline). */
export const RECORDER_MODULE = 'lstm_state_timeline';

/** How to record one script (mirrors `python3 -m lstm_state_timeline --help`). */
export interface RecordRequest {
  script: string;
  args: string[];
  runsDir?: string;
  /** Run name prefix: each run is `<name>-<module path>`. */
  name?: string;
  stride?: number;
  epochs?: number;
  hiddenRows?: number[];
  budgetBytes?: number;
  /** The `*.lstm.json` the run was started from (written into each manifest). */
  configPath?: string;
}

/** The interpreter's argv after the interpreter itself. */
export function formatRecorderArgs(request: RecordRequest): string[] {
  const args = ['-m', RECORDER_MODULE];
  if (request.runsDir) args.push('--runs-dir', request.runsDir);
  if (request.name) args.push('--name', request.name);
  if (request.stride !== undefined) args.push('--stride', String(request.stride));
  if (request.epochs !== undefined) args.push('--epochs', String(request.epochs));
  if (request.hiddenRows) args.push(`--hidden-rows=${request.hiddenRows.join(',')}`);
  if (request.budgetBytes !== undefined) args.push('--budget-bytes', String(request.budgetBytes));
  if (request.configPath) args.push('--config', request.configPath);
  // Everything after the script is the script's own: argparse's REMAINDER keeps it as it is.
  return [...args, request.script, ...request.args];
}

/** PYTHONPATH with the recorder's folder first (the user's own entries kept after it). */
export function recorderPythonPath(recorderDir: string, current: string | undefined, delimiter: string): string {
  return current ? `${recorderDir}${delimiter}${current}` : recorderDir;
}

/** The prefix of the recorder's own start-up errors on stderr ("lstm_state_timeline: torch is not installed …"). */
export const RECORDER_ERROR_PREFIX = `${RECORDER_MODULE}: `;

/** A run folder the recorder opened: `[lstm-state-timeline] recording <module> into <runDir>`. */
export interface RecordingNotice {
  module: string;
  runDir: string;
}

const RECORDING_LINE = /^\[lstm-state-timeline\] recording (.+?) into (.+)$/;

/** The notice in one stderr line, if it is one. */
export function parseRecordingLine(line: string): RecordingNotice | undefined {
  const match = RECORDING_LINE.exec(line.trimEnd());
  return match ? { module: match[1], runDir: match[2] } : undefined;
}

/** How a recorder process ended before it recorded anything, as the caller saw it. */
export interface RecorderExit {
  python: string;
  code: number | null;
  /** The error of a process that could not be started (e.g. ENOENT). */
  spawnError?: { code?: string; message: string };
  /** The last lines it wrote on stderr. */
  stderr: readonly string[];
  /** How the user picks another interpreter here, e.g. "set lstmState.pythonPath to a Python that has it". */
  choose: string;
}

/**
 * Why the recorder could not record, with what to do: a missing interpreter, a Python without
 * torch, a recorder package that is not on PYTHONPATH, a missing script. Undefined for anything
 * else (the script's own failure, whose last lines the caller shows).
 */
export function explainRecorderFailure(exit: RecorderExit): string | undefined {
  const { python, spawnError, choose } = exit;
  const stderr = exit.stderr.join('\n');
  if (spawnError) {
    const { code } = spawnError;
    if (code === 'ENOENT')
      return `the Python interpreter "${python}" was not found. Install Python 3 with torch (Debian/Ubuntu: sudo apt install python3-torch), or ${choose}.`;
    if (code === 'EACCES') return `"${python}" cannot be run (permission denied): ${choose}.`;
    return `"${python}" could not be started: ${spawnError.message}. ${capitalise(choose)}.`;
  }
  if (/torch is not installed|No module named '?torch'?/.test(stderr))
    return `torch is not installed for ${python}. Install it (Debian/Ubuntu: sudo apt install python3-torch; elsewhere: pip install torch), or ${choose}.`;
  if (new RegExp(`No module named '?${RECORDER_MODULE}'?`).test(stderr))
    return `${python} cannot find the recorder package ${RECORDER_MODULE} on PYTHONPATH: the extension's python/ folder is missing. Reinstall the extension (or run from the repository, which has python/).`;
  const notFound = /script not found: .*/.exec(stderr);
  if (exit.code === 2 && notFound) return notFound[0];
  if (/SyntaxError|invalid syntax/.test(stderr) && /lstm_state_timeline/.test(stderr))
    return `${python} is too old for the recorder (it needs Python 3.9 or later): ${choose}.`;
  return undefined;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
