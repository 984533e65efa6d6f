#!/usr/bin/env node
// Installs code-server (the real VS Code workbench served to a browser) into a cache folder
// outside the project tree, only when it is missing. It is a test tool, not a dependency of
// the extension. See ../../README.md (end-to-end tests) for why code-server and not desktop
// VS Code: the machines here reach the npm registry and Debian's packages only.
//
//   node scripts/e2e/installCodeServer.mjs        # prints the code-server entry point
//
// Cache: $LSTM_E2E_CACHE, or ~/.cache/lstm-state-timeline/code-server.
// Needs the Debian packages of scripts/e2e/installSystemDeps.sh (build tools, ripgrep...).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Newest code-server whose `engines` accept Node 20; it bundles VS Code 1.100.3. */
export const CODE_SERVER_VERSION = '4.100.3';
/** Pinned by code-server 4.100.3 (lib/vscode); its postinstall downloads rg unless cached. */
const RIPGREP_PKG_VERSION = '1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export function cacheRoot() {
  return path.resolve(
    process.env.LSTM_E2E_CACHE || path.join(os.homedir(), '.cache', 'lstm-state-timeline', 'code-server'),
  );
}

export function installDir(root = cacheRoot()) {
  return path.join(root, CODE_SERVER_VERSION);
}

/** The code-server entry script inside an install folder (run it with `node`). */
export function entryPoint(dir = installDir()) {
  return path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

const MARKER = '.install-complete';

export function isInstalled(dir = installDir()) {
  try {
    return (
      fs.readFileSync(path.join(dir, MARKER), 'utf8').trim() === CODE_SERVER_VERSION && fs.existsSync(entryPoint(dir))
    );
  } catch {
    return false;
  }
}

function log(message) {
  process.stderr.write(`[code-server install] ${message}\n`);
}

function which(command) {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

/**
 * @vscode/ripgrep's postinstall downloads `rg` from a host these machines cannot reach. It
 * first looks in `$(os.tmpdir())/vscode-ripgrep-cache-<version>/` for the archive and
 * unpacks it (top-level `rg`), so we put one there made from Debian's /usr/bin/rg.
 */
function prepareRipgrepCache(tmpDir) {
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep (rg) is not installed: run scripts/e2e/installSystemDeps.sh first');
  const cacheDir = path.join(tmpDir, `vscode-ripgrep-cache-${RIPGREP_PKG_VERSION}`);
  fs.mkdirSync(cacheDir, { recursive: true });
  const archive = path.join(cacheDir, RIPGREP_ARCHIVE);
  if (fs.existsSync(archive)) return;
  // The archive must hold a top-level file named `rg`.
  const staging = fs.mkdtempSync(path.join(tmpDir, 'rg-'));
  fs.copyFileSync(rg, path.join(staging, 'rg'));
  fs.chmodSync(path.join(staging, 'rg'), 0o755);
  const result = spawnSync('tar', ['-czf', `${archive}.part`, '-C', staging, 'rg'], { stdio: 'inherit' });
  fs.rmSync(staging, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`could not create ${archive}`);
  fs.renameSync(`${archive}.part`, archive);
}

/** Files that only exist when the install scripts of code-server's dependencies ran. */
function missingNativeParts(dir) {
  const cs = path.join(dir, 'node_modules', 'code-server');
  const vscodeModules = path.join(cs, 'lib', 'vscode', 'node_modules');
  const expected = [
    path.join(vscodeModules, '@vscode', 'ripgrep', 'bin', 'rg'),
    path.join(vscodeModules, 'node-pty', 'build', 'Release', 'pty.node'),
    path.join(vscodeModules, '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node'),
    path.join(dir, 'node_modules', 'argon2', 'lib', 'binding', 'napi-v3', 'argon2.node'),
  ];
  return expected.filter((file) => !fs.existsSync(file)).map((file) => path.relative(dir, file));
}

/**
 * Installs code-server if it is not there yet and returns its entry point. The install goes
 * to a staging folder first and is renamed into place at the end, so an interrupted or
 * concurrent install never leaves a half-installed folder that looks complete.
 */
export function ensureCodeServer({ root = cacheRoot() } = {}) {
  const dir = installDir(root);
  if (isInstalled(dir)) return entryPoint(dir);

  for (const tool of ['make', 'g++', 'python3', 'rg']) {
    if (!which(tool)) throw new Error(`${tool} is missing: run scripts/e2e/installSystemDeps.sh first`);
  }
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor !== 20) log(`warning: code-server ${CODE_SERVER_VERSION} wants Node 20, this is ${process.version}`);

  const started = Date.now();
  const tmpDir = path.join(root, 'tmp');
  fs.mkdirSync(tmpDir, { recursive: true });
  prepareRipgrepCache(tmpDir);

  const staging = path.join(root, `staging-${process.pid}-${Date.now()}`);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  fs.writeFileSync(
    path.join(staging, 'package.json'),
    JSON.stringify({ name: 'lstm-e2e-code-server', private: true, version: '0.0.0' }, null, 2),
  );

  log(`installing code-server@${CODE_SERVER_VERSION} into ${dir} (a few minutes, ~300 MB)`);
  const env = {
    ...process.env,
    // A TMPDIR we control, so the ripgrep cache above is where @vscode/ripgrep looks.
    TMPDIR: tmpDir,
    // node-pty's postinstall runs `npx node-gyp`; npx asks first unless yes=true.
    npm_config_yes: 'true',
    // node-gyp builds against the local headers (/usr/include/node), not a download.
    npm_config_nodedir: process.env.npm_config_nodedir || '/usr',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  // Do not inherit the calling project's npm settings (npm run sets many npm_config_* / npm_package_*).
  for (const key of Object.keys(env)) {
    if (key.startsWith('npm_package_') || key === 'npm_lifecycle_event' || key === 'npm_lifecycle_script')
      delete env[key];
  }
  // code-server's postinstall.sh refuses to run as root unless npm_config_unsafe_perm is "true".
  // The environment variable satisfies it on every npm; the --unsafe-perm flag itself is only
  // passed to npm < 7 (newer npm warns 'Unknown cli config "--unsafe-perm"' and runs scripts as root anyway).
  env.npm_config_unsafe_perm = 'true';
  const npmMajor = Number(spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.split('.')[0]);
  const unsafePerm = npmMajor && npmMajor < 7 ? ['--unsafe-perm'] : [];
  const result = spawnSync(
    'npm',
    [
      'install',
      `code-server@${CODE_SERVER_VERSION}`,
      ...unsafePerm,
      '--no-save',
      '--no-package-lock',
      '--foreground-scripts',
      '--loglevel=warn',
    ],
    { cwd: staging, env, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (result.status !== 0 || !fs.existsSync(entryPoint(staging))) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${result.status ?? result.signal})`);
  }
  const broken = missingNativeParts(staging);
  if (broken.length > 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `code-server installed without: ${broken.join(', ')}. Did an install script not run ` +
        '(npm ignore-scripts / allowScripts policy, missing build tools, rg cache)? See the log above.',
    );
  }
  fs.writeFileSync(path.join(staging, MARKER), `${CODE_SERVER_VERSION}\n`);

  try {
    if (isInstalled(dir)) throw new Error('installed meanwhile by another process');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
  } catch (error) {
    // Another process finished first: keep its install.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!isInstalled(dir)) throw error;
  }
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return entryPoint(dir);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    const started = Date.now();
    const entry = ensureCodeServer();
    log(`ready after ${((Date.now() - started) / 1000).toFixed(1)} s: ${entry}`);
    process.stdout.write(`${entry}\n`);
  } catch (error) {
    log(String(error?.message ?? error));
    process.exit(1);
  }
}
