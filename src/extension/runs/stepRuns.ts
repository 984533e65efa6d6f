/**
 * The steps of one group of batches (an epoch's training, its validation…), ascending, kept as
 * runs of consecutive steps: a group's steps are usually one run, so an epoch of 10,000 batches
 * costs a few numbers instead of an array of 10,000. Position ↔ step by binary search over runs.
 */
export class StepRuns {
  /** Run k holds steps [starts[k], starts[k] + lengths[k]) at positions [before[k], before[k] + lengths[k]). */
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  private readonly before: number[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Appends a step greater than every step held; returns its position. */
  push(step: number): number {
    const last = this.starts.length - 1;
    if (last >= 0 && this.starts[last] + this.lengths[last] === step) this.lengths[last]++;
    else {
      this.starts.push(step);
      this.lengths.push(1);
      this.before.push(this.count);
    }
    return this.count++;
  }

  /** The step at a position (0 ≤ position < length). */
  at(position: number): number {
    const k = lastAtMost(this.before, position);
    return this.starts[k] + (position - this.before[k]);
  }

  /** The position of a step, or -1 when the group does not hold it. */
  positionOf(step: number): number {
    const k = lastAtMost(this.starts, step);
    if (k < 0 || step >= this.starts[k] + this.lengths[k]) return -1;
    return this.before[k] + (step - this.starts[k]);
  }
}

/** Index of the last element ≤ value in an ascending array, or -1. */
function lastAtMost(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
