// The workspace the scenarios open: a copy of examples/ plus the configs they need, and the facts
// the specs check, read back from those files (not from the extension under test).
import fs from 'node:fs';
import path from 'node:path';

/** What the specs need to know about the workspace's configs. */
export interface Scenario {
  workspace: string;
  stateless: { name: string; epochs: number; batchesPerEpoch: number };
  slow: { name: string };
  /** Hundreds of batches per second: the controls are timed on it. */
  fast: { name: string; file: string };
  /** 1-based line of `"shuffle"` in shuffled-stateful.lstm.json (where LSTM001 belongs). */
  shuffleLine: number;
}

// The fields of a config the workspace reads and rewrites; the rest is copied as it is.
interface Config {
  $schema?: string;
  name?: string;
  data: { samples: number; [key: string]: unknown };
  model: { [key: string]: unknown };
  training: { batchSize: number; epochs: number; [key: string]: unknown };
  [key: string]: unknown;
}

const readConfig = (file: string): Config => JSON.parse(fs.readFileSync(file, 'utf8'));
const writeConfig = (file: string, config: Config): void =>
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);

/** Fills `workspace` (a new folder) with the examples and the scenario configs. */
export function makeWorkspace(projectRoot: string, workspace: string): void {
  // Saved runs of earlier demos are not part of the examples.
  fs.cpSync(path.join(projectRoot, 'examples'), workspace, {
    recursive: true,
    filter: (source) => path.basename(source) !== '.lstm-runs',
  });
  const stateful = readConfig(path.join(workspace, 'seed-stateful.lstm.json'));
  const stateless = readConfig(path.join(workspace, 'seed-stateless.lstm.json'));
  delete stateful.$schema; // relative to examples/, not to this workspace
  delete stateless.$schema;

  // Slow enough to issue commands while it runs: 2000 epochs of 20 batches (stopped by the test).
  // No scheduled resets, so the only zero-state batches are the first one and the manual one.
  writeConfig(path.join(workspace, 'slow-stateful.lstm.json'), {
    ...stateful,
    name: 'slow-stateful',
    data: { ...stateful.data, samples: 4000, layout: 'continuous' },
    model: { ...stateful.model, stateful: true },
    training: { ...stateful.training, batchSize: 200, epochs: 2000, shuffle: false },
    resets: 'never',
    capture: { hiddenRows: [], inputs: false },
  });

  // Fast: a tiny stateful model on short sequences, hundreds of batches per second, 50 epochs of
  // 5000 batches (stopped by the test). Resets only at the start and when asked.
  writeConfig(path.join(workspace, 'fast-controls.lstm.json'), {
    ...stateful,
    name: 'fast-controls',
    data: { ...stateful.data, samples: 40_000, timesteps: 4, layout: 'continuous' },
    model: { ...stateful.model, units: 4, stateful: true },
    training: { ...stateful.training, batchSize: 8, epochs: 50, shuffle: false, optimizer: 'sgd' },
    resets: 'never',
    capture: { hiddenRows: [], inputs: false },
  });

  // Invalid: batchSize must be >= 1.
  writeConfig(path.join(workspace, 'broken.lstm.json'), {
    ...stateless,
    name: 'broken',
    training: { ...stateless.training, batchSize: 0 },
  });

  // Lint pitfall: a stateful layer with shuffling on (LSTM001 belongs on `training.shuffle`).
  writeConfig(path.join(workspace, 'shuffled-stateful.lstm.json'), {
    ...stateful,
    name: 'shuffled-stateful',
    training: { ...stateful.training, shuffle: true },
  });
}

/** The facts of a workspace made by makeWorkspace(). */
export function readScenario(workspace: string): Scenario {
  const stateless = readConfig(path.join(workspace, 'seed-stateless.lstm.json'));
  const slow = readConfig(path.join(workspace, 'slow-stateful.lstm.json'));
  const shuffledLines = fs.readFileSync(path.join(workspace, 'shuffled-stateful.lstm.json'), 'utf8').split('\n');
  return {
    workspace,
    stateless: {
      name: stateless.name ?? 'seed-stateless',
      epochs: stateless.training.epochs,
      batchesPerEpoch: Math.ceil(stateless.data.samples / stateless.training.batchSize),
    },
    slow: { name: slow.name ?? 'slow-stateful' },
    fast: { name: 'fast-controls', file: 'fast-controls.lstm.json' },
    shuffleLine: shuffledLines.findIndex((line) => line.includes('"shuffle"')) + 1,
  };
}

/** Names inside the workspace's run folder (.lstm-runs). */
export function runFolders(workspace: string): string[] {
  const dir = path.join(workspace, '.lstm-runs');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}
