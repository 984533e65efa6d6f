/** Words for a batch, shared by the timeline tooltip, its screen-reader value, the readout and the inspector. */
import { CAUSE_LABELS, CAUSES } from '../../src/shared/causes';
import { MARKER_MASK } from '../numbers/causeCodes';
import { fmt } from '../numbers/format';
import type { RunModel } from './runModel';

/** One line: "step 12 · epoch 2, batch 2 · carried from step 11 · loss 0.0123". */
export function describeBatch(model: RunModel, step: number): string {
  const record = model.record(step);
  if (!record) return `step ${step}: not recorded yet`;
  const cause =
    record.cause === 'carried' && record.carriedFrom !== null
      ? `carried from step ${record.carriedFrom}`
      : CAUSE_LABELS[record.cause];
  return `step ${step} · epoch ${record.epoch + 1}, batch ${record.batch + 1} · ${cause} · loss ${fmt(record.loss)}`;
}

/** Several lines for a pixel column holding batches [first, last]. */
export function describeRange(model: RunModel, first: number, last: number): string[] {
  if (first === last) {
    const record = model.record(first);
    return [
      describeBatch(model, first),
      `mean ‖h₀‖ ${fmt(record?.meanNorms[0]?.h0 ?? 0)} → ‖h‖ ${fmt(record?.meanNorms[0]?.h ?? 0)}`,
    ];
  }
  const counts = new Map<string, number>();
  const resets: number[] = [];
  for (let i = first; i <= last; i++) {
    const code = model.cause[i];
    counts.set(CAUSES[code], (counts.get(CAUSES[code]) ?? 0) + 1);
    if (MARKER_MASK & (1 << code)) resets.push(i);
  }
  const lines = [`steps ${first}–${last} (${last - first + 1} batches)`];
  for (const [cause, count] of counts) lines.push(`${count} × ${CAUSE_LABELS[cause as keyof typeof CAUSE_LABELS]}`);
  if (resets.length)
    lines.push(
      `reset before step ${resets.slice(0, 4).join(', ')}${resets.length > 4 ? ` and ${resets.length - 4} more` : ''}`,
    );
  return lines;
}
