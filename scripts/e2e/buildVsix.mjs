// Builds the extension's .vsix with `npm run package` (esbuild --production + vsce package).
// Its output is piped, not inherited: on a terminal, vsce asks "Do you want to continue?
// [y/N]" for each warning (no LICENSE, no repository field) and waits; with a non-TTY stdout
// it answers yes by itself, as in CI.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VSIX_PATH = path.join(projectRoot, 'lstm-state-timeline.vsix');

export function buildVsix({ cwd = projectRoot } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'package'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(process.stdout, { end: false });
    child.stderr.pipe(process.stderr, { end: false });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) reject(new Error(`npm run package failed (exit ${code ?? signal})`));
      else if (!fs.existsSync(VSIX_PATH)) reject(new Error(`npm run package did not produce ${VSIX_PATH}`));
      else resolve(VSIX_PATH);
    });
  });
}
