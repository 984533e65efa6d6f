/** CodeLens above a `*.lstm.json` config: Start training, or the live run's controls. */
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import type { RunManager } from '../run/runManager';

/** CodeLens provider for `*.lstm.json`. */
export class ConfigCodeLens extends Disposable implements vscode.CodeLensProvider {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changeEmitter.event;

  constructor(private readonly runs: RunManager) {
    super();
    // Only state changes matter to the lenses, not every batch.
    let last = '';
    this._register(
      runs.onDidChangeSession(() => {
        const now = runs
          .liveRuns()
          .map((s) => `${s.configPath}:${s.state}`)
          .join('|');
        if (now !== last) this.changeEmitter.fire();
        last = now;
      }),
    );
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const live = this.runs.liveFor(document.fileName);
    if (!live) {
      return [
        new vscode.CodeLens(top, {
          title: '$(play) Start training',
          command: 'lstmState.startTraining',
          arguments: [document.uri],
        }),
      ];
    }
    const lenses = [
      new vscode.CodeLens(top, {
        title: `$(sync~spin) Training (${live.state})`,
        command: 'lstmState.openTimeline',
        arguments: [live.runDir],
      }),
      new vscode.CodeLens(top, {
        title: '$(debug-stop) Stop',
        command: 'lstmState.stopTraining',
        arguments: [document.uri],
      }),
    ];
    if (live.state === 'running')
      lenses.push(
        new vscode.CodeLens(top, {
          title: '$(debug-pause) Pause',
          command: 'lstmState.pauseTraining',
          arguments: [document.uri],
        }),
      );
    if (live.state === 'paused')
      lenses.push(
        new vscode.CodeLens(top, {
          title: '$(debug-continue) Resume',
          command: 'lstmState.resumeTraining',
          arguments: [document.uri],
        }),
      );
    return lenses;
  }
}
