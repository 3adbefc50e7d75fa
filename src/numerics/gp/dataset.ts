/**
 * Validation of a GP training set and the standardization of its outputs (mean 0, standard deviation 1),
 * with the matching transform of the observation noise.
 */
import { ModelFittingError } from "../../errors.js";

/** Noise added to every fixed observation noise (standardized units), for numerical stability only. */
export const MIN_FIXED_NOISE = 1e-6;

/** Standard deviations below this are treated as 1 (constant outputs), as BoTorch's Standardize does. */
const MIN_STD = 1e-8;

/** y_standardized = (y − mean) / std. */
export interface OutcomeTransform {
  mean: number;
  std: number;
}

/** A GP training set: inputs in the unit cube, outputs and (optionally) their noise variances. */
export interface GpDataset {
  /** n×d inputs, row-major, in [0, 1]^d. */
  X: Float64Array;
  n: number;
  d: number;
  /** Outputs, length n, original scale. */
  Y: Float64Array;
  /** Observation noise variances, length n, original scale; null when the noise is to be inferred. */
  Yvar: Float64Array | null;
}

/**
 * Checks shapes and values.
 *
 * @throws ModelFittingError when n < 1 or d < 1 or not integers, on a length mismatch, when X or Y hold a
 *   NaN or infinite value, or when Yvar holds a negative, NaN or infinite value.
 */
export function validateDataset(data: GpDataset, context = "fitGp"): void {
  const { X, n, d, Y, Yvar } = data;
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(d) || d < 1) {
    throw new ModelFittingError(
      `${context}: need at least one observation and one input dimension, got n = ${n}, d = ${d}`,
    );
  }
  if (X.length !== n * d || Y.length !== n || (Yvar !== null && Yvar.length !== n)) {
    throw new ModelFittingError(
      `${context}: expected X of n×d = ${n}×${d} numbers, Y and Yvar of ${n}; got ${X.length}, ${Y.length}` +
        `${Yvar === null ? "" : `, ${Yvar.length}`}`,
    );
  }
  assertFinite(context, "X", X);
  assertFinite(context, "Y", Y);
  if (Yvar !== null) {
    assertFinite(context, "Yvar", Yvar);
    const j = Yvar.findIndex((v) => v < 0);
    if (j >= 0) throw new ModelFittingError(`${context}: Yvar[${j}] = ${Yvar[j]} is negative`);
  }
}

function assertFinite(context: string, name: string, values: Float64Array): void {
  const j = values.findIndex((v) => !Number.isFinite(v));
  if (j >= 0) {
    throw new ModelFittingError(
      `${context}: ${name}[${j}] = ${values[j]} is not finite; remove or repair that observation`,
    );
  }
}

/**
 * Mean and sample standard deviation (n − 1 in the denominator, as BoTorch's Standardize) of Y; the
 * standard deviation is 1 when n = 1 or when Y is constant.
 */
export function computeOutcomeTransform(Y: Float64Array): OutcomeTransform {
  const n = Y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += Y[i]!;
  mean /= n;
  if (n < 2) return { mean, std: 1 };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (Y[i]! - mean) ** 2;
  const std = Math.sqrt(ss / (n - 1));
  return { mean, std: std >= MIN_STD ? std : 1 };
}

/** (Y − mean)/std, length n. */
export function standardize(Y: Float64Array, t: OutcomeTransform): Float64Array {
  return Y.map((y) => (y - t.mean) / t.std);
}

/**
 * Fixed noise on the standardized scale, Yvar/std², floored at {@link MIN_FIXED_NOISE}: noiseless data get
 * that tiny jitter only, never an inflated noise level.
 */
export function standardizeNoise(Yvar: Float64Array, t: OutcomeTransform): Float64Array {
  const s2 = t.std * t.std;
  return Yvar.map((v) => Math.max(v / s2, MIN_FIXED_NOISE));
}

/**
 * The outputs as a fit works on them: their standardization, the standardized outputs, and the fixed
 * noise on that scale (null when the noise is inferred).
 */
export function standardizeData(
  Y: Float64Array,
  Yvar: Float64Array | null,
): { transform: OutcomeTransform; y: Float64Array; noise: Float64Array | null } {
  const transform = computeOutcomeTransform(Y);
  return {
    transform,
    y: standardize(Y, transform),
    noise: Yvar === null ? null : standardizeNoise(Yvar, transform),
  };
}
