/** Messages when a run ends: the answer when it finishes, the error (with its log and field) when it fails. */
import * as path from 'path';
import * as vscode from 'vscode';
import { fieldSpan } from '../diagnostics/fieldRange';
import type { RunSession } from '../run/runSession';

/** Tells the user how a run ended (nothing for interrupted: that only happens when the window closes). */
export async function notifyRunEnded(session: RunSession, showLog: () => void): Promise<void> {
  const name = session.manifest?.name ?? path.basename(session.configPath);
  switch (session.state) {
    case 'failed': {
      const failure = session.failure ?? { message: 'the trainer failed' };
      // A bad cell of a data file: open that file at its line, not the config field that names the file.
      const place =
        failure.file && failure.line !== undefined && path.resolve(failure.file) !== path.resolve(session.configPath)
          ? { file: failure.file, line: failure.line, action: `Open ${path.basename(failure.file)}:${failure.line}` }
          : undefined;
      const actions = [...(place ? [place.action] : failure.field ? ['Go to Field'] : []), 'Show Log'];
      const detail = session.runDir ? ' Everything recorded before the failure stays readable in the run.' : '';
      const choice = await vscode.window.showErrorMessage(
        `LSTM: training ${name} failed: ${failure.message.replace(/\.$/, '')}.${detail}`,
        ...actions,
      );
      if (choice === 'Show Log') showLog();
      if (choice === 'Go to Field' && failure.field) await revealField(session.configPath, failure.field);
      if (place && choice === place.action) await revealLine(place.file, place.line);
      return;
    }
    case 'finished':
    case 'stopped': {
      const what =
        session.state === 'finished'
          ? `finished — ${session.answer ?? ''}`
          : `stopped after ${(session.lastBatch?.step ?? -1) + 1} batches; they stay inspectable`;
      const choice = await vscode.window.showInformationMessage(`LSTM: ${name} ${what}`, 'Open Timeline');
      if (choice === 'Open Timeline' && session.runDir)
        await vscode.commands.executeCommand('lstmState.openTimeline', session.runDir);
      return;
    }
  }
}

/** Opens a file with line `line` (1-based) selected. */
export async function revealLine(file: string, line: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const at = Math.min(Math.max(line - 1, 0), document.lineCount - 1);
  await vscode.window.showTextDocument(document, { selection: document.lineAt(at).range });
}

/** Opens the config and selects the field the error names. */
export async function revealField(configPath: string, field: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(configPath));
  const span = fieldSpan(document.getText(), field);
  const range = new vscode.Range(document.positionAt(span.offset), document.positionAt(span.offset + span.length));
  await vscode.window.showTextDocument(document, { selection: range });
}
