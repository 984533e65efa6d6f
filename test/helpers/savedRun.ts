/** Reading a saved run's weights and samples in the shapes test/helpers/referenceLstm.ts takes. */
import { readWeights } from '../../src/runStore/batchData';
import { type RunData } from '../../src/runStore/readRun';
import type { LstmWeights } from './referenceLstm';

/** The weights of `layer` saved at `point` ('initial', 'epoch-N', …). */
export function layerWeights(run: RunData, point: string, layer = 0): LstmWeights {
  const w = readWeights(run, point);
  return {
    kernel: w.get(`layer${layer}.kernel`)!.values,
    recurrent: w.get(`layer${layer}.recurrent_kernel`)!.values,
    bias: w.get(`layer${layer}.bias`)!.values,
    units: run.manifest.model.layers[layer].units,
  };
}

/** Sample `s` of the saved dataset as [timesteps][features]. */
export function sequenceOf(run: RunData, x: Float32Array, s: number): number[][] {
  const { timesteps: t, features: f } = run.manifest.data;
  if (t === null || f === null) throw new Error('a trainer run always knows its data shape');
  return Array.from({ length: t }, (_, i) => Array.from(x.subarray((s * t + i) * f, (s * t + i + 1) * f)));
}
