/**
 * An LSTM written from the equations, in float64, independent of tfjs: used to check the
 * trainer's saved states against the saved weights (Keras layout, gates i, f, c, o).
 */
export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
/** hardSigmoid as tfjs and Keras 2 define it. */
export const hardSigmoid = (z: number) => Math.min(1, Math.max(0, 0.2 * z + 0.5));

export interface LstmWeights {
  /** [features, 4 * units] row-major. */
  kernel: ArrayLike<number>;
  /** [units, 4 * units] row-major. */
  recurrent: ArrayLike<number>;
  /** [4 * units]. */
  bias: ArrayLike<number>;
  units: number;
}

/** Runs one sequence x [timesteps][features] from (h, c); returns the final (h, c) and every h. */
export function runSequence(
  weights: LstmWeights,
  x: number[][],
  h0: number[],
  c0: number[],
  gate = sigmoid,
): { h: number[]; c: number[]; hs: number[][] } {
  const { kernel, recurrent, bias, units: u } = weights;
  let h = h0.slice();
  let c = c0.slice();
  const hs: number[][] = [];
  for (const xt of x) {
    const z = Array.from({ length: 4 * u }, (_, j) => {
      let sum = bias[j];
      xt.forEach((value, f) => (sum += value * kernel[f * 4 * u + j]));
      h.forEach((value, k) => (sum += value * recurrent[k * 4 * u + j]));
      return sum;
    });
    const nextC = c.map((cPrev, k) => gate(z[u + k]) * cPrev + gate(z[k]) * Math.tanh(z[2 * u + k]));
    h = nextC.map((cNew, k) => gate(z[3 * u + k]) * Math.tanh(cNew));
    c = nextC;
    hs.push(h);
  }
  return { h, c, hs };
}

/** The dense head: y = h · kernel + bias. */
export function dense(h: number[], kernel: ArrayLike<number>, bias: ArrayLike<number>): number[] {
  return Array.from({ length: bias.length }, (_, j) =>
    h.reduce((sum, value, k) => sum + value * kernel[k * bias.length + j], bias[j]),
  );
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
