import { isModelFailure } from "../../generation/bo/metric-models.js";
import { type LeaveOneOutPredictions, leaveOneOut } from "../../numerics/gp/index.js";
import { spearmanCorrelation } from "../../numerics/stats/index.js";
import type { FittedMetric } from "./model-views.js";

/** z of a two-sided 95% normal interval. */
const Z95 = 1.959963984540054;

/** One observation and its leave-one-out prediction, in the metric's own units. */
export interface CrossValidationPoint {
  readonly trialIndex: number;
  readonly armName: string;
  /** The value the model was fitted to (the observed mean, unless the outlier guard clipped it). */
  readonly observed: number;
  /** Predicted mean from all the other observations. */
  readonly predicted: number;
  /** Bounds of the 95% predictive interval of the observation (model uncertainty and noise). */
  readonly lower: number;
  readonly upper: number;
}

/** How far to trust a metric's model, from leave-one-out cross-validation. */
export interface CrossValidation {
  readonly metricName: string;
  readonly points: readonly CrossValidationPoint[];
  /**
   * Spearman's rank correlation of predicted and observed values: 1 when the model orders the trials
   * exactly as they came out; null when it is undefined (all observed or all predicted values equal).
   */
  readonly rankCorrelation: number | null;
  /** Share of observations inside their 95% predictive interval (about 0.95 for a calibrated model). */
  readonly coverage95: number;
  /** `"good"` (rank correlation ≥ 0.7), `"fair"` (≥ 0.4) or `"poor"` (below, or undefined). */
  readonly verdict: "good" | "fair" | "poor";
  /** The verdict in plain words, one sentence. */
  readonly reading: string;
  /** Observations of the metric; `points` covers a random subset of them when the model was capped. */
  readonly totalObservations: number;
}

/**
 * Closed-form leave-one-out cross-validation of a fitted metric model (fixed hyperparameters: each
 * observation predicted by the model conditioned on all the others), with its verdict; null when the
 * covariance cannot be factored or a prediction is not finite.
 */
export function crossValidateModel(fitted: FittedMetric): CrossValidation | null {
  const { model, dataset } = fitted;
  let loo: LeaveOneOutPredictions;
  try {
    loo = leaveOneOut({
      ...dataset,
      hyperparameters: model.hyperparameters,
      outcomeTransform: model.outcomeTransform,
      kernel: model.kernel,
    });
  } catch (error) {
    if (isModelFailure(error)) return null;
    throw error;
  }
  if (!loo.mean.every(Number.isFinite) || !loo.variance.every(Number.isFinite)) return null;
  const points = dataset.keys.map((key, i): CrossValidationPoint => {
    const half = Z95 * Math.sqrt(loo.variance[i]!);
    const split = key.indexOf(":");
    return {
      trialIndex: Number(key.slice(0, split)),
      armName: key.slice(split + 1),
      observed: dataset.Y[i]!,
      predicted: loo.mean[i]!,
      lower: loo.mean[i]! - half,
      upper: loo.mean[i]! + half,
    };
  });
  const rho = spearmanCorrelation(dataset.Y, loo.mean);
  const rankCorrelation = Number.isFinite(rho) ? rho : null;
  const coverage95 =
    points.filter((p) => p.observed >= p.lower && p.observed <= p.upper).length / points.length;
  const verdict =
    rankCorrelation === null || rankCorrelation < 0.4 ? "poor" : rankCorrelation < 0.7 ? "fair" : "good";
  return {
    metricName: fitted.metricName,
    points,
    rankCorrelation,
    coverage95,
    verdict,
    reading: readingOf(verdict, coverage95),
    totalObservations: fitted.totalObservations,
  };
}

function readingOf(verdict: CrossValidation["verdict"], coverage95: number): string {
  const ranks = {
    good: "The model ranks trials well: believe its suggestions.",
    fair: "The model ranks trials only roughly: take its suggestions as hints, not verdicts, yet.",
    poor: "The model ranks trials poorly: don't believe its suggestions yet (more trials usually help).",
  }[verdict];
  if (coverage95 < 0.8)
    return `${ranks} Its intervals are too narrow: it is more confident than it should be.`;
  return ranks;
}
