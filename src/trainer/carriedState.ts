/**
 * The stateful layers' state between batches: the final state of the last batch run (row i is
 * row i's state), and the training state saved across a validation pass when validation is
 * `isolated`. Holds the tensors, so it also decides when they are disposed.
 */
import { disposeStates } from './batchStep';
import type { LayerValues } from './capture';
import type { LayerStates } from './model';

/** The final state of batch `step`, whose rows held the samples `rows`. */
export interface StateSource {
  tensors: LayerStates;
  values: LayerValues[];
  step: number;
  rows: number[];
}

export class CarriedState {
  private current: StateSource | null = null;
  private saved: StateSource | null = null;

  /** The state the next batch would carry, or null before the first batch. */
  get source(): StateSource | null {
    return this.current;
  }

  /** The state after a batch: its final state replaces the one before (kept only if saved). */
  replace(next: StateSource | null): void {
    const old = this.current;
    this.current = next;
    if (old && old !== this.saved) disposeStates(old.tensors);
  }

  /** Isolated validation: keep the training state aside while validation runs. */
  save(): void {
    if (this.saved && this.saved !== this.current) disposeStates(this.saved.tensors);
    this.saved = this.current;
  }

  /** Isolated validation: put the saved training state back (validation's final state is dropped). */
  restore(): void {
    if (this.current && this.current !== this.saved) disposeStates(this.current.tensors);
    this.current = this.saved;
    this.saved = null;
  }

  dispose(): void {
    this.restore();
    this.replace(null);
  }
}
