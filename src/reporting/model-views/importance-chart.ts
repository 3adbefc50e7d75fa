import type { Experiment } from "../../core/experiment.js";
import type { Chart } from "../charts/chart.js";
import {
  chartContext,
  fittedOnText,
  formatNumber,
  type ModelChartOptions,
  TOOLTIP_AND_DESCRIPTION,
  VEGA_LITE_SCHEMA,
} from "./model-chart-options.js";

/** Options of {@link plotParameterImportance}. */
export type ParameterImportanceOptions = ModelChartOptions;

const SERIES = ["Total", "First order"];
const COLORS = ["#4c78a8", "#9ecae9"];

/**
 * How much each parameter moves a metric, by the model: the total and first-order Sobol indices of the
 * GP posterior mean over the search space (a global sensitivity analysis of the model's mean, as Ax's),
 * one pair of bars per parameter, most important first. Choice parameters are varied over their values
 * as the model encodes them.
 *
 * @returns the chart, or null when there is no model (see `plotSlices`) or the predicted mean is
 * constant (no variance to share out).
 * @throws ExperimentError when `options.metric` is not a metric of the experiment.
 */
export function plotParameterImportance(
  experiment: Experiment,
  options: ParameterImportanceOptions = {},
): Chart | null {
  const context = chartContext(experiment, options);
  if (!context) return null;
  const { views, metric } = context;
  const fitted = views.fitted(metric);
  const importance = views.importance(metric);
  if (!fitted || !importance || importance.every((i) => i.total === 0)) return null;
  const rows = importance.flatMap(({ parameter, first, total }, rank) =>
    [total, first].map((value, k) => ({
      parameter,
      series: SERIES[k]!,
      value,
      rank,
      desc: `${parameter}: ${SERIES[k]!.toLowerCase()} index ${formatNumber(value)}`,
      tip: Object.fromEntries([
        ["parameter", parameter],
        [`${SERIES[k]!.toLowerCase()} index`, formatNumber(value)],
      ]),
    })),
  );
  return {
    kind: "parameter-importance",
    title: `Parameter importance for ${metric}`,
    caption:
      `A parameter's importance is its total Sobol index of the GP's predicted mean of ${metric} over the whole ` +
      "search space: the share of the mean's variance that involves the parameter (interactions included); the " +
      `first-order index is the share it explains alone. The model was fitted to ${fittedOnText(fitted)}.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      width: 420,
      height: { step: 14 },
      data: { values: rows },
      mark: { type: "bar" },
      encoding: {
        y: {
          field: "parameter",
          type: "nominal",
          title: null,
          sort: { field: "rank", op: "min", order: "ascending" },
        },
        yOffset: { field: "series", type: "nominal", sort: SERIES },
        x: { field: "value", type: "quantitative", title: "Sobol index", scale: { domain: [0, 1] } },
        color: {
          field: "series",
          type: "nominal",
          title: null,
          scale: { domain: SERIES, range: COLORS },
          legend: { orient: "bottom" },
        },
        ...TOOLTIP_AND_DESCRIPTION,
      },
    },
  };
}
