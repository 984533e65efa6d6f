/** "New Training Config…": writes a starter `*.lstm.json` (the stateless seed example) into the workspace and opens it. */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LstmConfig } from '../../shared/config';

const TEMPLATE = 'examples/seed-stateless.lstm.json';

/** Used when the extension ships without its examples folder: the same seed config. */
const FALLBACK: LstmConfig = {
  data: { generator: 'sine', samples: 1000, timesteps: 20, features: 1, seed: 0 },
  model: { units: 16, stateful: false },
  training: { batchSize: 200, epochs: 15, shuffle: true, optimizer: 'adam', learningRate: 0.01, seed: 0 },
  capture: { hiddenRows: [0] },
};

/** The starter config named `name` (the template's `$schema` is relative to examples/, so it is dropped: jsonValidation covers *.lstm.json). */
export function starterConfig(extensionPath: string, name: string): string {
  let config: LstmConfig = FALLBACK;
  try {
    config = JSON.parse(fs.readFileSync(path.join(extensionPath, TEMPLATE), 'utf8')) as LstmConfig;
  } catch {
    // fall back to the built-in copy
  }
  const { $schema: _schema, name: _name, ...rest } = config;
  return `${JSON.stringify({ name, ...rest }, null, 2)}\n`;
}

/** Asks for a name, writes `<name>.lstm.json` into the workspace folder and opens it. */
export async function newTrainingConfig(extensionPath: string): Promise<void> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showErrorMessage('LSTM: open a folder first; the config and its runs live in the workspace.');
    return;
  }
  const folder =
    folders.length === 1
      ? folders[0]
      : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder for the new config' });
  if (!folder) return;
  const name = await vscode.window.showInputBox({
    title: 'New Training Config',
    prompt: 'Name of the config (the file becomes <name>.lstm.json)',
    value: 'my-lstm',
    validateInput: (text) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(text.trim())) return 'Letters, digits, ".", "_" and "-" only';
      return fs.existsSync(path.join(folder.uri.fsPath, `${text.trim()}.lstm.json`))
        ? 'A config with this name exists'
        : undefined;
    },
  });
  if (!name) return;
  const file = path.join(folder.uri.fsPath, `${name.trim()}.lstm.json`);
  await fs.promises.writeFile(file, starterConfig(extensionPath, name.trim()), { flag: 'wx' });
  await vscode.window.showTextDocument(vscode.Uri.file(file));
}
