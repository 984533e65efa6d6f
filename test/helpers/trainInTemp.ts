/** Runs the real trainer in this process on a config written to a fresh temp workspace. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { LstmConfig } from '../../src/shared/config';
import type { TrainerCommand } from '../../src/shared/channels/trainerChannel';
import type { TrainerProgress } from '../../src/trainer/progress';
import { readRun, type RunData } from '../../src/runStore/readRun';
import { TrainingControls } from '../../src/trainer/controls';
import { train } from '../../src/trainer/train';

export interface TrainedRun {
  run: RunData;
  events: TrainerProgress[];
  workspace: string;
}

export function tempWorkspace(prefix = 'lstm-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.mkdirSync(path.join(dir, '.vscode'));
  return dir;
}

/** `onEvent` may answer with commands, which are submitted as a user would (between batches); `prepare` writes files (e.g. a CSV) into the workspace. */
export async function trainInTemp(
  config: LstmConfig,
  onEvent?: (event: TrainerProgress) => TrainerCommand | void,
  file = 'test.lstm.json',
  prepare?: (workspace: string) => void,
): Promise<TrainedRun> {
  const workspace = tempWorkspace();
  prepare?.(workspace);
  const configPath = path.join(workspace, file);
  fs.writeFileSync(configPath, JSON.stringify(config, null, 2));
  const events: TrainerProgress[] = [];
  const emit = (event: TrainerProgress) => {
    events.push(event);
    const command = onEvent?.(event);
    if (command) controls.submit(command);
  };
  const controls: TrainingControls = new TrainingControls(emit);
  const result = await train({ configPath, workspaceRoot: workspace, backend: 'wasm' }, emit, controls);
  if (result.type === 'failed') throw new Error(`training failed: ${result.message}`);
  return { run: readRun(result.runDir), events, workspace };
}

/** A small stateless/stateful config; fields override the defaults. */
export function smallConfig(
  overrides: {
    data?: Partial<LstmConfig['data']>;
    model?: Partial<LstmConfig['model']>;
    training?: Partial<LstmConfig['training']>;
  } & Omit<Partial<LstmConfig>, 'data' | 'model' | 'training'> = {},
): LstmConfig {
  const { data, model, training, ...rest } = overrides;
  return {
    data: { generator: 'sine', samples: 40, timesteps: 7, features: 1, seed: 3, ...data } as LstmConfig['data'],
    model: { units: 5, stateful: false, ...model },
    training: { batchSize: 10, epochs: 2, shuffle: false, learningRate: 0, seed: 0, ...training },
    ...rest,
  };
}
