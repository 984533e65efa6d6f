/**
 * `record [options] -- <python> <script.py> [args…]`: runs a PyTorch script under the recorder
 * (python/lstm_state_timeline, put on PYTHONPATH), forwards stdin commands to the control files
 * of the runs it announces, and prints per run the same answer (and `--json` summary) as `train`.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import { COMMAND_WORDS, parseCommandLine, type TrainerCommand } from '../shared/channels/trainerChannel';
import {
  RECORDER_ERROR_PREFIX,
  RECORDER_MODULE,
  explainRecorderFailure,
  formatRecorderArgs,
  parseRecordingLine,
  recorderPythonPath,
} from '../shared/recorderArgs';
import { RUN_FILES } from '../shared/runFormat';
import { parseCommandArgs, UsageError } from './commandArgs';
import { describeRun, summariseRun } from './recordSummary';

export const RECORD_USAGE = `lstm-state-timeline record [--runs-dir DIR] [--name NAME] [--stride N] [--epochs N] [--json] -- <python> <script.py> [args…]
      records every nn.LSTM, nn.GRU and nn.RNN the script creates (the Python must have torch)
      while it runs, type on stdin: reset | pause | resume | stop | schedule never|epoch|<N>`;

const SPEC = {
  name: 'record',
  usage: RECORD_USAGE,
  options: {
    'runs-dir': { type: 'string' },
    name: { type: 'string' },
    stride: { type: 'string' },
    epochs: { type: 'string' },
    json: { type: 'boolean' },
  },
  renamed: { out: '--runs-dir DIR (the folder run folders are created in)' },
  operands: { count: 0, what: 'operands before -- (the command to record comes after --)' },
} as const;

/** Interpreter options that take a value (`-W ignore`, `-X dev`): the value is not the script. */
const VALUED_PYTHON_FLAGS = ['-W', '-X'];
/** How a CLI user picks another interpreter. */
const CHOOSE_PYTHON = 'name a Python that has torch after --, e.g. `-- /usr/bin/python3 train.py`';
const STDERR_TAIL = 20;

/** The recorder's package folder: python/ beside dist/ (in the repository and in the extension alike). */
export const RECORDER_DIR = path.resolve(__dirname, '..', 'python');

export async function runRecord(args: string[]): Promise<number> {
  const split = args.indexOf('--');
  const { values, help } = parseCommandArgs(split < 0 ? args : args.slice(0, split), SPEC);
  if (help) {
    console.log(`usage: ${RECORD_USAGE}`);
    return 0;
  }
  if (split < 0)
    throw new UsageError('"record" needs the script to run after --, e.g. `record -- python3 train.py`', RECORD_USAGE);
  const { python, flags, script, scriptArgs } = parseScriptCommand(args.slice(split + 1));
  if (!fs.existsSync(path.join(RECORDER_DIR, RECORDER_MODULE, '__main__.py')))
    throw new Error(
      `the recorder package is missing: ${path.join(RECORDER_DIR, RECORDER_MODULE)} (python/ must sit beside dist/)`,
    );
  const json = values.json ?? false;
  const out = json ? process.stderr : process.stdout;
  const recorderArgs = formatRecorderArgs({
    script,
    args: scriptArgs,
    runsDir: path.resolve(values['runs-dir'] ?? '.lstm-runs'),
    name: values.name,
    stride: positive(values.stride, '--stride'),
    epochs: positive(values.epochs, '--epochs'),
  });
  const child = spawn(python, [...flags, ...recorderArgs], {
    // With --json, stdout carries the summary alone: the script's own output goes to stderr.
    stdio: ['ignore', json ? 'pipe' : 'inherit', 'pipe'],
    env: { ...process.env, PYTHONPATH: recorderPythonPath(RECORDER_DIR, process.env.PYTHONPATH, path.delimiter) },
  });
  child.stdout?.pipe(process.stderr, { end: false });
  const runs: string[] = [];
  const tail: string[] = [];
  readline.createInterface({ input: child.stderr!, terminal: false }).on('line', (line) => {
    // The recorder's own start-up errors are worded once, below, with what to do.
    if (!line.startsWith(RECORDER_ERROR_PREFIX)) process.stderr.write(`${line}\n`);
    const notice = parseRecordingLine(line);
    if (notice) runs.push(path.resolve(notice.runDir));
    tail.push(line);
    if (tail.length > STDERR_TAIL) tail.shift();
  });
  const input = readline.createInterface({ input: process.stdin, terminal: false });
  input.on('line', (line) => {
    const command = parseCommandLine(line);
    if (command) forward(command, runs, () => child.kill('SIGTERM'), out);
    else if (line.trim()) out.write(`unknown command "${line.trim()}": use ${COMMAND_WORDS}\n`);
  });
  // Ctrl-C reaches the script too (same process group) and ends its runs `stopped`: wait for that.
  const onSigint = () => out.write('\nstopping (Ctrl-C)…\n');
  const onSigterm = () => child.kill('SIGTERM');
  process.on('SIGINT', onSigint).on('SIGTERM', onSigterm);
  const exit = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
    let error: Error | undefined;
    child.on('error', (e) => (error = e));
    child.on('close', (code) => resolve({ code, error }));
  });
  process.off('SIGINT', onSigint).off('SIGTERM', onSigterm);
  input.close();
  process.stdin.unref?.();
  if (runs.length === 0) {
    const explained = explainRecorderFailure({
      python,
      code: exit.code,
      spawnError: exit.error,
      stderr: tail,
      choose: CHOOSE_PYTHON,
    });
    if (explained) throw new Error(explained);
    const recorderErrors = tail.filter((line) => line.startsWith(RECORDER_ERROR_PREFIX));
    if (recorderErrors.length) throw new Error(recorderErrors.join('\n'));
    if (exit.code === 0)
      throw new Error(
        `${path.basename(script)} ended without calling any nn.LSTM, nn.GRU or nn.RNN: nothing was recorded`,
      );
    console.error(
      `error: ${path.basename(script)} failed before any LSTM call (exit ${exit.code}); its output is above`,
    );
    return exit.code ?? 1;
  }
  const summaries = runs.map(summariseRun);
  for (const summary of summaries) out.write(`\n${describeRun(summary)}\n`);
  if (json) {
    const [first] = summaries;
    process.stdout.write(`${JSON.stringify({ ...first.json, runDirs: runs, runs: summaries.map((s) => s.json) })}\n`);
  }
  return exit.code ?? 1;
}

/** `python3 [-u -W ignore …] script.py [args…]` → the interpreter, its own flags, the script and its arguments. */
function parseScriptCommand(command: string[]): {
  python: string;
  flags: string[];
  script: string;
  scriptArgs: string[];
} {
  const [python, ...rest] = command;
  let at = 0;
  const flags: string[] = [];
  while (at < rest.length && rest[at].startsWith('-')) {
    const flag = rest[at++];
    if (flag === '-m' || flag === '-c')
      throw new UsageError(`"record" runs a script file: give \`${python} script.py\`, not ${flag}`, RECORD_USAGE);
    flags.push(flag);
    if (VALUED_PYTHON_FLAGS.includes(flag) && at < rest.length) flags.push(rest[at++]);
  }
  if (!python || at >= rest.length)
    throw new UsageError('after -- give the Python and the script, e.g. `-- python3 train.py`', RECORD_USAGE);
  return { python, flags, script: rest[at], scriptArgs: rest.slice(at + 1) };
}

/** Appends a stdin command to every run's control file (a stop before any run ends the process). */
function forward(command: TrainerCommand, runs: string[], terminate: () => void, out: NodeJS.WriteStream): void {
  if (runs.length === 0) {
    if (command.type === 'stop') {
      out.write('stopping before any LSTM call\n');
      terminate();
    } else out.write(`no run yet (the script has not called an LSTM): "${command.type}" ignored\n`);
    return;
  }
  for (const runDir of runs) fs.appendFileSync(path.join(runDir, RUN_FILES.control), `${JSON.stringify(command)}\n`);
  out.write(
    `${command.type} sent to ${runs.length === 1 ? 'the run' : `its ${runs.length} runs`}: it acts at the next call\n`,
  );
}

/** A whole number ≥ 1 from an option, or undefined when the option was not given. */
function positive(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${option} must be a whole number ≥ 1 (got "${text}")`, RECORD_USAGE);
  return n;
}
