/**
 * Analytic LogEI (Ament et al., "Unexpected Improvements to Expected Improvement for Bayesian
 * Optimization", NeurIPS 2023): log E[max(f(x) − bestF, 0)] computed in log space so it stays finite and
 * has an informative gradient where EI itself underflows.
 */
import { NumericalError } from "../../errors.js";
import { dLogH, logH } from "../stats/index.js";
import type { AcquisitionFunction } from "./acquisition-function.js";
import { addScoreGradient, RELATIVE_VARIANCE_FLOOR, standardizedScore } from "./standardized-score.js";
import type { PointPosterior, PointPosteriorWithGradient, Surrogate } from "./surrogate.js";

/** Options of {@link LogExpectedImprovement} and {@link logExpectedImprovement}. */
export interface LogExpectedImprovementOptions {
  /**
   * Typical scale of the outcome (e.g. the sd of the observed Y), default 1. The variance floor is
   * 1e-12·outcomeScale², so the guard means the same thing whatever the units.
   */
  outcomeScale?: number;
}

/**
 * LogEI from a posterior: log EI = log h(z) + log σ with z = (μ − bestF)/σ, h(z) = φ(z) + z·Φ(z).
 *
 * Maximization: for a minimization problem negate the outcome (pass −μ, −bestF and −∂μ; the variance is
 * unchanged) — or, simpler, let the model predict the negated outcome. σ² is floored at `floor`
 * (so as σ → 0 the value tends to log max(μ − bestF, ~0), the correct limit, with a finite, nonzero
 * gradient pushing μ up); z is clamped at −1e150, beyond which z² overflows. Never −Infinity or NaN for
 * finite inputs.
 *
 * @param posterior mean, variance and their gradients at x (length d).
 * @param bestF the incumbent (best observed or best posterior mean) on the outcome scale.
 * @param floor variance floor, > 0.
 * @param gradient when given (length d), receives ∂ log EI/∂x (overwritten).
 */
export function logExpectedImprovement(
  posterior: PointPosterior | PointPosteriorWithGradient,
  bestF: number,
  floor: number,
  gradient?: Float64Array,
): number {
  const z = standardizedScore(posterior, bestF, 1, floor);
  const v = Math.max(posterior.variance, floor);
  if (gradient !== undefined) {
    if (!("dMean" in posterior)) {
      throw new NumericalError("logExpectedImprovement: a gradient needs a posterior with gradients");
    }
    gradient.fill(0);
    addScoreGradient(gradient, posterior, z, 1, floor, dLogH(z), 1);
  }
  return logH(z) + 0.5 * Math.log(v);
}

/**
 * Analytic LogEI of a single-output {@link Surrogate} against a fixed incumbent `bestF`, to be maximized.
 * Use it for noiseless problems; with pending points, give it the GP conditioned on fantasies of the
 * pending points (the caller's fantasy model) so successive suggestions differ. For noisy or
 * unknown-noise problems use {@link QLogNoisyExpectedImprovement}, which needs no incumbent.
 *
 * Cost: one `predictWithGradient` plus O(d); without a gradient, the surrogate's `predictValue` when it
 * has one.
 *
 * @example
 * const acq = new LogExpectedImprovement(gp, Math.max(...Y));
 * const grad = new Float64Array(d);
 * const value = acq.evaluate(x, grad);
 */
export class LogExpectedImprovement implements AcquisitionFunction {
  /** Variance floor in use, 1e-12·outcomeScale². */
  readonly varianceFloor: number;

  /**
   * @param surrogate model of the objective (to be maximized).
   * @param bestF incumbent value on the outcome scale.
   */
  constructor(
    readonly surrogate: Surrogate,
    readonly bestF: number,
    options: LogExpectedImprovementOptions = {},
  ) {
    const scale = options.outcomeScale ?? 1;
    this.varianceFloor = RELATIVE_VARIANCE_FLOOR * scale * scale;
  }

  /** log EI at `x` (length d); writes ∂/∂x into `gradient` when given. */
  evaluate(x: Float64Array, gradient?: Float64Array): number {
    const { surrogate } = this;
    const posterior =
      gradient === undefined && surrogate.predictValue !== undefined
        ? surrogate.predictValue(x)
        : surrogate.predictWithGradient(x);
    return logExpectedImprovement(posterior, this.bestF, this.varianceFloor, gradient);
  }

  /** log EI at the m rows of X (m×d), equal to `evaluate` on each; one batched prediction when possible. */
  evaluateMany(X: Float64Array, m: number): Float64Array {
    const { surrogate } = this;
    const out = new Float64Array(m);
    if (surrogate.predictValues === undefined) {
      const d = m === 0 ? 0 : X.length / m;
      for (let i = 0; i < m; i++) out[i] = this.evaluate(X.subarray(i * d, (i + 1) * d));
      return out;
    }
    const { mean, variance } = surrogate.predictValues(X, m);
    const posterior = { mean: 0, variance: 0 };
    for (let i = 0; i < m; i++) {
      posterior.mean = mean[i]!;
      posterior.variance = variance[i]!;
      out[i] = logExpectedImprovement(posterior, this.bestF, this.varianceFloor);
    }
    return out;
  }
}
