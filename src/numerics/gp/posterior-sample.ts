/**
 * Joint draws from a GP posterior on a finite candidate set: the numerics of Thompson sampling.
 */
import { NumericalError } from "../../errors.js";
import type { Rng } from "../../util/rng.js";
import { cholesky } from "../linalg/index.js";
import type { JointPosterior } from "./posterior.js";

/** What {@link samplePosteriorJointly} needs: a model with a joint posterior (a `GpModel`). */
export interface JointPosteriorSource {
  readonly d: number;
  jointPosterior(Xstar: Float64Array, m: number): JointPosterior;
}

/**
 * One draw of f at the m rows of X from the joint posterior: μ + L·z with L·Lᵀ = Σ (+ jitter) and z
 * standard normal from `rng`. The posterior covariance of many points is nearly singular (points close
 * to each other or to the data), so the factorization adds the jitter it needs (at most 1e-2 of the
 * mean variance), which only adds a little independent noise to the draw.
 *
 * @param X m×d, row-major.
 * @returns the draw, length m, on the model's original output scale.
 * @throws NumericalError when X is not m×d or the covariance cannot be factored.
 */
export function samplePosteriorJointly(
  model: JointPosteriorSource,
  X: Float64Array,
  m: number,
  rng: Rng,
): Float64Array {
  if (!Number.isInteger(m) || m < 1 || X.length !== m * model.d) {
    throw new NumericalError(
      `samplePosteriorJointly: X must hold m×d = ${m}×${model.d} numbers, got ${X.length}; pass at least one point`,
    );
  }
  const { mean, covariance } = model.jointPosterior(X, m);
  const { L } = cholesky(covariance, m, { initialRelativeJitter: 1e-10 });
  const z = new Float64Array(m);
  for (let i = 0; i < m; i++) z[i] = rng.normal();
  const f = Float64Array.from(mean);
  for (let i = 0; i < m; i++) {
    let s = 0;
    const row = i * m;
    for (let j = 0; j <= i; j++) s += L[row + j]! * z[j]!;
    f[i]! += s;
  }
  return f;
}

/**
 * Thompson sampling on a candidate set: one joint posterior draw and the candidates ordered by it,
 * largest first (the first is the argmax of the draw).
 *
 * @param X m×d, row-major.
 * @returns `order` (row indices, best first) and the `sample` itself.
 * @throws NumericalError as {@link samplePosteriorJointly}.
 */
export function thompsonOrder(
  model: JointPosteriorSource,
  X: Float64Array,
  m: number,
  rng: Rng,
): { order: number[]; sample: Float64Array } {
  const sample = samplePosteriorJointly(model, X, m, rng);
  const order = Array.from({ length: m }, (_, i) => i);
  // Ties (equal draws) keep the candidate order, so the result is deterministic for a seed.
  order.sort((a, b) => sample[b]! - sample[a]! || a - b);
  return { order, sample };
}
