import type { Parameterization } from "../../core/parameter-type.js";
import { bestPoint } from "../best-point.js";
import { judgedMetrics } from "../model-best-point.js";
import { paretoFrontier } from "../pareto-frontier.js";
import type { ModelViews } from "./model-views.js";
import { type ObservedPoint, stackPoints } from "./observed-points.js";

/** The arm slices and contours go through: the best point, by the model when it can judge. */
export interface ModelAnchor {
  readonly trialIndex: number;
  readonly armName: string;
  readonly parameters: Parameterization;
  /** The arm in the unit cube. */
  readonly x: Float64Array;
  /**
   * How it was chosen: `"model"` (best predicted objective among observed arms, as `modelBestPoint`),
   * `"observed"` (`bestPoint`, or the first point of the observed Pareto frontier with several
   * objectives), or `"latest"` (no feasible arm: the best observed objective value, feasible or not).
   */
  readonly source: "model" | "observed" | "latest";
}

/**
 * The best point of the experiment for the model views. Single objective: the observed arm with the
 * best predicted objective mean whose predicted constraint means satisfy their bounds (what
 * `modelBestPoint` finds, here from the views' own fits); `bestPoint` when a model cannot judge. Several
 * objectives: the observed Pareto-optimal arm best in the first objective. Without any feasible arm,
 * the arm with the best observed first objective. Arms that no longer fit the search space are skipped.
 */
export function modelAnchor(views: ModelViews): ModelAnchor | null {
  const config = views.experiment.optimizationConfig;
  const points = views.observations().filter((p) => p.x !== null);
  if (!config || points.length === 0) return null;
  const objective = config.objectives[0]!;
  const name = objective.metric.name;
  if (!config.isMultiObjective) {
    const byModel = predictedBest(views, points);
    if (byModel) return toAnchor(byModel, "model");
    const best = bestPoint(views.experiment);
    const found = best && points.find((p) => p.trialIndex === best.trialIndex && p.armName === best.armName);
    if (found) return toAnchor(found, "observed");
  } else {
    const first = paretoFrontier(views.experiment).points[0];
    const found =
      first && points.find((p) => p.trialIndex === first.trialIndex && p.armName === first.armName);
    if (found) return toAnchor(found, "observed");
  }
  const sign = objective.minimize ? -1 : 1;
  let best: ObservedPoint | null = null;
  for (const p of points) {
    const v = p.values[name];
    if (v !== undefined && (best === null || sign * v > sign * best.values[name]!)) best = p;
  }
  return best && toAnchor(best, "latest");
}

/** The single objective's best arm by predicted means, or null when a model cannot judge. */
function predictedBest(views: ModelViews, points: readonly ObservedPoint[]): ObservedPoint | null {
  const config = views.experiment.optimizationConfig!;
  const objective = config.objectives[0]!;
  const { constraints, names } = judgedMetrics(views.experiment, config, objective);
  const candidates = points.filter((p) => p.values[objective.metric.name] !== undefined);
  const { X, rows } = stackPoints(candidates, views.encoding!.dimension);
  const means = new Map<string, Float64Array>();
  for (const metric of names) {
    const fitted = views.fitted(metric);
    if (!fitted) return null;
    const mean = fitted.model.predictMeansAndVarianceBounds(X, rows.length).mean;
    // Constraint bounds are in the metric's own units; the means go back there (the mean map alone,
    // the identity with the default transforms).
    const zero = new Float64Array(mean.length);
    means.set(metric, fitted.transforms.untransformPredictions(mean, zero).mean);
  }
  const sign = objective.minimize ? -1 : 1;
  let best = -1;
  rows.forEach((_, k) => {
    const feasible = constraints.every(({ constraint, bound }) =>
      constraint.isSatisfiedBy(means.get(constraint.metric.name)![k]!, bound),
    );
    const score = sign * means.get(objective.metric.name)![k]!;
    if (feasible && (best < 0 || score > sign * means.get(objective.metric.name)![best]!)) best = k;
  });
  return best < 0 ? null : rows[best]!;
}

function toAnchor(p: ObservedPoint, source: ModelAnchor["source"]): ModelAnchor {
  return { trialIndex: p.trialIndex, armName: p.armName, parameters: p.parameters, x: p.x!, source };
}
