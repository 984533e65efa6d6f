/** Words for a batch, shared by the timeline tooltip, its screen-reader value, the readouts and the inspector. */
import { CAUSE_LABELS, CAUSES, type InitialStateCause } from '../../src/shared/causes';
import type { BatchFlag, BatchRecord } from '../../src/shared/runFormat';
import { CAUSE_CODE, MARKER_MASK, RARE_MASK } from '../numbers/causeCodes';
import { fmt } from '../numbers/format';
import type { RunModel } from './runModel';

/** Why a batch started from zeros, or what it started from, in a few words (no "zeros (…)" wrapper). */
export const CAUSE_REASONS: Record<InitialStateCause, string> = {
  auto: 'no state given (stateless)',
  first: 'the first batch of the run',
  epoch: 'the epoch-end reset',
  schedule: 'a scheduled reset',
  manual: 'a manual reset',
  phase: 'the reset where one phase hands over to the next (validationState "reset", predict.reset)',
  zeros: 'an all-zero state given by the script',
  carried: 'carried row for row',
  restored: 'a saved state put back',
  permuted: 'carried with its rows in another order',
  partial: 'partly carried (the batch size changed)',
  other: 'a state equal to no earlier one (learned or random)',
  unreadable: 'its record could not be read',
};

/** Each flag's code and plain sentence (docs/run-format.md). */
export const FLAG_SENTENCES: Record<BatchFlag, string> = {
  withGraph:
    'PT001 withGraph: the carried state still held its autograd graph (the missing .detach()): gradients flow back into earlier batches',
  fromEval:
    'PT002 fromEval: carried across phases: evaluation started from the training state, or training goes on from the state evaluation left',
  shuffledData:
    "PT003 shuffledData: carried while the DataLoader's sampler shuffles: row i's data is an unrelated sample",
};

/** "epoch 2, batch 3" (both from 1), with the phase when it is not training. */
export function placeOf(model: RunModel, step: number): string {
  const phase = model.phaseOf(step);
  return `epoch ${model.epoch[step] + 1}, ${phase === 'train' ? '' : `${phaseName(phase)} `}batch ${model.batch[step] + 1}`;
}

export function phaseName(phase: string): string {
  return phase === 'validate'
    ? 'validation'
    : phase === 'predict'
      ? 'prediction'
      : phase === 'eval'
        ? 'evaluation'
        : 'training';
}

/** What the batch started from: "carried from step 11", "zeros: the epoch-end reset". */
export function startText(model: RunModel, record: BatchRecord): string {
  const { cause, carriedFrom } = record;
  if (carriedFrom !== null) {
    const other =
      model.phase[carriedFrom] !== model.phase[record.step] ? ` (${phaseName(model.phaseOf(carriedFrom))})` : '';
    const verb =
      cause === 'carried'
        ? 'carried'
        : cause === 'restored'
          ? 'restored'
          : cause === 'permuted'
            ? 'carried, rows permuted,'
            : 'partly carried';
    return `${verb} from step ${carriedFrom}${other}`;
  }
  if (cause === 'unreadable') return 'unreadable record';
  if (cause === 'other') return CAUSE_LABELS.other;
  return `zeros: ${CAUSE_REASONS[cause]}`;
}

/** One line: "step 12 · epoch 2, batch 3 · carried from step 11 · loss 0.0123". */
export function describeBatch(model: RunModel, step: number): string {
  const record = model.record(step);
  if (!record) return `step ${step}: not recorded yet`;
  if (record.unreadable) return `step ${step} · ${placeOf(model, step)} · unreadable: ${record.unreadable}`;
  const flags = record.flags.length ? ` · flags: ${record.flags.join(', ')}` : '';
  return `step ${step} · ${placeOf(model, step)} · ${startText(model, record)} · loss ${fmt(record.loss)}${flags}`;
}

/** Several lines for a pixel column holding batches [first, last]. */
export function describeRange(model: RunModel, first: number, last: number): string[] {
  if (first === last) {
    const record = model.record(first);
    const lines = [describeBatch(model, first)];
    if (record && !record.unreadable)
      lines.push(`mean ‖h₀‖ ${fmt(record.meanNorms[0]?.h0 ?? null)} → ‖h‖ ${fmt(record.meanNorms[0]?.h ?? null)}`);
    for (const flag of record?.flags ?? []) lines.push(FLAG_SENTENCES[flag]);
    return lines;
  }
  const counts = new Map<InitialStateCause, number>();
  const marked: number[] = [];
  let nonFinite = 0;
  for (let i = first; i <= last; i++) {
    const code = model.cause[i];
    counts.set(CAUSES[code], (counts.get(CAUSES[code]) ?? 0) + 1);
    if ((MARKER_MASK | RARE_MASK) & (1 << code)) marked.push(i);
    if (model.lossKnown[i] && !Number.isFinite(model.loss[i])) nonFinite++;
  }
  const lines = [`steps ${first}–${last} (${last - first + 1} batches)`];
  for (const cause of CAUSES) {
    const count = counts.get(cause);
    if (count) lines.push(`${count} × ${CAUSE_LABELS[cause]}`);
  }
  if (marked.length) {
    const list = marked.slice(0, 4).map((s) => `${s} (${CAUSES[model.cause[s]]})`);
    lines.push(`marked: step ${list.join(', ')}${marked.length > 4 ? ` and ${marked.length - 4} more` : ''}`);
  }
  if (nonFinite) lines.push(`${nonFinite} × non-finite loss (NaN or Infinity)`);
  return lines;
}

/** Whether the cause code is one of the markers' (a reset or a rare cause). */
export const isMarked = (cause: InitialStateCause) => ((MARKER_MASK | RARE_MASK) & (1 << CAUSE_CODE[cause])) !== 0;
