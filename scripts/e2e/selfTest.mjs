#!/usr/bin/env node
// Checks the end-to-end harness itself, independently of the LSTM extension: builds a tiny
// throwaway extension in a temp folder (a command, a webview with a message round trip and a
// serializer, an activity-bar container with a tree), packages it with the project's
// @vscode/vsce (offline), installs the .vsix into code-server and drives it from chromium.
//
//   node scripts/e2e/selfTest.mjs
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installExtension, listExtensions, makeProfile, startCodeServer } from './codeServer.mjs';
import { ensureCodeServer } from './installCodeServer.mjs';
import { assert, createSteps, waitUntil } from './steps.mjs';
import * as wb from './workbench.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const manifest = {
  name: 'harness-selftest',
  displayName: 'Harness Self Test',
  description: 'Throwaway extension that checks the e2e harness.',
  publisher: 'lstm-e2e',
  version: '0.0.1',
  license: 'MIT',
  repository: { type: 'git', url: 'https://example.invalid/selftest.git' },
  engines: { vscode: '^1.100.0' },
  main: './extension.js',
  activationEvents: ['onWebviewPanel:selftest.panel'],
  contributes: {
    commands: [{ command: 'selftest.open', title: 'Open Panel', category: 'Self Test' }],
    viewsContainers: { activitybar: [{ id: 'selftest', title: 'Self Test Box', icon: '$(beaker)' }] },
    views: { selftest: [{ id: 'selftest.items', name: 'Items' }] },
  },
};

const extensionSource = String.raw`
const vscode = require('vscode');
function html() {
  return '<!DOCTYPE html><html><body><div data-testid="hello">waiting</div><script>' +
    'const api = acquireVsCodeApi();' +
    'window.addEventListener("message", (e) => { document.querySelector("[data-testid=hello]").textContent = "pong:" + e.data.n; });' +
    'api.postMessage({ type: "ping" });' +
    '</script></body></html>';
}
function wire(panel) {
  panel.webview.options = { enableScripts: true };
  panel.webview.html = html();
  panel.webview.onDidReceiveMessage((m) => { if (m.type === 'ping') panel.webview.postMessage({ n: 42 }); });
}
exports.activate = (context) => {
  context.subscriptions.push(vscode.commands.registerCommand('selftest.open', () => {
    const panel = vscode.window.createWebviewPanel('selftest.panel', 'Self Test Panel', vscode.ViewColumn.One, { enableScripts: true });
    wire(panel);
    vscode.window.showErrorMessage('Self test: field training.batchSize must be >= 1');
  }));
  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer('selftest.panel', {
    async deserializeWebviewPanel(panel) { wire(panel); },
  }));
  const tree = {
    getChildren(element) {
      if (!element) return [{ kind: 'run', label: 'demo-run' }];
      if (element.kind === 'run') return [1, 2].map((n) => ({ kind: 'epoch', label: 'Epoch ' + n }));
      if (element.kind === 'epoch') return [1, 2, 3].map((n) => ({ kind: 'batch', label: 'Batch ' + n }));
      return [];
    },
    getTreeItem(element) {
      const item = new vscode.TreeItem(element.label,
        element.kind === 'batch' ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
      item.description = element.kind === 'run' ? 'finished' : element.kind === 'batch' ? (element.label === 'Batch 2' ? 'manual' : 'carried ← batch 1') : '';
      return item;
    },
  };
  context.subscriptions.push(vscode.window.registerTreeDataProvider('selftest.items', tree));
};
`;

function buildVsix(dir) {
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(dir, 'extension.js'), extensionSource);
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
  fs.writeFileSync(path.join(dir, 'README.md'), '# Harness self test\n');
  const vsce = path.join(projectRoot, 'node_modules', '.bin', 'vsce');
  const out = path.join(dir, 'selftest.vsix');
  const result = spawnSync(vsce, ['package', '--no-dependencies', '--out', out], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) throw new Error(`vsce package failed:\n${result.stdout}\n${result.stderr}`);
  return out;
}

async function main() {
  const started = Date.now();
  let page = null;
  const { step, summary } = createSteps({ page: () => page });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-e2e-selftest-'));
  const extDir = path.join(work, 'ext');
  const workspace = path.join(work, 'workspace');
  fs.mkdirSync(extDir);
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'hello.txt'), 'hello\n');
  let server = null;
  let context = null;
  try {
    const vsix = await step('package a throwaway extension with vsce (offline)', async () => buildVsix(extDir), {
      chain: 'all',
      shot: false,
    });
    await step('code-server installed', async () => ensureCodeServer(), { chain: 'all', shot: false });
    const profile = makeProfile({ baseDir: path.join(work, 'profile') });
    await step('install the .vsix into code-server', async () => {
      installExtension(profile, vsix);
      const ids = listExtensions(profile);
      assert(ids.includes('lstm-e2e.harness-selftest'), `not listed: ${ids.join(', ')}`);
      return ids.join(', ');
    }, { chain: 'all', shot: false });
    server = await step('start code-server', async () => {
      const s = await startCodeServer({ folder: workspace, profile });
      return s;
    }, { chain: 'all', shot: false });
    if (server) console.log(`     code-server healthy after ${server.startMs} ms at ${server.url}`);
    await step('open the workbench in chromium', async () => {
      context = await wb.launchBrowser();
      const t = Date.now();
      page = await wb.openWorkbench(context, server.url, { file: 'hello.txt' });
      return `ready after ${Date.now() - t} ms`;
    }, { chain: 'all' });
    await step('built-in command from the palette (View: Toggle Terminal)', async () => {
      await wb.runCommand(page, 'View: Toggle Terminal');
      await page.locator('.terminal-wrapper, .xterm').first().waitFor({ timeout: 20_000 });
    }, { chain: 'all' });
    await step('extension command opens a webview; message round trip two iframes deep', async () => {
      await wb.runCommand(page, 'Self Test: Open Panel');
      await wb.webviewFrame(page).locator('[data-testid=hello]', { hasText: 'pong:42' }).waitFor({ timeout: 20_000 });
    }, { chain: 'all' });
    await step('error notification is readable', async () => wb.waitForNotification(page, /training\.batchSize/));
    await step('activity-bar container and tree rows with descriptions', async () => {
      await wb.openViewContainer(page, 'Self Test Box');
      const runRow = await wb.findTreeRow(page, 'Items', { label: 'demo-run' });
      assert(/finished/.test(await wb.rowDescription(runRow)), 'run description lacks "finished"');
      await wb.expandRow(runRow);
      const epoch = await wb.findTreeRow(page, 'Items', { label: 'Epoch 2' });
      await wb.expandRow(epoch);
      const batch = await wb.findTreeRow(page, 'Items', { label: 'Batch 2', level: 3 });
      const description = await wb.rowDescription(batch);
      assert(description === 'manual', `Batch 2 description is "${description}"`);
      const rows = await wb.treeRows(page, 'Items').count();
      return `${rows} rows visible`;
    });
    await step('reload the window restores the serialized webview', async () => {
      await wb.reloadWindow(page);
      await waitUntil(
        async () => (await wb.webviewFrame(page).locator('[data-testid=hello]').textContent({ timeout: 2000 })) === 'pong:42',
        { timeout: 30_000 },
      );
    });
  } finally {
    await wb.closeBrowser(context);
    if (server) await server.stop();
  }
  const { line, failed } = summary();
  console.log(`selftest finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(line);
  if (failed === 0) fs.rmSync(work, { recursive: true, force: true });
  else console.log(`kept for inspection: ${work}`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
