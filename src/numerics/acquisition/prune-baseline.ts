/**
 * Baseline pruning for qLogNEI (BoTorch's `prune_inferior_points`): only observed points that can be the
 * best under the posterior matter to the noisy incumbent max_i f(B_i), so the others are dropped before
 * the acquisition is prepared. With hundreds of observations this shrinks the baseline to the few
 * contenders for the incumbent, and each acquisition evaluation from O(n·n_b·d) to O(n·d) plus a little.
 */
import { cholesky } from "../linalg/index.js";
import { normalBaseSamples } from "./smoothed-improvement.js";
import type { JointSurrogate } from "./surrogate.js";

/** Options of {@link pruneInferiorPoints}. */
export interface PruneInferiorPointsOptions {
  /** Joint posterior samples drawn; default 256. A point is kept when it is the argmax of at least one. */
  numSamples?: number;
  /** Seed of the quasi-random base samples; default 0. */
  seed?: number;
  /**
   * Filter a baseline of more than {@link PREFILTER_MIN_POINTS} rows on its marginal posteriors before
   * the joint pruning (see {@link pruneInferiorPoints}); default true.
   */
  marginalPrefilter?: boolean;
}

/**
 * The rows of X (n×d) that are the maximum of at least one joint posterior sample of f(X), in their
 * original order. Points whose probability of being the best is below about 1/numSamples are dropped;
 * they hardly move the sampled incumbent. O(n³) once (joint posterior and its Cholesky factor) plus
 * O(numSamples·n²), where above {@link PREFILTER_MIN_POINTS} rows n is first cut to the rows whose
 * marginal posterior can reach the best one (μᵢ + 4σᵢ ≥ maxⱼ μⱼ − 4σⱼ), so the joint posterior of a
 * thousand observations is computed on the few dozen that matter. The samples of the kept rows then
 * come from a different factorization, so near the 1/numSamples threshold the kept set can differ from
 * the unfiltered pruning's; the filter itself drops only points that no sample would make the max.
 *
 * @param X n×d, row-major.
 * @returns the kept rows, k×d with 1 ≤ k ≤ n (X itself when n ≤ 1).
 * @throws NumericalError when the joint posterior covariance cannot be factored even with jitter.
 */
export function pruneInferiorPoints(
  surrogate: JointSurrogate,
  X: Float64Array,
  n: number,
  d: number,
  options: PruneInferiorPointsOptions = {},
): Float64Array {
  if (n <= 1) return X;
  const prefilter = (options.marginalPrefilter ?? true) && n > PREFILTER_MIN_POINTS;
  const contenders = prefilter ? marginalContenders(surrogate, X, n, d) : null;
  if (contenders === null) return pruneJointly(surrogate, X, n, d, options);
  const sub = new Float64Array(contenders.length * d);
  for (let r = 0; r < contenders.length; r++) {
    const i = contenders[r]!;
    sub.set(X.subarray(i * d, (i + 1) * d), r * d);
  }
  return pruneJointly(surrogate, sub, contenders.length, d, options);
}

/**
 * Baselines of more than this many points are first filtered on their marginal posteriors (see
 * {@link marginalContenders}), so the joint posterior and its Cholesky factor, O(n³), are computed on
 * tens of points instead of all of them. Smaller baselines are pruned exactly as before.
 */
export const PREFILTER_MIN_POINTS = 64;

/**
 * Width of the marginal filter in posterior sds: a point i is dropped when μᵢ + 4σᵢ < μⱼ − 4σⱼ for some
 * j. As sd(f(xᵢ) − f(xⱼ)) ≤ σᵢ + σⱼ whatever their correlation, P(f(xᵢ) > f(xⱼ)) < Φ(−4) ≈ 3e-5 (about
 * 1e-8 for independent marginals), far below the 1/256 at which the joint pruning keeps a point.
 */
const PREFILTER_SDS = 4;

/**
 * Indices (increasing) of the rows of X whose marginal upper quantile μᵢ + 4σᵢ reaches the best marginal
 * lower quantile maxⱼ (μⱼ − 4σⱼ); null when that keeps every row. First on the surrogate's cheap
 * variance upper bounds (O(n·d) per row) when it has them, then on exact marginals (O(n²) per row) of
 * the rows that pass, against O(n³) for the joint posterior of all of them.
 */
function marginalContenders(
  surrogate: JointSurrogate,
  X: Float64Array,
  n: number,
  d: number,
): Int32Array | null {
  const bounds = surrogate.predictMeansAndVarianceBounds?.(X, n);
  if (bounds === undefined) return exactMarginalContenders(surrogate, X, n, d);
  // With variance upper bounds the threshold is lower and the kept set larger than the exact filter's,
  // and the row attaining the exact threshold is kept; so the exact filter on the kept rows keeps exactly
  // what it would keep on all of them.
  const candidates = quantileFilter(bounds.mean, bounds.varianceBound, n);
  if (candidates === null) return exactMarginalContenders(surrogate, X, n, d);
  const sub = new Float64Array(candidates.length * d);
  for (let r = 0; r < candidates.length; r++) {
    sub.set(X.subarray(candidates[r]! * d, (candidates[r]! + 1) * d), r * d);
  }
  const exact = exactMarginalContenders(surrogate, sub, candidates.length, d);
  return exact === null ? candidates : exact.map((r) => candidates[r]!);
}

/** The exact marginal filter, from the surrogate's marginal posteriors at every row. */
function exactMarginalContenders(
  surrogate: JointSurrogate,
  X: Float64Array,
  n: number,
  d: number,
): Int32Array | null {
  let mean: Float64Array;
  let variance: Float64Array;
  if (surrogate.predictValues !== undefined) {
    ({ mean, variance } = surrogate.predictValues(X, n));
  } else {
    mean = new Float64Array(n);
    variance = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = X.subarray(i * d, (i + 1) * d);
      const p = surrogate.predictValue?.(x) ?? surrogate.predictWithGradient(x);
      mean[i] = p.mean;
      variance[i] = p.variance;
    }
  }
  return quantileFilter(mean, variance, n);
}

/** Indices with μᵢ + 4σᵢ ≥ maxⱼ (μⱼ − 4σⱼ), or null when that is every index. */
function quantileFilter(mean: Float64Array, variance: Float64Array, n: number): Int32Array | null {
  let threshold = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    threshold = Math.max(threshold, mean[i]! - PREFILTER_SDS * Math.sqrt(Math.max(variance[i]!, 0)));
  }
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    if (mean[i]! + PREFILTER_SDS * Math.sqrt(Math.max(variance[i]!, 0)) >= threshold) kept.push(i);
  }
  return kept.length === n ? null : Int32Array.from(kept);
}

/** The exact pruning: argmax of each joint posterior sample over all n rows. */
function pruneJointly(
  surrogate: JointSurrogate,
  X: Float64Array,
  n: number,
  d: number,
  options: PruneInferiorPointsOptions,
): Float64Array {
  if (n <= 1) return X;
  const S = options.numSamples ?? 256;
  const { mean, covariance } = surrogate.jointPosterior(X, n);
  const L = cholesky(covariance, n).L;
  const Z = normalBaseSamples(S, n, options.seed ?? 0);
  const best = new Float64Array(S).fill(Number.NEGATIVE_INFINITY);
  const argmax = new Int32Array(S);
  // Row i of L against every sample: L's row stays in cache while the samples stream by.
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let s = 0; s < S; s++) {
      const zs = s * n;
      let f = mean[i]!;
      for (let j = 0; j <= i; j++) f += L[ri + j]! * Z[zs + j]!;
      if (f > best[s]!) {
        best[s] = f;
        argmax[s] = i;
      }
    }
  }
  const keep = new Uint8Array(n);
  for (let s = 0; s < S; s++) keep[argmax[s]!] = 1;
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i] === 1) rows.push(i);
  if (rows.length === n) return X;
  const out = new Float64Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) out.set(X.subarray(rows[r]! * d, (rows[r]! + 1) * d), r * d);
  return out;
}
