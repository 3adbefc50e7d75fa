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
}

/**
 * The rows of X (n×d) that are the maximum of at least one joint posterior sample of f(X), in their
 * original order. Points whose probability of being the best is below about 1/numSamples are dropped;
 * they hardly move the sampled incumbent. O(n³) once (joint posterior and its Cholesky factor) plus
 * O(numSamples·n²).
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
