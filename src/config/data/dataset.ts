/** The training data as float arrays, whatever made it (a generator or a CSV file). */

/** X row-major [samples, timesteps, features] and y [samples, targets]. */
export interface Dataset {
  x: Float32Array;
  y: Float32Array;
  samples: number;
  timesteps: number;
  features: number;
  targets: number;
  /** Human description, e.g. "sine generator, seed 0, ..." (goes into the run manifest). */
  source: string;
}
