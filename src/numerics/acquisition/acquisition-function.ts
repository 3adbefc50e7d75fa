/** The common shape of acquisition functions and the adapter to the minimizers of `optim/`. */
import type { ObjectiveFunction } from "../optim/index.js";

/** An acquisition function of one candidate point, to be maximized. */
export interface AcquisitionFunction {
  /**
   * The acquisition value at `x` (length d), larger is better; finite wherever the surrogate is.
   * When `gradient` (length d) is given, ∂value/∂x is written into it.
   */
  evaluate(x: Float64Array, gradient?: Float64Array): number;
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
