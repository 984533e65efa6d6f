/** Problems-panel entries for open `*.lstm.json` files: the trainer's own errors and lint warnings, on the field. */
import * as path from 'path';
import * as vscode from 'vscode';
import { findWorkspaceRoot } from '../../trainer/loadConfig';
import { Disposable } from '../dispose';
import { analyzeConfig, type Finding } from './analyzeConfig';

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
    return diagnostic;
  });
}

/** Keeps the diagnostics of open configs current (debounced while typing). */
export class ConfigDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('lstmState'));
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor() {
    super();
    this._register(vscode.workspace.onDidOpenTextDocument((document) => this.update(document)));
    this._register(vscode.workspace.onDidChangeTextDocument(({ document }) => this.schedule(document)));
    this._register(vscode.workspace.onDidSaveTextDocument((saved) => this.onSaved(saved)));
    this._register(vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri)));
    this._register({ dispose: () => this.timers.forEach((timer) => clearTimeout(timer)) });
    vscode.workspace.textDocuments.forEach((document) => this.update(document));
  }

  /** Checks a config document now. */
  update(document: vscode.TextDocument): void {
    if (!isConfigDocument(document)) return;
    const root = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath ?? findWorkspaceRoot(document.fileName);
    this.collection.set(document.uri, diagnosticsOf(document, analyzeConfig(document.getText(), document.fileName, root)));
  }

  /**
   * Saving may fix the data file a config points at (checkConfig reads its header; `data.csv` may
   * name a file of any extension): re-check the saved config and the open configs that name the file.
   */
  private onSaved(saved: vscode.TextDocument): void {
    const name = path.basename(saved.fileName).toLowerCase();
    for (const document of vscode.workspace.textDocuments) {
      if (isConfigDocument(document) && (document === saved || document.getText().toLowerCase().includes(name))) this.update(document);
    }
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isConfigDocument(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.update(document);
    }, DEBOUNCE_MS));
  }
}
