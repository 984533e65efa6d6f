/**
 * Installs recording stand-ins for the `vscode` API members the extension host calls, on the
 * shim's strict namespaces. Dialog answers are scripted per test through `answer`.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { CancellationTokenSource, Disposable, EventEmitter, provide, Uri } from '../shims/vscode';

type Answer = (kind: string, title: string, items: readonly unknown[]) => unknown;

export interface Recorder {
  /** Every message, quick pick, input box and dialog shown: "kind: text". */
  shown: string[];
  commands: Map<string, (...args: unknown[]) => unknown>;
  contexts: Record<string, unknown>;
  clipboard: string;
  opened: string[];
  treeReveals: unknown[];
  statusBarItems: Array<{ text: string; command?: unknown; visible: boolean }>;
  cancelProgress: Array<() => void>;
  /** View types with a registered webview panel serializer (restored after a reload). */
  serializers: Set<string>;
  answer: Answer;
}

const noEvent = () => new Disposable(() => undefined);

export function installStubs(
  options: {
    trusted?: boolean;
    workspaceFolder?: string;
    /** Setting values by full key, e.g. `lstmState.pythonPath`; others read as their default. */
    settings?: Record<string, unknown>;
    /** Installed extensions by id, as `vscode.extensions.getExtension` returns them. */
    extensions?: Record<string, unknown>;
  } = {},
): Recorder {
  const recorder: Recorder = {
    shown: [],
    commands: new Map(),
    contexts: {},
    clipboard: '',
    opened: [],
    treeReveals: [],
    statusBarItems: [],
    cancelProgress: [],
    serializers: new Set(),
    answer: () => undefined,
  };
  const folder = options.workspaceFolder ? { uri: Uri.file(options.workspaceFolder), name: 'ws', index: 0 } : undefined;
  const message =
    (kind: string) =>
    async (text: string, ...rest: unknown[]) => {
      recorder.shown.push(`${kind}: ${text}`);
      const items = rest.filter((item) => typeof item === 'string');
      return recorder.answer(kind, text, items);
    };
  provide(vscode.window as unknown as Record<string, unknown>, {
    showInformationMessage: message('info'),
    showWarningMessage: message('warning'),
    showErrorMessage: message('error'),
    setStatusBarMessage: (text: string) => (recorder.shown.push(`status: ${text}`), new Disposable(() => undefined)),
    showQuickPick: async (items: unknown[], opts?: { title?: string }) => (
      recorder.shown.push(`pick: ${opts?.title}`),
      recorder.answer('pick', opts?.title ?? '', items)
    ),
    showInputBox: async (opts?: { title?: string }) => (
      recorder.shown.push(`input: ${opts?.title}`),
      recorder.answer('input', opts?.title ?? '', [])
    ),
    showOpenDialog: async (opts?: { title?: string }) => (
      recorder.shown.push(`open: ${opts?.title}`),
      recorder.answer('open', opts?.title ?? '', [])
    ),
    showSaveDialog: async (opts?: { title?: string }) => (
      recorder.shown.push(`save: ${opts?.title}`),
      recorder.answer('save', opts?.title ?? '', [])
    ),
    showTextDocument: async (target: Uri | { uri: Uri }) =>
      void recorder.opened.push('uri' in target ? target.uri.fsPath : target.fsPath),
    withProgress: async (_options: unknown, task: (progress: unknown, token: unknown) => Promise<unknown>) => {
      const source = new CancellationTokenSource();
      recorder.cancelProgress.push(() => source.cancel());
      return task({ report: () => undefined }, source.token);
    },
    createOutputChannel: () => ({
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
      show: () => undefined,
      dispose: () => undefined,
    }),
    createStatusBarItem: () => {
      const item = {
        text: '',
        command: undefined as unknown,
        visible: false,
        show() {
          this.visible = true;
        },
        hide() {
          this.visible = false;
        },
        dispose: () => undefined,
      };
      recorder.statusBarItems.push(item);
      return item;
    },
    createTreeView: () => ({
      visible: true,
      selection: [],
      onDidChangeSelection: noEvent,
      dispose: () => undefined,
      reveal: async (node: unknown) => void recorder.treeReveals.push(node),
    }),
    registerWebviewPanelSerializer: (viewType: string) => {
      recorder.serializers.add(viewType);
      return new Disposable(() => recorder.serializers.delete(viewType));
    },
    activeTextEditor: undefined,
    // No editor tabs: no timeline panel is on screen unless a test says so.
    tabGroups: { all: [], onDidChangeTabs: noEvent, onDidChangeTabGroups: noEvent },
  });
  provide(vscode.workspace as unknown as Record<string, unknown>, {
    isTrusted: options.trusted ?? true,
    workspaceFolders: folder ? [folder] : undefined,
    getWorkspaceFolder: (uri: Uri) =>
      folder && !path.relative(folder.uri.fsPath, uri.fsPath).startsWith('..') ? folder : undefined,
    getConfiguration: (section?: string) => ({
      get: <T>(key: string, fallback: T) => {
        const full = section ? `${section}.${key}` : key;
        return options.settings && full in options.settings ? (options.settings[full] as T) : fallback;
      },
    }),
    createFileSystemWatcher: () => ({
      onDidCreate: noEvent,
      onDidDelete: noEvent,
      onDidChange: noEvent,
      dispose: () => undefined,
    }),
    findFiles: async () => [],
    asRelativePath: (p: string) => p,
    textDocuments: [],
    onDidOpenTextDocument: noEvent,
    onDidChangeTextDocument: noEvent,
    onDidSaveTextDocument: noEvent,
    onDidCloseTextDocument: noEvent,
    onDidChangeConfiguration: noEvent,
    onDidChangeWorkspaceFolders: noEvent,
    onDidGrantWorkspaceTrust: noEvent,
  });
  provide(vscode.languages as unknown as Record<string, unknown>, {
    createDiagnosticCollection: () => ({ set: () => undefined, delete: () => undefined, dispose: () => undefined }),
    registerCodeLensProvider: () => new Disposable(() => undefined),
  });
  provide(vscode.commands as unknown as Record<string, unknown>, {
    registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
      recorder.commands.set(id, handler);
      return new Disposable(() => recorder.commands.delete(id));
    },
    executeCommand: async (id: string, ...args: unknown[]) => {
      if (id === 'setContext') return void (recorder.contexts[args[0] as string] = args[1]);
      return recorder.commands.get(id)?.(...args);
    },
  });
  provide(vscode.extensions as unknown as Record<string, unknown>, {
    getExtension: (id: string) => options.extensions?.[id],
  });
  provide(vscode.env as unknown as Record<string, unknown>, {
    clipboard: { writeText: async (text: string) => void (recorder.clipboard = text) },
  });
  return recorder;
}

/** An in-memory Memento for `workspaceState`. */
export function memento(): vscode.Memento {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void values.set(key, value),
  } as vscode.Memento;
}

export { EventEmitter };
