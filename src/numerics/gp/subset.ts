/**
 * The random subset of observations on which the hyperparameters of a large dataset are searched.
 */
import type { Rng } from "../../util/rng.js";

/**
 * m distinct indices of 0…n−1 drawn uniformly (a partial Fisher–Yates shuffle), in increasing order.
 * Uniform rather than space-filling on purpose: Bayesian-optimization data crowd around the optima, and
 * the crowded region is where the short lengthscales and the noise level are identified, so the subset
 * keeps the data's own density.
 *
 * @param rng consumed: m draws.
 * @returns length min(m, n), sorted.
 */
export function randomSubset(n: number, m: number, rng: Rng): Int32Array {
  const k = Math.min(m, n);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order.subarray(0, k).sort();
}

/**
 * The given rows of a row-major matrix with `width` columns (width 1 for a vector).
 *
 * @returns indices.length × width, row-major.
 */
export function takeRows(A: Float64Array, width: number, indices: Int32Array): Float64Array {
  const out = new Float64Array(indices.length * width);
  for (let r = 0; r < indices.length; r++) {
    const src = indices[r]! * width;
    out.set(A.subarray(src, src + width), r * width);
  }
  return out;
}
