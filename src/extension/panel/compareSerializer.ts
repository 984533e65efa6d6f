/** Reopens comparison panels after a window reload, on the run folders their page kept. */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { readKeptComparison } from '../../shared/channels/keptComparison';
import type { RunRepository } from '../runs/runRepository';
import { COMPARE_VIEW_TYPE, ComparePanel, comparisonTitle, shortName } from './comparePanel';

/**
 * Restores comparisons after a reload: their page kept the run folders. With fewer than two of them
 * still on disk there is nothing to compare: the panel is closed, and the user told why.
 */
export function registerCompareSerializer(extensionUri: vscode.Uri, runs: RunRepository): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
    deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
      const kept = readKeptComparison(state);
      const existing = kept?.runDirs.filter((dir) => path.isAbsolute(dir) && fs.existsSync(dir)) ?? [];
      if (!kept || existing.length < 2) {
        panel.dispose();
        void vscode.window.showInformationMessage(notRestored(kept?.runDirs, existing));
        return;
      }
      panel.title = comparisonTitle(existing);
      new ComparePanel(
        panel,
        existing.map((dir) => path.resolve(dir)),
        extensionUri,
        runs,
      );
    },
  });
}

/** Why a comparison was not restored. */
function notRestored(runDirs: string[] | undefined, existing: string[]): string {
  if (!runDirs)
    return 'LSTM: a comparison was closed: it had not kept which runs it compared. Use LSTM: Compare Runs… again.';
  const gone = runDirs.filter((dir) => !existing.includes(dir));
  const why = gone.length
    ? `${gone.join(', ')} no longer ${gone.length === 1 ? 'exists' : 'exist'}`
    : 'it needs two runs or more';
  return `LSTM: the comparison of ${runDirs.map(shortName).join(', ')} was closed: ${why}.`;
}
