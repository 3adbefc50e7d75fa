import type { MetricDataset } from "../../adapter/metric-datasets.js";
import {
  type AcquisitionFunction,
  addLogFeasibility,
  addLogFeasibilityRows,
  LogExpectedImprovement,
  makeConstrainedAcquisition,
  type OutcomeConstraint,
  QLogNoisyExpectedImprovement,
} from "../../numerics/acquisition/index.js";
import type { GpModel } from "../../numerics/gp/index.js";

/** Which acquisition function a suggestion used. */
export type AcquisitionKind = "LogEI" | "ConstrainedLogEI" | "LogPF" | "qLogNEI";

/** A fitted constraint metric: `value op bound` must hold. */
export interface FittedConstraint {
  readonly dataset: MetricDataset;
  readonly model: GpModel;
  readonly op: "LEQ" | "GEQ";
  readonly bound: number;
}

/** Options of {@link AcquisitionBuilder}. */
export interface AcquisitionBuilderOptions {
  /** Objective data on the maximization scale, and its GP. */
  objective: MetricDataset;
  objectiveModel: GpModel;
  constraints: readonly FittedConstraint[];
  /** Seed of qLogNEI's base samples. */
  seed: number;
}

/**
 * Builds the acquisition of one sequential suggestion step from fitted models, given the pending points:
 * noiseless objective → LogEI over the best feasible observation on the GP conditioned on kriging-believer
 * fantasies of the pending points (LogPF alone while nothing feasible was observed); otherwise qLogNEI
 * with the observed points that can be the best as baseline (pruned as BoTorch does) and the pending ones
 * added to it, plus log PF of the constraints.
 */
export class AcquisitionBuilder {
  readonly kind: AcquisitionKind;
  private readonly options: AcquisitionBuilderOptions;
  private readonly outcomeConstraints: OutcomeConstraint[];
  private readonly bestFeasible: number | null;
  /** The objective GP when qLogNEI is used (the GP is itself a JointSurrogate). */
  private readonly joint: GpModel | null;

  constructor(options: AcquisitionBuilderOptions) {
    this.options = options;
    const { objective, objectiveModel, constraints } = options;
    this.outcomeConstraints = constraints.map((c) => ({
      surrogate: c.model,
      bound: c.bound,
      op: c.op,
      outcomeScale: c.model.outcomeTransform.std,
    }));
    this.bestFeasible = bestFeasibleValue(objective, constraints);
    if (objective.noiseless) {
      this.joint = null;
      if (constraints.length === 0) this.kind = "LogEI";
      else this.kind = this.bestFeasible === null ? "LogPF" : "ConstrainedLogEI";
    } else {
      this.joint = objectiveModel;
      this.kind = "qLogNEI";
    }
  }

  /** The acquisition given k pending points (k×d, row-major). */
  build(pending: Float64Array): AcquisitionFunction {
    const { objective, objectiveModel, seed } = this.options;
    const d = objective.d;
    const outcomeScale = objectiveModel.outcomeTransform.std;
    if (this.joint !== null) {
      const qnei = new QLogNoisyExpectedImprovement(this.joint, {
        baseline: objective.X,
        pending,
        dimension: d,
        seed,
        outcomeScale,
        // As BoTorch's default: only the contenders for the noisy incumbent stay in the baseline.
        pruneBaseline: true,
      });
      const constraints = this.outcomeConstraints;
      if (constraints.length === 0) return qnei;
      return {
        evaluate: (x, gradient) => {
          let value = qnei.evaluate(x, gradient);
          for (const c of constraints) value += addLogFeasibility(c, x, gradient);
          return value;
        },
        evaluateMany: (X, m) => {
          const values = qnei.evaluateMany(X, m);
          for (const c of constraints) addLogFeasibilityRows(c, X, m, values);
          return values;
        },
        screenMany: (X, m) => {
          const values = qnei.screenMany(X, m);
          for (const c of constraints) addLogFeasibilityRows(c, X, m, values);
          return values;
        },
      };
    }
    const k = pending.length / d;
    const model = k > 0 ? objectiveModel.withFantasies(pending, k) : objectiveModel;
    if (this.outcomeConstraints.length === 0) {
      return new LogExpectedImprovement(model, this.bestFeasible!, { outcomeScale });
    }
    return makeConstrainedAcquisition({
      objective: model,
      constraints: this.outcomeConstraints,
      bestFeasible: this.bestFeasible,
      outcomeScale,
    });
  }
}

/**
 * The best objective value (maximization scale) among observations whose every constraint metric was
 * observed for the same trial and arm and satisfies its bound; null when there is none.
 */
export function bestFeasibleValue(
  objective: MetricDataset,
  constraints: readonly FittedConstraint[],
): number | null {
  const lookups = constraints.map((c) => {
    const byKey = new Map(c.dataset.keys.map((key, i) => [key, c.dataset.Y[i]!] as const));
    return { c, byKey };
  });
  let best: number | null = null;
  objective.keys.forEach((key, i) => {
    const feasible = lookups.every(({ c, byKey }) => {
      const v = byKey.get(key);
      return v !== undefined && (c.op === "LEQ" ? v <= c.bound : v >= c.bound);
    });
    const y = objective.Y[i]!;
    if (feasible && (best === null || y > best)) best = y;
  });
  return best;
}
