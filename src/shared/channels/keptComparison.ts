/**
 * What a comparison page keeps with the webview's `setState`: the run folders it compares (the
 * extension's serializer reopens them after a window reload) and the user's choices. The state is
 * read back from disk, so both sides check it with `readKeptComparison` before using it.
 */
import { isFraction, isNullable, isOneOf, isRange, isRecord, isString } from './check';

/** How a comparison lines its runs up: by step, or by epoch. */
export const ALIGNMENTS = ['step', 'epoch'] as const;
export type Alignment = (typeof ALIGNMENTS)[number];

/** A comparison's kept state. */
export interface KeptComparison {
  /** Absolute run folders, in the order compared. */
  runDirs: string[];
  align: Alignment;
  /** EMA smoothing of every run's loss curve. */
  smoothing: number;
  /** The shared zoom, in steps or epochs as `align` says; null shows every batch. */
  viewport: { start: number; end: number } | null;
}

/** The choices of a comparison opened for the first time. */
export const DEFAULT_COMPARISON = { align: 'step', smoothing: 0.6, viewport: null } as const satisfies Omit<
  KeptComparison,
  'runDirs'
>;

const isFolderList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((dir) => isString(dir) && dir !== '');

/** The kept state, or undefined unless it names its run folders; a choice of the wrong type falls back to its default. */
export function readKeptComparison(kept: unknown): KeptComparison | undefined {
  if (!isRecord(kept) || !isFolderList(kept.runDirs)) return undefined;
  return {
    runDirs: kept.runDirs,
    align: isOneOf(ALIGNMENTS, kept.align) ? kept.align : DEFAULT_COMPARISON.align,
    smoothing: isFraction(kept.smoothing) ? kept.smoothing : DEFAULT_COMPARISON.smoothing,
    viewport: isNullable(isRange)(kept.viewport) ? kept.viewport : DEFAULT_COMPARISON.viewport,
  };
}
