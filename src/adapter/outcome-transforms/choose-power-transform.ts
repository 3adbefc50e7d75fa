import { quantileOfSorted } from "../../numerics/stats/index.js";
import type { MetricDataset } from "../metric-datasets.js";

/**
 * How far apart, as a ratio, the 90th and the 10th percentile of a positive loss must lie before its
 * logarithm is modeled. A loss whose bulk spans a decade or more (valleys such as Rosenbrock's or
 * Goldstein-Price's, errors and latencies) is multiplicative in nature: on its own scale the GP spends
 * its flexibility on the huge values far from the optimum. Losses whose bulk sits within one decade
 * (Ackley's plateau, most accuracies) keep the data-fitted Yeo-Johnson transform.
 */
export const LOG_SPREAD_RATIO = 10;

/** The power transform "auto" resolves to for one dataset. */
export type ResolvedPowerTransform = "yeo-johnson" | "log";

/**
 * The rule of `powerTransform: "auto"`: the logarithm when the metric is minimized (a loss), every
 * observed value and every bound on it is positive, and the observed values' 90th percentile is at
 * least {@link LOG_SPREAD_RATIO} times their 10th; Yeo-Johnson (λ fitted by maximum likelihood)
 * otherwise. Chosen on the bo-suite benchmark (docs/bayesian-optimization.md): the logarithm wins on
 * every decades-spanning valley there, Yeo-Johnson on the multimodal and negative-valued problems.
 *
 * @param bounds constraint bounds and objective thresholds of the metric, on the dataset's scale.
 */
export function choosePowerTransform(
  dataset: MetricDataset,
  bounds: readonly number[],
): ResolvedPowerTransform {
  if (dataset.sign !== -1 || dataset.n === 0) return "yeo-johnson";
  // The loss on its own scale (the dataset holds it negated).
  const losses = Float64Array.from(dataset.Y, (y) => -y).sort();
  if (!(losses[0]! > 0) || bounds.some((b) => !(-b > 0))) return "yeo-johnson";
  // Interpolated percentiles, so that with ten values the 10th is not simply the smallest one.
  const spread = quantileOfSorted(losses, 0.9) / quantileOfSorted(losses, 0.1);
  return spread >= LOG_SPREAD_RATIO ? "log" : "yeo-johnson";
}
