/**
 * The average of log-scale acquisitions, one per model of an ensemble (e.g. one GP per posterior draw of
 * its hyperparameters), taken on the log scale: log((1/k) Σᵢ exp(vᵢ)). This is the acquisition of the
 * fully Bayesian model (the expected improvement averaged over the hyperparameter posterior), as BoTorch
 * reduces log acquisitions over its sample dimension with log-mean-exp.
 */
import { NumericalError } from "../../errors.js";
import { logsumexp } from "../stats/index.js";
import type { AcquisitionFunction } from "./acquisition-function.js";

/**
 * log((1/k) Σᵢ exp(vᵢ)) of k member acquisitions vᵢ, all on the log scale (LogEI, constrained LogEI,
 * qLogNEI), with gradient Σᵢ softmax(v)ᵢ ∇vᵢ. A member at −Infinity (no improvement possible under its
 * model) has weight 0; all members at −Infinity give −Infinity (gradient 0). `evaluateMany` and
 * `screenMany` exist when every member has them, and reduce the members' rows the same way.
 *
 * @example
 * const acquisition = new EnsembleAcquisition(models.map((m) => new LogExpectedImprovement(m, bestF)));
 */
export class EnsembleAcquisition implements AcquisitionFunction {
  readonly evaluateMany?: (X: Float64Array, m: number) => Float64Array;
  readonly screenMany?: (X: Float64Array, m: number) => Float64Array;
  private readonly values: Float64Array;
  private readonly memberGradient: Float64Array[] = [];
  private readonly logK: number;

  /** @throws NumericalError when `members` is empty. */
  constructor(readonly members: readonly AcquisitionFunction[]) {
    if (members.length === 0) {
      throw new NumericalError("EnsembleAcquisition: needs at least one member acquisition.");
    }
    this.values = new Float64Array(members.length);
    this.logK = Math.log(members.length);
    if (members.every((a) => a.evaluateMany !== undefined)) {
      this.evaluateMany = (X, m) =>
        this.reduceRows(
          members.map((a) => a.evaluateMany!(X, m)),
          m,
        );
    }
    if (members.every((a) => a.screenMany !== undefined)) {
      this.screenMany = (X, m) =>
        this.reduceRows(
          members.map((a) => a.screenMany!(X, m)),
          m,
        );
    }
  }

  evaluate(x: Float64Array, gradient?: Float64Array): number {
    const { members, values } = this;
    const k = members.length;
    if (gradient === undefined) {
      for (let i = 0; i < k; i++) values[i] = members[i]!.evaluate(x);
      return logsumexp(values, k) - this.logK;
    }
    const d = x.length;
    for (let i = 0; i < k; i++) {
      if (this.memberGradient[i]?.length !== d) this.memberGradient[i] = new Float64Array(d);
      values[i] = members[i]!.evaluate(x, this.memberGradient[i]);
    }
    const value = logsumexp(values, k) - this.logK;
    gradient.fill(0);
    if (!Number.isFinite(value)) return value;
    for (let i = 0; i < k; i++) {
      // softmax(v)ᵢ = exp(vᵢ − log Σ exp(v)); a member at −Infinity has weight 0 and is skipped, so a
      // gradient it left undefined (NaN) cannot reach the sum.
      const weight = Math.exp(values[i]! - value - this.logK);
      if (weight === 0) continue;
      const g = this.memberGradient[i]!;
      for (let j = 0; j < d; j++) gradient[j]! += weight * g[j]!;
    }
    return value;
  }

  /** Row-wise log-mean-exp of the members' value arrays (k arrays of length m). */
  private reduceRows(rows: Float64Array[], m: number): Float64Array {
    const k = rows.length;
    const column = this.values;
    const out = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      for (let i = 0; i < k; i++) column[i] = rows[i]![r]!;
      out[r] = logsumexp(column, k) - this.logK;
    }
    return out;
  }
}
