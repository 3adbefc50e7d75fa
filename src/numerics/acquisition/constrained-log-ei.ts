/** Feasibility-weighted LogEI for outcome constraints, and the helper choosing it or LogPF. */
import { NumericalError } from "../../errors.js";
import type { AcquisitionFunction } from "./acquisition-function.js";
import { LogExpectedImprovement } from "./log-ei.js";
import {
  addLogFeasibility,
  addLogFeasibilityRows,
  LogProbabilityOfFeasibility,
  type OutcomeConstraint,
} from "./log-probability-of-feasibility.js";
import type { Surrogate } from "./surrogate.js";

/**
 * log(EI(x)·PF(x)) = LogEI(x) + log PF(x): expected improvement over the best feasible value, weighted by
 * the probability that x satisfies every outcome constraint, in log space (both factors may underflow).
 * The objective is maximized; negate a minimized objective (and its bestFeasible) first.
 */
export class ConstrainedLogExpectedImprovement implements AcquisitionFunction {
  private readonly logEI: LogExpectedImprovement;
  private readonly constraints: readonly OutcomeConstraint[];

  /**
   * @param objective model of the objective (maximized).
   * @param constraints outcome constraints with independent models.
   * @param bestFeasible best objective value among feasible observations.
   * @param outcomeScale typical scale of the objective (variance floor 1e-12·scale²); default 1.
   */
  constructor(
    objective: Surrogate,
    constraints: readonly OutcomeConstraint[],
    bestFeasible: number,
    outcomeScale = 1,
  ) {
    this.logEI = new LogExpectedImprovement(objective, bestFeasible, { outcomeScale });
    this.constraints = constraints;
  }

  /** LogEI + log PF at `x` (length d); writes ∂/∂x into `gradient` when given. */
  evaluate(x: Float64Array, gradient?: Float64Array): number {
    let value = this.logEI.evaluate(x, gradient);
    for (const constraint of this.constraints) value += addLogFeasibility(constraint, x, gradient);
    return value;
  }

  /** LogEI + log PF at the m rows of X (m×d), equal to `evaluate` on each (same order of additions). */
  evaluateMany(X: Float64Array, m: number): Float64Array {
    const values = this.logEI.evaluateMany(X, m);
    for (const constraint of this.constraints) addLogFeasibilityRows(constraint, X, m, values);
    return values;
  }
}

/** Arguments of {@link makeConstrainedAcquisition}. */
export interface ConstrainedAcquisitionArgs {
  /** Model of the objective (maximized; negate a minimized one). */
  objective: Surrogate;
  /** Outcome constraints, each with its own model. */
  constraints: readonly OutcomeConstraint[];
  /** Best objective value among observations satisfying every constraint, or null when there is none. */
  bestFeasible: number | null;
  /** Typical scale of the objective; default 1. */
  outcomeScale?: number;
}

/**
 * The acquisition for an outcome-constrained problem: {@link ConstrainedLogExpectedImprovement} once a
 * feasible observation exists, and {@link LogProbabilityOfFeasibility} alone before (there is no
 * incumbent to improve on yet, so the search first looks for feasibility).
 *
 * @throws NumericalError when `bestFeasible` is null and there are no constraints (no incumbent at all:
 *   with no observations, use a space-filling design instead).
 */
export function makeConstrainedAcquisition(args: ConstrainedAcquisitionArgs): AcquisitionFunction {
  const { objective, constraints, bestFeasible } = args;
  if (bestFeasible !== null) {
    return new ConstrainedLogExpectedImprovement(objective, constraints, bestFeasible, args.outcomeScale);
  }
  if (constraints.length === 0) {
    throw new NumericalError(
      "makeConstrainedAcquisition: bestFeasible is null and there are no constraints; pass the best observed value",
    );
  }
  return new LogProbabilityOfFeasibility(constraints);
}
