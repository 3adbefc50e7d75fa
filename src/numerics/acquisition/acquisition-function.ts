/** The common shape of acquisition functions and the adapter to the minimizers of `optim/`. */
import type { ObjectiveFunction } from "../optim/index.js";

/** An acquisition function of one candidate point, to be maximized. */
export interface AcquisitionFunction {
  /**
   * The acquisition value at `x` (length d), larger is better; finite wherever the surrogate is.
   * When `gradient` (length d) is given, ∂value/∂x is written into it.
   */
  evaluate(x: Float64Array, gradient?: Float64Array): number;
  /**
   * Optional: the values at the m rows of X (m×d, row-major), each equal to `evaluate(row)` without a
   * gradient, computed together (a GP then blocks its triangular solves over the points).
   */
  evaluateMany?(X: Float64Array, m: number): Float64Array;
  /**
   * Optional: cheaper estimates of the values at the m rows of X, good enough to rank many points (the
   * raw samples that pick the starts of a local optimization) but not equal to `evaluate`; Monte Carlo
   * acquisitions use fewer samples here.
   */
  screenMany?(X: Float64Array, m: number): Float64Array;
}

/**
 * The acquisition's values at the m rows of X (m×d): its `evaluateMany` when it has one, else one
 * `evaluate` per row (on a copy of the row).
 */
export function evaluateRows(acquisition: AcquisitionFunction, X: Float64Array, m: number): Float64Array {
  if (acquisition.evaluateMany !== undefined) return acquisition.evaluateMany(X, m);
  const d = m === 0 ? 0 : X.length / m;
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) out[i] = acquisition.evaluate(X.slice(i * d, (i + 1) * d));
  return out;
}

/**
 * Values to rank the m rows of X (m×d) by: the acquisition's `screenMany` when it has one, else
 * {@link evaluateRows}.
 */
export function screenRows(acquisition: AcquisitionFunction, X: Float64Array, m: number): Float64Array {
  return acquisition.screenMany?.(X, m) ?? evaluateRows(acquisition, X, m);
}

/**
 * The negated acquisition as an {@link ObjectiveFunction} for `minimizeBounded` / `multiStartMinimize`,
 * which minimize: f(x) = −a(x), ∇f = −∇a.
 */
export function toMinimizationObjective(acquisition: AcquisitionFunction): ObjectiveFunction {
  return (x, grad) => {
    const value = acquisition.evaluate(x, grad);
    for (let k = 0; k < grad.length; k++) grad[k] = -grad[k]!;
    return -value;
  };
}
