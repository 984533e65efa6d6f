// `npm run test:e2e`: the packaged extension in a real VS Code (code-server, started by the global
// setup) in Debian's chromium, one project per spec file. Projects run one at a time, each in its
// own worker with its own page; `stateful` needs the run that `stateless` leaves.
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { artifactsDir, chromiumArgs, chromiumPath } from './settings';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: path.join(artifactsDir, 'results'),
  globalSetup: './globalSetup.ts',
  workers: 1, // one code-server, one workspace
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  // The machine is shared: a run can take minutes; a second webview can take 5-50 s to load.
  timeout: 6 * 60_000,
  globalTimeout: Number(process.env.LSTM_E2E_TIMEOUT_MS || 25 * 60_000),
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    // A screenshot after every test (a scenario step); a trace (actions, DOM snapshots, console,
    // network) when one fails. No screencast in it: ~100 KB per frame, 250 MB per minute here.
    screenshot: 'on',
    trace: { mode: 'retain-on-failure', screenshots: false, snapshots: true, sources: true },
  },
  projects: [
    { name: 'stateless', testMatch: 'stateless.spec.ts' },
    { name: 'stateful', testMatch: 'stateful.spec.ts', dependencies: ['stateless'] },
    { name: 'configError', testMatch: 'configError.spec.ts' },
    { name: 'editingHelp', testMatch: 'editingHelp.spec.ts' },
    { name: 'validation', testMatch: 'validation.spec.ts' },
    { name: 'pytorch', testMatch: 'pytorch.spec.ts' },
    { name: 'compare', testMatch: 'compare.spec.ts', dependencies: ['stateless'] },
    { name: 'controls', testMatch: 'controls.spec.ts' },
    { name: 'hostMemory', testMatch: 'hostMemory.spec.ts' },
  ],
});
