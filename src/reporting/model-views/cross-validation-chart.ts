import type { Experiment } from "../../core/experiment.js";
import type { JsonObject } from "../../core/json.js";
import type { Chart } from "../charts/chart.js";
import type { CrossValidation, CrossValidationPoint } from "./cross-validation.js";
import {
  chartContext,
  formatNumber,
  type ModelChartOptions,
  plotNumber,
  TOOLTIP_AND_DESCRIPTION,
  VEGA_LITE_SCHEMA,
} from "./model-chart-options.js";

/** Options of {@link crossValidate} and {@link plotCrossValidation}. */
export type CrossValidationOptions = ModelChartOptions;

/**
 * Leave-one-out cross-validation of the model of a metric, as the generator fits it: each observation
 * predicted by the model conditioned on all the others (same hyperparameters, closed form), with the
 * rank correlation of predictions and observations, the share of observations inside their 95%
 * interval, and a verdict in plain words. When the model is capped (more than `maxObservations`
 * observations), the observations it was fitted to are cross-validated.
 *
 * @returns null when there is no model (fewer than 3 observations, nothing searched, a failed fit).
 * @throws ExperimentError when `options.metric` is not a metric of the experiment.
 * @example
 * const cv = crossValidate(experiment);
 * if (cv) console.log(cv.rankCorrelation, cv.coverage95, cv.reading);
 */
export function crossValidate(
  experiment: Experiment,
  options: CrossValidationOptions = {},
): CrossValidation | null {
  const context = chartContext(experiment, options);
  return context === null ? null : context.views.crossValidation(context.metric);
}

/** One line: "Rank correlation 0.93; 95% of observations inside their 95% interval." */
export function crossValidationSummary(cv: CrossValidation): string {
  const rho = cv.rankCorrelation === null ? "undefined (constant values)" : cv.rankCorrelation.toFixed(2);
  return `Rank correlation (Spearman) ${rho}; ${Math.round(100 * cv.coverage95)}% of observations inside their 95% interval.`;
}

/**
 * Ax's cross-validation plot: each observation (x) against its leave-one-out prediction (y) with the
 * 95% predictive interval (model uncertainty plus observation noise), and the line y = x where a
 * perfect model's predictions lie. The caption carries the verdict (see {@link crossValidate}).
 *
 * @returns the chart, or null when there is no model.
 * @throws ExperimentError when `options.metric` is not a metric of the experiment.
 */
export function plotCrossValidation(
  experiment: Experiment,
  options: CrossValidationOptions = {},
): Chart | null {
  const cv = crossValidate(experiment, options);
  if (!cv) return null;
  const metric = cv.metricName;
  const capped =
    cv.points.length < cv.totalObservations
      ? ` The model was fitted to a random ${cv.points.length} of the ${cv.totalObservations} observations; those are cross-validated.`
      : "";
  return {
    kind: "cross-validation",
    title: `Cross-validation of the model of ${metric}`,
    caption:
      `Each observation of ${metric} against the model's prediction of it from all the other observations ` +
      "(leave-one-out, same hyperparameters), with its 95% predictive interval; on the dashed line the prediction " +
      `equals the observation. ${crossValidationSummary(cv)} ${cv.reading}${capped}`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      datasets: { points: cv.points.map(pointRow) },
      width: 360,
      height: 360,
      layer: layers(cv),
    },
  };
}

function pointRow(p: CrossValidationPoint): JsonObject {
  const interval = `${formatNumber(p.lower)} to ${formatNumber(p.upper)}`;
  return {
    observed: plotNumber(p.observed),
    predicted: plotNumber(p.predicted),
    lower: plotNumber(p.lower),
    upper: plotNumber(p.upper),
    desc: `trial ${p.trialIndex}: observed ${formatNumber(p.observed)}, predicted ${formatNumber(p.predicted)} (${interval})`,
    tip: {
      trial: p.trialIndex,
      arm: p.armName,
      observed: formatNumber(p.observed),
      predicted: formatNumber(p.predicted),
      "95% interval": interval,
    },
  };
}

/** The y = x line over the data's range, the intervals, and the predictions. */
function layers(cv: CrossValidation): JsonObject[] {
  const lo = Math.min(...cv.points.map((p) => Math.min(p.observed, p.lower)));
  const hi = Math.max(...cv.points.map((p) => Math.max(p.observed, p.upper)));
  const axis = (field: string, title: string) => ({
    field,
    type: "quantitative",
    title,
    scale: { zero: false },
  });
  const xTitle = `Observed ${cv.metricName}`;
  const yTitle = `Predicted ${cv.metricName} (leave-one-out)`;
  return [
    {
      data: { values: [lo, hi].map((v) => ({ v: plotNumber(v), desc: "y = x" })) },
      mark: { type: "line", strokeDash: [4, 4], color: "#888888" },
      encoding: {
        x: axis("v", xTitle),
        y: axis("v", yTitle),
        description: { field: "desc", type: "nominal" },
      },
    },
    {
      data: { name: "points" },
      mark: { type: "rule", color: "#9ecae9" },
      encoding: {
        x: axis("observed", xTitle),
        y: axis("lower", yTitle),
        y2: { field: "upper" },
        ...TOOLTIP_AND_DESCRIPTION,
      },
    },
    {
      data: { name: "points" },
      mark: { type: "point", filled: true, color: "#4c78a8", size: 24 },
      encoding: { x: axis("observed", xTitle), y: axis("predicted", yTitle), ...TOOLTIP_AND_DESCRIPTION },
    },
  ];
}
