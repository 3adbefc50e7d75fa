/**
 * Log probability of feasibility for outcome constraints modeled by independent surrogates:
 * log PF(x) = Σⱼ log P(gⱼ(x) satisfies its bound), each term log Φ of a standardized score.
 */
import { logNormalCdf, logNormalCdfDerivative } from "../stats/index.js";
import type { AcquisitionFunction } from "./acquisition-function.js";
import { addScoreGradient, RELATIVE_VARIANCE_FLOOR, standardizedScore } from "./standardized-score.js";
import type { Surrogate } from "./surrogate.js";

/** Direction of an outcome constraint: `LEQ` is g(x) ≤ bound, `GEQ` is g(x) ≥ bound (Ax's ComparisonOp). */
export const ComparisonOp = { LEQ: "LEQ", GEQ: "GEQ" } as const;
/** See {@link ComparisonOp}. */
export type ComparisonOp = (typeof ComparisonOp)[keyof typeof ComparisonOp];

/** One outcome constraint g(x) ≤ bound or g(x) ≥ bound, with g modeled by its own surrogate. */
export interface OutcomeConstraint {
  /** Model of the constrained outcome g (independent of the other outcomes). */
  surrogate: Surrogate;
  /** The bound, on g's scale. */
  bound: number;
  /** `LEQ` (g ≤ bound) or `GEQ` (g ≥ bound). */
  op: ComparisonOp;
  /** Typical scale of g (sets the variance floor 1e-12·outcomeScale²); default 1. */
  outcomeScale?: number;
}

/**
 * Adds log P(constraint satisfied at x) = log Φ(z), z = (bound − μ)/σ for LEQ, (μ − bound)/σ for GEQ, to
 * the running sum, and its gradient into `gradient` when given (accumulated, not overwritten).
 * Finite for every finite posterior (about −z²/2 far in the infeasible tail).
 */
export function addLogFeasibility(
  constraint: OutcomeConstraint,
  x: Float64Array,
  gradient?: Float64Array,
): number {
  const scale = constraint.outcomeScale ?? 1;
  const floor = RELATIVE_VARIANCE_FLOOR * scale * scale;
  const sign = constraint.op === ComparisonOp.LEQ ? -1 : 1;
  const { surrogate } = constraint;
  if (gradient === undefined) {
    const value = surrogate.predictValue?.(x) ?? surrogate.predictWithGradient(x);
    return logNormalCdf(standardizedScore(value, constraint.bound, sign, floor));
  }
  const posterior = surrogate.predictWithGradient(x);
  const z = standardizedScore(posterior, constraint.bound, sign, floor);
  addScoreGradient(gradient, posterior, z, sign, floor, logNormalCdfDerivative(z), 0);
  return logNormalCdf(z);
}

/**
 * Adds log P(constraint satisfied) at each of the m rows of X (m×d) to `sums` (length m), each term equal
 * to {@link addLogFeasibility} without a gradient; one batched prediction when the surrogate has it.
 */
export function addLogFeasibilityRows(
  constraint: OutcomeConstraint,
  X: Float64Array,
  m: number,
  sums: Float64Array,
): void {
  const { surrogate } = constraint;
  if (surrogate.predictValues === undefined) {
    const d = m === 0 ? 0 : X.length / m;
    for (let i = 0; i < m; i++)
      sums[i] = sums[i]! + addLogFeasibility(constraint, X.subarray(i * d, (i + 1) * d));
    return;
  }
  const scale = constraint.outcomeScale ?? 1;
  const floor = RELATIVE_VARIANCE_FLOOR * scale * scale;
  const sign = constraint.op === ComparisonOp.LEQ ? -1 : 1;
  const { mean, variance } = surrogate.predictValues(X, m);
  const posterior = { mean: 0, variance: 0 };
  for (let i = 0; i < m; i++) {
    posterior.mean = mean[i]!;
    posterior.variance = variance[i]!;
    sums[i] = sums[i]! + logNormalCdf(standardizedScore(posterior, constraint.bound, sign, floor));
  }
}

/**
 * log PF(x) = Σⱼ log Φ(zⱼ(x)) for independent outcome constraints, to be maximized. Used alone while no
 * feasible observation exists (it then steers towards the feasible region), and as the feasibility
 * weight of {@link ConstrainedLogExpectedImprovement}. exp(value) is the probability in [0, 1].
 *
 * Cost: one `predictWithGradient` per constraint plus O(d) each.
 */
export class LogProbabilityOfFeasibility implements AcquisitionFunction {
  /** @param constraints the outcome constraints; none gives log PF ≡ 0. */
  constructor(readonly constraints: readonly OutcomeConstraint[]) {}

  /** log PF at `x` (length d); writes ∂/∂x into `gradient` when given. */
  evaluate(x: Float64Array, gradient?: Float64Array): number {
    gradient?.fill(0);
    let sum = 0;
    for (const constraint of this.constraints) sum += addLogFeasibility(constraint, x, gradient);
    return sum;
  }

  /** log PF at the m rows of X (m×d), equal to `evaluate` on each. */
  evaluateMany(X: Float64Array, m: number): Float64Array {
    const sums = new Float64Array(m);
    for (const constraint of this.constraints) addLogFeasibilityRows(constraint, X, m, sums);
    return sums;
  }
}
