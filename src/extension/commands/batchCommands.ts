/** Tree-only commands on a batch: reveal it in the timeline, export it to a file, copy its values. */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { BatchNode } from '../tree/treeNodes';
import { readBatchValues, toCsv, toJson, type BatchValues } from './batchValues';
import { isTreeNode } from './pickers';
import type { Services } from './services';

function asBatch(node: unknown): BatchNode | undefined {
  if (isTreeNode(node) && node.kind === 'batch') return node;
  void vscode.window.showInformationMessage('LSTM: pick a batch in the Runs tree first.');
  return undefined;
}

async function valuesOf(services: Services, node: BatchNode): Promise<BatchValues | undefined> {
  const model = await services.repository.open(node.runDir);
  if (!(node.step >= 0 && node.step < model.batches.length)) return undefined;
  try {
    // Its full record (sample indices, tensor offsets) is read back from the log.
    return readBatchValues(model, await model.record(node.step));
  } catch (error) {
    void vscode.window.showErrorMessage(
      `LSTM: cannot read batch ${node.step} of ${path.basename(node.runDir)}: ${(error as Error).message}`,
    );
    return undefined;
  }
}

/** Opens the run's timeline and selects the batch there. */
export function revealBatch(services: Services, node: unknown): void {
  const batch = asBatch(node);
  if (!batch) return;
  services.panels.reveal(batch.runDir, batch.step);
}

/** Copies the batch's states to the clipboard as JSON or CSV. */
export async function copyValues(services: Services, node: unknown): Promise<void> {
  const batch = asBatch(node);
  if (!batch) return;
  const format = await vscode.window.showQuickPick(['JSON', 'CSV'], {
    title: 'Copy Values',
    placeHolder: "Copy the batch's initial and final h, c as",
  });
  if (!format) return;
  const values = await valuesOf(services, batch);
  if (!values) return;
  await vscode.env.clipboard.writeText(format === 'CSV' ? toCsv(values) : toJson(values));
  const note = values.states ? '' : ' (norms only: this batch was past the tensor budget)';
  vscode.window.setStatusBarMessage(
    `$(copy) LSTM: copied batch ${values.batch + 1} of epoch ${values.epoch + 1} as ${format}${note}`,
    4000,
  );
}

/** Writes the batch's states to a .json or .csv file. */
export async function exportBatch(services: Services, node: unknown): Promise<void> {
  const batch = asBatch(node);
  if (!batch) return;
  const values = await valuesOf(services, batch);
  if (!values) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(path.dirname(batch.runDir));
  const target = await vscode.window.showSaveDialog({
    title: 'Export Batch',
    defaultUri: vscode.Uri.joinPath(folder, `${path.basename(batch.runDir)}-step${batch.step}.json`),
    filters: { JSON: ['json'], CSV: ['csv'] },
  });
  if (!target) return;
  const csv = target.fsPath.toLowerCase().endsWith('.csv');
  await fs.promises.writeFile(target.fsPath, csv ? toCsv(values) : toJson(values));
  const open = 'Open';
  if (
    (await vscode.window.showInformationMessage(`LSTM: batch ${values.step} written to ${target.fsPath}`, open)) ===
    open
  ) {
    await vscode.window.showTextDocument(target);
  }
}
