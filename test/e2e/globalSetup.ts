// Before the specs: builds the .vsix, installs code-server into its cache if missing, makes the
// workspace, installs the .vsix into a fresh code-server profile and starts code-server in its
// own process group. The function it returns is the global teardown.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromiumPath, failedMarker, logsDir, projectRoot, publishHandover, workspaceDir } from './settings';
import { makeWorkspace } from './workspace';

const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

export default async function globalSetup(): Promise<() => Promise<void>> {
  // Shared with `npm run web` (scripts/web.mjs); ES modules, so imported, not required.
  const { buildVsix } = await import('../../scripts/e2e/buildVsix.mjs');
  const { installExtension, listExtensions, makeProfile, startCodeServer } =
    await import('../../scripts/e2e/codeServer.mjs');
  const { cacheRoot, ensureCodeServer } = await import('../../scripts/e2e/installCodeServer.mjs');

  fs.rmSync(logsDir, { recursive: true, force: true });
  fs.mkdirSync(logsDir, { recursive: true });
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} not found: run scripts/e2e/installSystemDeps.sh (or set LSTM_E2E_CHROMIUM)`);
  }

  // LSTM_E2E_VSIX: test this .vsix instead of building one.
  const vsix = process.env.LSTM_E2E_VSIX ? path.resolve(process.env.LSTM_E2E_VSIX) : await buildVsix();
  let started = Date.now();
  ensureCodeServer();
  console.log(`code-server installed (cache ${cacheRoot()}, ${seconds(started)})`);

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-e2e-'));
  const workspace = workspaceDir(root);
  makeWorkspace(projectRoot, workspace);
  // The PyTorch scenario records with Debian's python3, which has torch (python3 on PATH may not).
  const profile = makeProfile({
    baseDir: path.join(root, 'profile'),
    settings: { 'lstmState.pythonPath': '/usr/bin/python3' },
  });
  installExtension(profile, vsix);
  const installed = listExtensions(profile);
  if (!installed.includes(EXTENSION_ID)) {
    throw new Error(`${EXTENSION_ID} not installed from ${vsix}; installed: ${installed.join(', ') || 'none'}`);
  }

  started = Date.now();
  const server = await startCodeServer({ folder: workspace, profile, logPath: path.join(logsDir, 'code-server.log') });
  console.log(`code-server healthy at ${server.url} after ${seconds(started)}; workspace ${workspace}`);
  publishHandover({ url: server.url, root });

  return async function globalTeardown() {
    await server.stop(); // ends the whole process group: code-server, extension hosts, trainers
    // VS Code's logs (extension host output, etc.) beside the browser console.
    const vscodeLogs = path.join(profile.userDataDir, 'logs');
    if (fs.existsSync(vscodeLogs)) fs.cpSync(vscodeLogs, path.join(logsDir, 'vscode'), { recursive: true });
    if (process.env.LSTM_E2E_KEEP === '1' || fs.existsSync(failedMarker(root))) {
      console.log(`workspace and profile kept for inspection: ${root}`);
    } else {
      fs.rmSync(root, { recursive: true, force: true });
    }
  };
}
