// Folders, the browser, and the variables through which the global setup hands the running
// code-server to the test workers (they inherit the runner's environment).
import path from 'node:path';

export const projectRoot = path.resolve(__dirname, '..', '..');
/** Everything a run leaves behind: results/ (per-test screenshots, traces on failure) and logs/. */
export const artifactsDir = path.join(projectRoot, 'test-artifacts', 'e2e');
/** The browser console, code-server's output and VS Code's own logs. */
export const logsDir = path.join(artifactsDir, 'logs');

/** Debian's chromium (never a Playwright browser download). */
export const chromiumPath = process.env.LSTM_E2E_CHROMIUM || '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const URL_VAR = 'LSTM_E2E_URL';
const ROOT_VAR = 'LSTM_E2E_ROOT';

/** What the global setup started: code-server's address and the temp folder of the run. */
export interface Handover {
  url: string;
  /** Holds workspace/ (the folder VS Code opens) and profile/ (code-server's user data). */
  root: string;
}

export function publishHandover({ url, root }: Handover): void {
  process.env[URL_VAR] = url;
  process.env[ROOT_VAR] = root;
}

export function readHandover(): Handover {
  const url = process.env[URL_VAR];
  const root = process.env[ROOT_VAR];
  if (!url || !root) throw new Error(`${URL_VAR}/${ROOT_VAR} not set: run the specs with npm run test:e2e`);
  return { url, root };
}

/** The folder VS Code opens, inside the run's temp folder. */
export const workspaceDir = (root: string): string => path.join(root, 'workspace');

/** Written by a worker when a test failed: the teardown then keeps the temp folder. */
export const failedMarker = (root: string): string => path.join(root, 'failed');
