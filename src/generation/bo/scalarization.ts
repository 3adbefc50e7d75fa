/** ParEGO's random scalarization of several objectives into one (Knowles 2006). */
import type { Rng } from "../../util/rng.js";

/** Weight of the sum term of the augmented Chebyshev scalarization (Knowles 2006, BoTorch's default). */
export const CHEBYSHEV_ALPHA = 0.05;

/**
 * A weight vector drawn uniformly from the probability simplex {w ≥ 0, Σw = 1} of dimension m:
 * normalized standard exponentials (the Dirichlet(1, …, 1) distribution).
 */
export function sampleSimplex(m: number, rng: Rng): Float64Array {
  const w = new Float64Array(m);
  let sum = 0;
  for (let k = 0; k < m; k++) {
    // 1 − next() is in (0, 1], so the logarithm is finite.
    w[k] = -Math.log(1 - rng.next());
    sum += w[k]!;
  }
  for (let k = 0; k < m; k++) w[k] = sum > 0 ? w[k]! / sum : 1 / m;
  return w;
}

/**
 * Augmented Chebyshev scalarization of normalized objectives (maximization; 0 at the reference point,
 * 1 at the ideal): s(z) = minₖ wₖzₖ + α·Σₖ wₖzₖ. The min term makes every Pareto-optimal point the
 * maximizer for some weights (a weighted sum misses concave parts of the front); the small sum term
 * breaks ties among weakly optimal points.
 *
 * @param Z n×m normalized objectives, row-major.
 * @returns s, length n.
 */
export function augmentedChebyshev(Z: Float64Array, n: number, weights: Float64Array): Float64Array {
  const m = weights.length;
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let min = Number.POSITIVE_INFINITY;
    let sum = 0;
    for (let k = 0; k < m; k++) {
      const wz = weights[k]! * Z[i * m + k]!;
      min = Math.min(min, wz);
      sum += wz;
    }
    s[i] = min + CHEBYSHEV_ALPHA * sum;
  }
  return s;
}

/**
 * Normalizes Y (n×m, maximization) so that the reference point maps to 0 and the observed ideal (best
 * value per objective) to 1; rows worse than the reference point get negative values, which keeps the
 * scalarization informative (and ordered) outside the region of interest. When nothing beats the
 * reference point in an objective, its observed range is the unit instead.
 */
export function normalizeObjectives(Y: Float64Array, n: number, referencePoint: Float64Array): Float64Array {
  const m = referencePoint.length;
  const unit = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let best = Number.NEGATIVE_INFINITY;
    let worst = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      best = Math.max(best, Y[i * m + k]!);
      worst = Math.min(worst, Y[i * m + k]!);
    }
    const span = best - referencePoint[k]!;
    const scale = Math.max(Math.abs(best), Math.abs(referencePoint[k]!), 1);
    // A span lost in round-off would blow the normalized values up; fall back to the observed range.
    unit[k] = span > 1e-12 * scale ? span : Math.max(best - worst, 1e-12 * scale);
  }
  const Z = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < m; k++) Z[i * m + k] = (Y[i * m + k]! - referencePoint[k]!) / unit[k]!;
  }
  return Z;
}
