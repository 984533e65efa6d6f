/**
 * A small typed stand-in for the `vscode` module (vitest aliases `vscode` here).
 * Value classes are real; the namespaces throw on any member a test did not provide,
 * so a test can never pass by silently calling into nothing. Tests install members with
 * `provide(window, { showInformationMessage: ... })`.
 */
import type * as vscode from 'vscode';

type Listener<T> = (e: T) => unknown;

/** A real event emitter: listeners are called in order; a throwing listener does not stop the others. */
export class EventEmitter<T> implements vscode.EventEmitter<T> {
  private listeners: Array<Listener<T>> = [];
  readonly event: vscode.Event<T> = (listener, thisArg, disposables) => {
    const bound: Listener<T> = thisArg ? listener.bind(thisArg) : listener;
    this.listeners.push(bound);
    const subscription = new Disposable(() => (this.listeners = this.listeners.filter((l) => l !== bound)));
    disposables?.push(subscription);
    return subscription;
  };
  fire(data: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(data);
      } catch (error) {
        console.error('listener failed', error);
      }
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Disposable implements vscode.Disposable {
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  constructor(private callOnDispose: () => unknown) {}
  dispose(): void {
    const call = this.callOnDispose;
    this.callOnDispose = () => undefined;
    call();
  }
}

/** File URIs only, which is all the extension uses. */
export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static file(fsPath: string): Uri {
    return new Uri('file', fsPath.replace(/\\/g, '/'));
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, [base.path, ...segments].join('/').replace(/\/+/g, '/'));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  private cancelled = false;
  readonly token = {
    isCancellationRequested: false,
    onCancellationRequested: this.emitter.event,
  };
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(
    startLine: number | Position,
    startCharacter: number | Position,
    endLine?: number,
    endCharacter?: number,
  ) {
    if (startLine instanceof Position && startCharacter instanceof Position) {
      this.start = startLine;
      this.end = startCharacter;
    } else {
      this.start = new Position(startLine as number, startCharacter as number);
      this.end = new Position(endLine ?? 0, endCharacter ?? 0);
    }
  }
}

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}

export class RelativePattern {
  constructor(
    readonly base: unknown,
    readonly pattern: string,
  ) {}
}

export class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Position | Range,
  ) {}
}

export class DiagnosticRelatedInformation {
  constructor(
    readonly location: Location,
    readonly message: string,
  ) {}
}

export class Diagnostic {
  source?: string;
  code?: string | number;
  relatedInformation?: DiagnosticRelatedInformation[];
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity = DiagnosticSeverity.Error,
  ) {}
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export class MarkdownString {
  supportThemeIcons = false;
  constructor(public value = '') {}
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
  appendText(text: string): this {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!|]/g, '\\$&');
    return this;
  }
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string | MarkdownString;
  iconPath?: ThemeIcon;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  constructor(
    public label: string,
    public collapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

export class CodeLens {
  constructor(
    readonly range: Range,
    readonly command?: { command: string; title: string; arguments?: unknown[] },
  ) {}
}

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}
export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
}
export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

/** A namespace whose every member must be provided by the test that uses it. */
function strictNamespace(name: string): Record<string, unknown> {
  const provided: Record<string, unknown> = {};
  return new Proxy(provided, {
    get(target, key) {
      if (typeof key === 'symbol' || key in target) return target[key as string];
      throw new Error(`vscode shim: ${name}.${key} is not provided`);
    },
  });
}

export const window = strictNamespace('window');
export const workspace = strictNamespace('workspace');
export const commands = strictNamespace('commands');
export const languages = strictNamespace('languages');
export const env = strictNamespace('env');
export const extensions = strictNamespace('extensions');

/** Installs members on a shim namespace for one test. */
export function provide(namespace: Record<string, unknown>, members: Record<string, unknown>): void {
  Object.assign(namespace, members);
}
