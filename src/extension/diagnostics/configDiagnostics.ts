/** Problems-panel entries for open `*.lstm.json` files: the trainer's own errors and lint warnings, on the field. */
import * as path from 'path';
import * as vscode from 'vscode';
import { ConfigChecker } from '../../config/check/configChecker';
import { Disposable } from '../dispose';
import { findingsOf, type Finding } from './findings';

const DEBOUNCE_MS = 400;

/** True for a training config file. */
export function isConfigDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && document.fileName.endsWith('.lstm.json');
}

/** Turns findings into diagnostics on the document's text. */
export function diagnosticsOf(document: vscode.TextDocument, findings: Finding[]): vscode.Diagnostic[] {
  return findings.map((finding) => {
    const range = new vscode.Range(document.positionAt(finding.start), document.positionAt(finding.end));
    const severity = finding.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
    const diagnostic = new vscode.Diagnostic(range, finding.message, severity);
    diagnostic.source = 'LSTM';
    if (finding.code) diagnostic.code = finding.code;
    // A bad CSV cell: one click in Problems opens the CSV at that line.
    if (finding.elsewhere) diagnostic.relatedInformation = [relatedPlace(finding.elsewhere)];
    return diagnostic;
  });
}

/** A place in another file, for a diagnostic's related information. */
function relatedPlace({
  file,
  line,
  column,
}: {
  file: string;
  line: number;
  column?: number;
}): vscode.DiagnosticRelatedInformation {
  const position = new vscode.Position(line - 1, (column ?? 1) - 1);
  return new vscode.DiagnosticRelatedInformation(
    new vscode.Location(vscode.Uri.file(file), position),
    `${path.basename(file)}, line ${line}`,
  );
}

/**
 * Keeps the diagnostics of open configs current (debounced while typing). Configs are checked,
 * and CSV files read, in a worker thread (ConfigChecker), never on the extension host's thread;
 * an edit cancels the check of the text it replaced, and the last diagnostics stay until the new ones are ready.
 */
export class ConfigDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('lstmState'));
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly checker: ConfigChecker;

  /** `workerPath`: the data-check worker bundle, beside this bundle in dist/ by default. */
  constructor(workerPath = path.join(__dirname, 'configCheck.js')) {
    super();
    this.checker = new ConfigChecker(workerPath);
    this._register(this.checker);
    this._register(vscode.workspace.onDidOpenTextDocument((document) => void this.update(document)));
    this._register(vscode.workspace.onDidChangeTextDocument(({ document }) => this.schedule(document)));
    this._register(vscode.workspace.onDidSaveTextDocument((saved) => this.onSaved(saved)));
    this._register(vscode.workspace.onDidCloseTextDocument((document) => this.forget(document)));
    this._register({ dispose: () => this.timers.forEach((timer) => clearTimeout(timer)) });
    vscode.workspace.textDocuments.forEach((document) => void this.update(document));
  }

  /** Checks a config document now; resolves when its diagnostics are set (or the check was superseded). */
  async update(document: vscode.TextDocument): Promise<void> {
    if (!isConfigDocument(document)) return;
    // Outside a workspace folder, the worker finds the root as the trainer would.
    const root = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
    const text = document.getText();
    const problems = await this.checker.check(document.uri.toString(), text, document.fileName, root);
    // Undefined: a newer edit, a close or dispose came first; its own check decides.
    if (problems)
      this.collection.set(document.uri, diagnosticsOf(document, findingsOf(text, document.fileName, problems)));
  }

  /**
   * Saving may fix the data file a config points at (the data check reads it; `data.csv` may
   * name a file of any extension): re-check the saved config and the open configs that name the file.
   */
  private onSaved(saved: vscode.TextDocument): void {
    const name = path.basename(saved.fileName).toLowerCase();
    for (const document of vscode.workspace.textDocuments) {
      if (isConfigDocument(document) && (document === saved || document.getText().toLowerCase().includes(name)))
        void this.update(document);
    }
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isConfigDocument(document)) return;
    const key = document.uri.toString();
    // The running check is of text that no longer exists: stop it now, not after the debounce.
    this.checker.cancel(key);
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.update(document);
      }, DEBOUNCE_MS),
    );
  }

  private forget(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    this.checker.cancel(key);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.collection.delete(document.uri);
  }
}
