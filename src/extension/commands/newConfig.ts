/**
 * "New Training Config…": writes a starter `*.lstm.json` into the workspace and opens it — the
 * stateless seed example on generated data, or a config for a CSV file of the workspace with the
 * feature and target columns picked from its header.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CsvData, LstmConfig } from '../../shared/config';
import { readCsvHeader } from './csvHeader';

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

/** Asks what to train on and a name, writes `<name>.lstm.json` into the workspace folder and opens it. */
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
  const source = await vscode.window.showQuickPick(
    [
      { label: 'Generated sine data', description: 'the seed example: 1000 sequences of length 20', csv: false },
      {
        label: 'A CSV file of this workspace…',
        description: 'pick the file, then its feature and target columns',
        csv: true,
      },
    ],
    { title: 'New Training Config', placeHolder: 'What should the LSTM train on?' },
  );
  if (!source) return;
  const data = source.csv ? await pickCsvData(folder) : undefined;
  if (source.csv && !data) return;
  const name = await vscode.window.showInputBox({
    title: 'New Training Config',
    prompt: 'Name of the config (the file becomes <name>.lstm.json)',
    value: data ? path.basename(data.csv, path.extname(data.csv)) : 'my-lstm',
    validateInput: (text) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(text.trim())) return 'Letters, digits, ".", "_" and "-" only';
      return fs.existsSync(path.join(folder.uri.fsPath, `${text.trim()}.lstm.json`))
        ? 'A config with this name exists'
        : undefined;
    },
  });
  if (!name) return;
  const file = path.join(folder.uri.fsPath, `${name.trim()}.lstm.json`);
  const text = data ? csvConfig(name.trim(), data) : starterConfig(extensionPath, name.trim());
  await fs.promises.writeFile(file, text, { flag: 'wx' });
  await vscode.window.showTextDocument(vscode.Uri.file(file));
}

/** A stateless starter for CSV data: the user's columns, windows of the chosen length. */
export function csvConfig(name: string, data: CsvData): string {
  const config: LstmConfig = {
    name,
    data,
    model: { units: 16, stateful: false },
    training: { batchSize: 32, epochs: 20, shuffle: true, optimizer: 'adam', learningRate: 0.01, seed: 0 },
    capture: { hiddenRows: [0] },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** The CSV file (relative to the folder the config goes in), its feature columns, its target and the window. */
async function pickCsvData(folder: vscode.WorkspaceFolder): Promise<CsvData | undefined> {
  const files = await vscode.workspace.findFiles(
    new vscode.RelativePattern(folder, '**/*.csv'),
    '**/node_modules/**',
    500,
  );
  if (files.length === 0) {
    void vscode.window.showInformationMessage(
      `LSTM: ${folder.name} holds no .csv file. Add one (a header row, then one row per timestep) and try again.`,
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files
      .map((uri) => ({ label: path.relative(folder.uri.fsPath, uri.fsPath), uri }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    { title: 'New Training Config: CSV file', placeHolder: 'The series to train on' },
  );
  if (!picked) return undefined;
  const header = await readCsvHeader(picked.uri.fsPath);
  if (header.length === 0) {
    void vscode.window.showErrorMessage(`LSTM: ${picked.label} has no header row naming its columns.`);
    return undefined;
  }
  const features = await vscode.window.showQuickPick(
    header.map((column, i) => ({ label: column, picked: i === 0 })),
    {
      title: 'New Training Config: input columns',
      placeHolder: 'The columns the LSTM reads at each timestep',
      canPickMany: true,
    },
  );
  if (!features?.length) return undefined;
  const target = await vscode.window.showQuickPick(
    header.map((column) => ({
      label: column,
      description: features.some((f) => f.label === column) ? 'also an input' : undefined,
    })),
    { title: 'New Training Config: target column', placeHolder: 'The column to predict at the row after each window' },
  );
  if (!target) return undefined;
  const window = await vscode.window.showInputBox({
    title: 'New Training Config: window',
    prompt: 'Timesteps per sample (rows of the CSV in each window)',
    value: '20',
    validateInput: (text) => (/^[1-9]\d*$/.test(text.trim()) ? undefined : 'A whole number of rows, at least 1'),
  });
  if (!window) return undefined;
  return {
    csv: picked.label.split(path.sep).join('/'),
    columns: features.map((f) => f.label),
    target: target.label,
    window: Number(window),
    stride: 1,
  };
}
