/**
 * GP posterior computations on a {@link GpState}, reported on the original output scale:
 * μ(x) = ȳ + σ_y (c + k(x)ᵀα),  v(x) = σ_y² (s² − k(x)ᵀ(K + D)⁻¹k(x)).
 */
import { NumericalError } from "../../errors.js";
import { gramLower, solveLowerTriangularInPlace, transpose } from "../linalg/index.js";
import type { GpState } from "./gp-state.js";
import { crossCovarianceScaled, scaleInputs } from "./kernels/kernel-matrices.js";

/** Standardized variances are clamped at this (cancellation can make s² − kᵀK⁻¹k slightly negative). */
export const MIN_VARIANCE = 1e-12;

/** Test points handled together by {@link predictPosterior}, bounding its memory to n × BLOCK numbers. */
const BLOCK = 256;

/** Marginal posterior at m points: means and variances, length m, original scale. */
export interface PosteriorMarginals {
  mean: Float64Array;
  variance: Float64Array;
}

/** Joint posterior at m points: mean (m) and covariance (m×m, row-major), original scale. */
export interface JointPosterior {
  mean: Float64Array;
  covariance: Float64Array;
}

/** Posterior mean and variance at one point with their gradients in x, original scale. */
export interface PosteriorWithGradient {
  mean: number;
  variance: number;
  /** ∂mean/∂x, length d. */
  dMean: Float64Array;
  /** ∂variance/∂x, length d. */
  dVariance: Float64Array;
}

/** Options of the posterior queries. */
export interface PredictOptions {
  /** Add the observation noise of a new point (σ², or the mean fixed noise) to the variance. Default false. */
  includeNoise?: boolean;
}

function checkPoints(state: GpState, Xstar: Float64Array, m: number, routine: string): void {
  if (!Number.isInteger(m) || m < 0 || Xstar.length !== m * state.d) {
    throw new NumericalError(
      `${routine}: Xstar must hold m×d = ${m}×${state.d} numbers, got ${Xstar.length}`,
    );
  }
}

/** V = L⁻¹K(X, X*) (n×m) and the standardized means c + K(X*, X)α. */
function crossTerms(state: GpState, Xstar: Float64Array, m: number) {
  const { n, d, hyperparameters: h } = state;
  const Zs = scaleInputs(Xstar, m, d, h.lengthscales);
  const V = crossCovarianceScaled(state.kernel, state.Z, n, Zs, m, d, h.outputscale);
  const mean = new Float64Array(m).fill(h.constantMean);
  for (let a = 0; a < n; a++) {
    const aa = state.alpha[a]!;
    const ra = a * m;
    for (let j = 0; j < m; j++) mean[j]! += V[ra + j]! * aa;
  }
  solveLowerTriangularInPlace(state.L, n, V, m);
  return { V, mean, Zs };
}

/**
 * Marginal posterior of the latent f at m points (plus observation noise when asked).
 *
 * @param Xstar m×d, row-major.
 * @throws NumericalError on a shape mismatch.
 */
export function predictPosterior(
  state: GpState,
  Xstar: Float64Array,
  m: number,
  options: PredictOptions = {},
): PosteriorMarginals {
  checkPoints(state, Xstar, m, "predict");
  const { d, n, transform: t } = state;
  const s2 = state.hyperparameters.outputscale;
  const noise = options.includeNoise ? state.newPointNoise : 0;
  const mean = new Float64Array(m);
  const variance = new Float64Array(m);
  for (let j0 = 0; j0 < m; j0 += BLOCK) {
    const mb = Math.min(BLOCK, m - j0);
    const block = crossTerms(state, Xstar.subarray(j0 * d, (j0 + mb) * d), mb);
    for (let j = 0; j < mb; j++) {
      let vv = 0;
      for (let a = 0; a < n; a++) vv += block.V[a * mb + j]! ** 2;
      mean[j0 + j] = t.mean + t.std * block.mean[j]!;
      variance[j0 + j] = t.std * t.std * (Math.max(s2 - vv, MIN_VARIANCE) + noise);
    }
  }
  return { mean, variance };
}

/**
 * Joint posterior of f at m points: Σ = K** − VᵀV with V = L⁻¹K(X, X*) (plus noise·I when asked).
 *
 * @param Xstar m×d, row-major.
 * @returns mean (m) and covariance (m×m, symmetric), original scale.
 * @throws NumericalError on a shape mismatch.
 */
export function jointPosterior(
  state: GpState,
  Xstar: Float64Array,
  m: number,
  options: PredictOptions = {},
): JointPosterior {
  checkPoints(state, Xstar, m, "jointPosterior");
  const { n, d, transform: t } = state;
  const { V, mean, Zs } = crossTerms(state, Xstar, m);
  const covariance = crossCovarianceScaled(state.kernel, Zs, m, Zs, m, d, state.hyperparameters.outputscale);
  // VᵀV from the rows of Vᵀ (contiguous dot products); rank-one updates of the m×m matrix, one per
  // training point, would sweep all of it n times.
  const VtV = gramLower(transpose(V, n, m), m, n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) covariance[i * m + j]! -= VtV[i * m + j]!;
  }
  const s2 = t.std * t.std;
  const noise = options.includeNoise ? state.newPointNoise : 0;
  for (let i = 0; i < m; i++) {
    covariance[i * m + i] = Math.max(covariance[i * m + i]!, MIN_VARIANCE) + noise;
    for (let j = 0; j <= i; j++) {
      const v = s2 * covariance[i * m + j]!;
      covariance[i * m + j] = v;
      covariance[j * m + i] = v;
    }
    mean[i] = t.mean + t.std * mean[i]!;
  }
  return { mean, covariance };
}
