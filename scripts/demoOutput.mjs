// What the demo scripts share: running the built CLI, wrapping text, and cause counts in one line.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli.js');

/** Runs the CLI from the repository root; resolves with its stdout, prints its lint warnings unless quiet. */
export function runCli(args, { quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let log = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    // The CLI's progress goes to stderr with --json; keep only its lint warnings, or all of it on failure.
    child.stderr.on('data', (chunk) => (log += chunk));
    child.on('exit', (code) => {
      if (code !== 0) {
        process.stderr.write(log);
        reject(new Error(`lstm-state-timeline ${args.join(' ')} exited with ${code}`));
        return;
      }
      if (!quiet) for (const line of log.split('\n').filter((l) => l.startsWith('warning '))) console.log(`  ${line}`);
      resolve(out);
    });
  });
}

/** The last line of a `--json` run's stdout, parsed. */
export const lastJson = (out) => JSON.parse(out.trim().split('\n').at(-1));

/** Words of `text` in lines of at most `width` characters. */
export function wrap(text, width) {
  const lines = [''];
  for (const word of String(text).split(/\s+/)) {
    if (lines.at(-1) && (lines.at(-1) + ' ' + word).length > width) lines.push(word);
    else lines[lines.length - 1] = (lines.at(-1) + ' ' + word).trim();
  }
  return lines;
}

/** "auto 6, carried 24": the non-zero counts of a `resets` or `flags` summary. */
export const counts = (resets) =>
  Object.entries(resets)
    .filter(([, n]) => n > 0)
    .map(([cause, n]) => `${cause} ${n}`)
    .join(', ');
