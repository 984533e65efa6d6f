/**
 * A non-finite loss or state is a fact about the run: the batch is recorded as it is (the log
 * keeps "NaN"/"Infinity"), then, unless the config says "continue", the run stops and fails with
 * a message naming the batch and the likely cause.
 */
import type { BatchRecord } from '../shared/runFormat';
import type { LayerValues } from './capture';

/** The first non-finite value of a batch: its loss, else a state; undefined when all are finite. */
export function nonFiniteIn(loss: number, layers: LayerValues[]): string | undefined {
  if (!Number.isFinite(loss)) return `the loss became ${describe(loss)}`;
  for (const [i, layer] of layers.entries()) {
    for (const [name, values] of [
      ['h', layer.h],
      ['c', layer.c],
    ] as const) {
      const bad = values.find((v) => !Number.isFinite(v));
      if (bad !== undefined) return `the final state ${name} of layer ${i} became ${describe(bad)}`;
    }
  }
  return undefined;
}

/** Where, in the words the CLI and the panel use: "step 12 (epoch 3 of 15, batch 3 of 5, train)". */
export function batchPlace(record: BatchRecord, epochs: number, batchesInPhase: number): string {
  return `step ${record.step} (epoch ${record.epoch + 1} of ${epochs}, ${record.phase} batch ${record.batch + 1} of ${batchesInPhase})`;
}

/** Thrown to stop a run at a non-finite batch; the batch is already recorded. */
export class NonFiniteError extends Error {
  constructor(
    message: string,
    readonly step: number,
  ) {
    super(message);
    this.name = 'NonFiniteError';
  }
}

/** The likely causes, for the message: the learning rate when training, the data's range either way. */
export function likelyCause(
  phase: BatchRecord['phase'],
  optimizer: string,
  learningRate: number,
  maxAbsX: number,
): string {
  const data = `the data's values may be too large (|x| up to ${maxAbsX.toPrecision(3)}; values near 1 train best)`;
  return phase === 'train'
    ? `the learning rate (${optimizer}, ${learningRate}) is probably too high, or ${data}`
    : `the weights may have diverged in training, or ${data}`;
}

function describe(value: number): string {
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}
