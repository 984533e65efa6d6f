// Starts and stops code-server (installed by installCodeServer.mjs) and installs a .vsix into
// it. Each server runs in its own process group with fresh user-data and extensions folders,
// so a test never sees the settings, state or extensions of another run.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureCodeServer } from './installCodeServer.mjs';

/** User settings that skip first-run screens and background network traffic. */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'workbench.editor.restoreViewState': true,
};

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** @typedef {{ base: string, userDataDir: string, extensionsDir: string }} Profile */

/**
 * Folders for one code-server: user data (with settings.json), extensions, logs. Fresh temp
 * folders by default; `baseDir` + `keepSettings` reuse a profile (npm run web).
 * @param {{ baseDir?: string, settings?: object, keepSettings?: boolean }} [options]
 * @returns {Profile}
 */
export function makeProfile({ baseDir, settings = {}, keepSettings = false } = {}) {
  const base = baseDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-e2e-profile-'));
  const userDataDir = path.join(base, 'user-data');
  const extensionsDir = path.join(base, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  if (!keepSettings || !fs.existsSync(settingsFile)) {
    fs.writeFileSync(settingsFile, JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2));
  }
  return { base, userDataDir, extensionsDir };
}

/** Environment for code-server: its own config/data folders, no stray PORT or npm vars. */
function serverEnv(profile, extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.PORT; // code-server's $PORT would override --bind-addr's port
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  for (const key of Object.keys(env)) {
    if (key.startsWith('npm_') || key.startsWith('VSCODE_')) delete env[key];
  }
  // code-server keeps config.yaml / coder.json under XDG folders: keep them in the profile.
  env.XDG_CONFIG_HOME = path.join(profile.base, 'xdg-config');
  env.XDG_DATA_HOME = path.join(profile.base, 'xdg-data');
  return env;
}

function commonArgs(profile) {
  return [
    '--user-data-dir',
    profile.userDataDir,
    '--extensions-dir',
    profile.extensionsDir,
    '--config',
    path.join(profile.base, 'config.yaml'),
  ];
}

/** Installs a .vsix into the profile (code-server --install-extension). Returns the CLI output. */
export function installExtension(profile, vsix, { entry = ensureCodeServer() } = {}) {
  const result = spawnSync(
    process.execPath,
    [entry, ...commonArgs(profile), '--install-extension', path.resolve(vsix), '--force'],
    { env: serverEnv(profile), encoding: 'utf8', timeout: 120_000 },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 || /Failed|Error/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${result.status}):\n${output}`);
  }
  return output.trim();
}

/** Ids (publisher.name) of the extensions installed in the profile. */
export function listExtensions(profile, { entry = ensureCodeServer() } = {}) {
  const result = spawnSync(process.execPath, [entry, ...commonArgs(profile), '--list-extensions'], {
    env: serverEnv(profile),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return (result.stdout ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

async function waitForHealth(url, { timeoutMs, child, logPath }) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `code-server exited (${child.exitCode ?? child.signalCode}) before it was healthy; log: ${logPath}`,
      );
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
      lastError = new Error(`healthz: HTTP ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server not healthy after ${timeoutMs} ms (${lastError?.message}); log: ${logPath}`);
}

const running = new Set();

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Ends every code-server this process started (their whole process groups). */
export function killAllSync() {
  for (const server of running) {
    killGroup(server.pid, 'SIGKILL');
    running.delete(server);
  }
}

let exitHooked = false;
function hookExit() {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', killAllSync);
}

/**
 * Starts code-server on 127.0.0.1 and waits for /healthz.
 * @param {object} options
 * @param {string} [options.folder] workspace folder to open
 * @param {Profile} [options.profile] from makeProfile(); a fresh one by default
 * @param {number} [options.port] default: a free port
 * @param {string} [options.logPath] where code-server's output goes
 * @returns {Promise<{url: string, exited: Promise<number | string>, port: number, pid: number, profile: Profile, logPath: string, startMs: number, stop: () => Promise<void>}>}
 */
export async function startCodeServer({
  folder,
  profile = makeProfile(),
  port,
  logPath,
  env = {},
  timeoutMs = 60_000,
  entry = ensureCodeServer(),
} = {}) {
  const started = Date.now();
  const chosenPort = port ?? (await freePort());
  const log = logPath ?? path.join(profile.base, 'code-server.log');
  fs.mkdirSync(path.dirname(log), { recursive: true });
  const out = fs.openSync(log, 'a');
  const args = [
    entry,
    ...commonArgs(profile),
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${chosenPort}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...(folder ? [path.resolve(folder)] : []),
  ];
  const child = spawn(process.execPath, args, {
    detached: true, // own process group: stop() ends code-server and everything it started
    stdio: ['ignore', out, out],
    env: serverEnv(profile, env),
  });
  fs.closeSync(out);
  hookExit();
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const server = {
    url: `http://127.0.0.1:${chosenPort}`,
    /** Resolves with the exit code (or signal) when code-server ends. */
    exited,
    port: chosenPort,
    pid: child.pid,
    profile,
    logPath: log,
    startMs: 0,
    async stop() {
      running.delete(server);
      if (child.exitCode !== null || child.signalCode !== null) {
        killGroup(child.pid, 'SIGKILL'); // leftovers of the group, if any
        return;
      }
      killGroup(child.pid, 'SIGTERM');
      const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), 5000));
      if ((await Promise.race([exited, timer])) === 'timeout') {
        killGroup(child.pid, 'SIGKILL');
        await exited;
      }
      // The extension host and other children share the group; make sure none are left.
      killGroup(child.pid, 'SIGKILL');
    },
  };
  running.add(server);
  try {
    await waitForHealth(server.url, { timeoutMs, child, logPath: log });
  } catch (error) {
    await server.stop();
    throw error;
  }
  server.startMs = Date.now() - started;
  return server;
}
