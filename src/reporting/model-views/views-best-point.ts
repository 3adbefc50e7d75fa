import type { MetricPrediction, ModelBestPoint } from "../model-best-point.js";
import type { ModelViews } from "./model-views.js";

/** A model best point with what its models were fitted to, so a reader knows how far to trust it. */
export interface ViewsBestPoint extends ModelBestPoint {
  /** Observations the objective's model was fitted to (a random subset above the views' cap). */
  readonly fittedObservations: number;
  /** Observations of the objective in COMPLETED trials. */
  readonly totalObservations: number;
}

/**
 * The best arm of a single-objective experiment by the predictions of the views' models: the arm the
 * model views go through when the model chose it (`ModelViews.anchor()`, the same rule as
 * `modelBestPoint`), with the predicted mean and standard error of the objective and of each
 * outcome-constraint metric that has a model. Fits nothing the charts do not fit already.
 * @returns null with several objectives, or when the model cannot judge (too few observations, a
 * failed fit): use `bestPoint` then.
 */
export function viewsBestPoint(views: ModelViews): ViewsBestPoint | null {
  const config = views.experiment.optimizationConfig;
  const anchor = views.anchor();
  if (!config || config.isMultiObjective || anchor?.source !== "model") return null;
  const objective = config.objectives[0]!.metric.name;
  const fitted = views.fitted(objective);
  const observed = views
    .observations()
    .find((p) => p.trialIndex === anchor.trialIndex && p.armName === anchor.armName);
  if (!fitted || !observed) return null;
  const names = [objective, ...config.outcomeConstraints.map((c) => c.metric.name)];
  const predictions: Record<string, MetricPrediction> = {};
  for (const name of new Set(names)) {
    const p = views.predict(name, anchor.x, 1);
    if (p) predictions[name] = { mean: p.mean[0]!, sem: p.sem[0]! };
  }
  return {
    trialIndex: anchor.trialIndex,
    armName: anchor.armName,
    parameters: anchor.parameters,
    values: { ...observed.values },
    predictions,
    fittedObservations: fitted.dataset.n,
    totalObservations: fitted.totalObservations,
  };
}
