// The specs' fixtures: `workbench`, one page on the code-server of the global setup per worker
// (each project, i.e. each spec file, has its own worker), and `scenario`, the workspace's facts.
import fs from 'node:fs';
import path from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { waitForWorkbench } from './pages/workbench';
import { failedMarker, logsDir, readHandover, workspaceDir } from './settings';
import { readScenario, type Scenario } from './workspace';

/** A file of the workspace whose explorer row proves the folder is loaded. */
const WORKSPACE_FILE = 'seed-stateless.lstm.json';

interface WorkerFixtures {
  workbench: Page;
  scenario: Scenario;
}

interface TestFixtures {
  keepWorkspaceOnFailure: void;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  workbench: [
    async ({ browser }, use, workerInfo) => {
      // One context for all tests of the worker: Playwright still traces it and screenshots its page.
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      const consoleLog = fs.createWriteStream(path.join(logsDir, 'browser-console.log'), { flags: 'a' });
      const project = workerInfo.project.name;
      page.on('console', (message) => consoleLog.write(`[${project}] [${message.type()}] ${message.text()}\n`));
      page.on('pageerror', (error) => consoleLog.write(`[${project}] [pageerror] ${error.message}\n`));
      await page.goto(readHandover().url, { waitUntil: 'domcontentloaded' });
      await waitForWorkbench(page, WORKSPACE_FILE);
      await use(page);
      await context.close();
      consoleLog.end();
    },
    { scope: 'worker', timeout: 120_000 },
  ],

  scenario: [async ({}, use) => use(readScenario(workspaceDir(readHandover().root))), { scope: 'worker' }],

  keepWorkspaceOnFailure: [
    async ({}, use, testInfo) => {
      await use();
      if (testInfo.status !== testInfo.expectedStatus) fs.writeFileSync(failedMarker(readHandover().root), '');
    },
    { auto: true },
  ],
});

export { expect } from '@playwright/test';
