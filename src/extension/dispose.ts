/** Disposable base: every long-lived object registers what it owns and frees it once. */
import type * as vscode from 'vscode';

/** Base of every long-lived object of the host (also used by the panels). */
export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  protected isDisposed = false;

  /** Ties `value`'s lifetime to this object's; disposed at once if this one already is. */
  protected _register<T extends vscode.Disposable>(value: T): T {
    if (this.isDisposed) value.dispose();
    else this.owned.push(value);
    return value;
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    // Reverse order: later objects may depend on earlier ones.
    for (const value of this.owned.splice(0).reverse()) {
      try {
        value.dispose();
      } catch (error) {
        console.error('dispose failed', error);
      }
    }
  }
}
