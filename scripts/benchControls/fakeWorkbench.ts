/**
 * The workbench around the host for benchControls.ts: the `vscode` shim's members the host uses,
 * a status bar item and webview panels that record, with the time, what would be on screen.
 */
import * as path from 'path';
import type * as vscode from 'vscode';
import { EventEmitter, Uri, commands, provide, window, workspace } from '../../test/shims/vscode';
import { TimelinePanel } from '../../src/extension/panel/timelinePanel';
import { runKey, type RunRepository } from '../../src/extension/runs/runRepository';
import type { PanelVisibility } from '../../src/extension/ui/runProgress';
import type { PanelAction, ToWebview } from '../../src/shared/channels/webviewChannel';

/** What the status bar item showed, and what each panel delta said, with when. */
export interface Screen {
  statusBar: Array<{ at: number; text: string; state: string; resets: number }>;
  panel: Array<{ at: number; status: string; manualResets: number }>;
  /** Progress shown, by location (15 = notification, 10 = window). */
  progress: number[];
}

const now = () => performance.timeOrigin + performance.now();
const STATE_OF_ICON: Record<string, string> = {
  'loading~spin': 'starting',
  'sync~spin': 'running',
  'debug-pause': 'paused',
  'debug-stop': 'stopped',
  pass: 'finished',
  error: 'failed',
  warning: 'interrupted',
};

/** Installs the shim's window, workspace and commands members; returns an extension context. */
export function fakeVscode(screen: Screen, workspaceDir: string, storageDir: string): vscode.ExtensionContext {
  const quiet = () => Promise.resolve(undefined);
  provide(window, {
    createStatusBarItem: () => statusBarItem(screen),
    setStatusBarMessage: () => ({ dispose: () => undefined }),
    showInformationMessage: quiet,
    showWarningMessage: quiet,
    showErrorMessage: quiet,
    withProgress: (options: { location: number }, task: (progress: unknown, token: unknown) => Promise<void>) => {
      screen.progress.push(options.location);
      return task({ report: () => undefined }, { onCancellationRequested: () => ({ dispose: () => undefined }) });
    },
  });
  const folder = { uri: Uri.file(workspaceDir), name: 'workspace', index: 0 };
  provide(workspace, {
    isTrusted: true,
    textDocuments: [],
    workspaceFolders: [folder],
    getWorkspaceFolder: () => folder,
    getConfiguration: () => ({ get: (_key: string, fallback: unknown) => fallback }),
  });
  provide(commands, { executeCommand: quiet });
  return { extensionPath: path.resolve('.'), storageUri: Uri.file(storageDir) } as unknown as vscode.ExtensionContext;
}

function statusBarItem(screen: Screen): unknown {
  let text = '';
  return {
    get text() {
      return text;
    },
    set text(value: string) {
      text = value;
      const icon = /^\$\(([^)]+)\)/.exec(value)?.[1] ?? '';
      const ended = /LSTM (stopped|finished|failed|interrupted) ·/.exec(value)?.[1];
      const state = ended ?? (value.includes('LSTM stopping') ? 'stopping' : (STATE_OF_ICON[icon] ?? icon));
      screen.statusBar.push({ at: now(), text: value, state, resets: Number(/resets (\d+)/.exec(value)?.[1] ?? 0) });
    },
    show: () => undefined,
    hide: () => undefined,
    dispose: () => undefined,
  };
}

/** Timeline panels (the host's own TimelinePanel) on webviews that record every delta they are sent; each is on screen. */
export class BenchPanels implements PanelVisibility {
  private readonly visibilityEmitter = new EventEmitter<string>();
  readonly onDidChangeVisibility = this.visibilityEmitter.event;
  private readonly panels = new Map<string, TimelinePanel>();
  private readonly received = new Map<string, EventEmitter<unknown>>();

  constructor(
    private readonly root: string,
    private readonly repository: RunRepository,
    private readonly screen: Screen,
    /** A toolbar button of a panel (the host's panel handler). */
    private readonly action: (runDir: string, action: PanelAction) => void,
  ) {}

  /** Presses a toolbar button in the run's panel: the webview's message, as the panel's page sends it. */
  press(runDir: string, action: PanelAction): void {
    this.received.get(runKey(runDir))?.fire({ type: 'action', action });
  }

  show(runDir: string): void {
    if (this.panels.has(runKey(runDir))) return;
    const received = new EventEmitter<unknown>();
    const webview = {
      options: {},
      html: '',
      cspSource: 'bench:',
      asWebviewUri: (uri: Uri) => uri,
      onDidReceiveMessage: received.event,
      postMessage: (message: ToWebview) => {
        if (message.type === 'delta')
          this.screen.panel.push({
            at: now(),
            status: message.status,
            manualResets: message.resets.filter((reset) => reset.cause === 'manual').length,
          });
        return Promise.resolve(true);
      },
    };
    const panel = {
      webview,
      title: '',
      visible: true,
      active: true,
      reveal: () => undefined,
      dispose: () => undefined,
      onDidChangeViewState: new EventEmitter<unknown>().event,
      onDidDispose: new EventEmitter<void>().event,
    };
    const timeline = new TimelinePanel(
      panel as unknown as vscode.WebviewPanel,
      runDir,
      Uri.file(this.root) as unknown as vscode.Uri,
      this.repository,
      { action: this.action, selected: () => undefined },
    );
    this.panels.set(runKey(runDir), timeline);
    this.received.set(runKey(runDir), received);
    this.visibilityEmitter.fire(runDir);
    received.fire({ type: 'ready' });
  }

  reveal(): void {}

  isVisible(runDir: string): boolean {
    return this.panels.has(runKey(runDir));
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
  }
}
