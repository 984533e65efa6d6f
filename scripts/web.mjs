#!/usr/bin/env node
// `npm run web [-- FOLDER] [--port 8080] [--no-build]`: the extension in VS Code in your
// browser, for machines without a desktop VS Code. Builds and packages the .vsix, installs
// code-server if missing (in ~/.cache/lstm-state-timeline/code-server, or $LSTM_E2E_CACHE),
// installs the .vsix and serves FOLDER (default: the current folder) on
// http://127.0.0.1:PORT until Ctrl-C. Settings and state persist between runs in the cache.
import fs from 'node:fs';
import path from 'node:path';
import { buildVsix, VSIX_PATH } from './e2e/buildVsix.mjs';
import { installExtension, makeProfile, startCodeServer } from './e2e/codeServer.mjs';
import { cacheRoot, ensureCodeServer } from './e2e/installCodeServer.mjs';

function parseArgs(argv) {
  // npm run sets INIT_CWD to the folder `npm run web` was typed in.
  const args = { folder: process.env.INIT_CWD || process.cwd(), port: 8080, build: true, vsix: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--port') args.port = Number(argv[++i]);
    else if (arg.startsWith('--port=')) args.port = Number(arg.slice('--port='.length));
    else if (arg === '--no-build') args.build = false;
    else if (arg === '--vsix') args.vsix = path.resolve(argv[++i]);
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: npm run web -- [FOLDER] [--port 8080] [--no-build] [--vsix FILE]');
      process.exit(0);
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else args.folder = path.resolve(process.env.INIT_CWD || process.cwd(), arg);
  }
  if (!Number.isInteger(args.port) || args.port <= 0 || args.port > 65535) throw new Error('--port: not a port number');
  if (!fs.existsSync(args.folder) || !fs.statSync(args.folder).isDirectory())
    throw new Error(`${args.folder} is not a folder`);
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const vsix = args.vsix ?? VSIX_PATH;
  if (args.build && !args.vsix) await buildVsix();
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} not found (run without --no-build)`);

  ensureCodeServer();
  const profile = makeProfile({ baseDir: path.join(cacheRoot(), 'web-profile'), keepSettings: true });
  console.log(installExtension(profile, vsix));

  const server = await startCodeServer({ folder: args.folder, profile, port: args.port });
  console.log(`\nLSTM State Timeline in VS Code: ${server.url}/?folder=${args.folder}`);
  console.log(`serving ${args.folder} (code-server log: ${server.logPath}); Ctrl-C to stop`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping code-server...');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const code = await server.exited;
  if (!stopping) {
    console.error(`code-server exited (${code}); see ${server.logPath}`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(`npm run web: ${error?.message ?? error}`);
  process.exit(1);
});
