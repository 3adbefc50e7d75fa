import type { Experiment } from "../../core/experiment.js";
import type { JsonObject } from "../../core/json.js";
import { satisfiesOutcomeConstraints } from "../../core/observed-arms.js";
import { relativeBoundsOf } from "../../core/relative-bounds.js";
import type { Chart } from "../charts/chart.js";
import { paretoFrontier } from "../pareto-frontier.js";
import { TOOLTIP_AND_DESCRIPTION, VEGA_LITE_SCHEMA } from "./model-chart-options.js";
import { ModelViews, type ModelViewsOptions } from "./model-views.js";
import { drawnNote, drawnSample } from "./observation-sample.js";
import {
  boundRules,
  observationRow,
  PARETO_COLORS,
  PARETO_SERIES,
  PARETO_SHAPES,
  paretoAxes,
  predictedFrontier,
} from "./pareto-frontier-data.js";

/** Options of {@link plotParetoFrontier}. */
export interface ParetoFrontierChartOptions extends ModelViewsOptions {
  /**
   * The metrics on the axes (x, y): two objectives (default the first two), or an objective and an
   * outcome-constraint metric (then without frontiers, to see the constraint's trade-off).
   */
  metrics?: readonly [string, string];
  /** Fitted models shared with other charts (see `ModelChartOptions.views`). */
  views?: ModelViews;
}

/**
 * Two metrics of a multi-objective experiment against each other: every observation (those violating
 * an outcome constraint as grey crosses), the observed Pareto frontier (`paretoFrontier`: feasible,
 * within the objective thresholds, Pareto-optimal in all objectives) joined by a line, the frontier of
 * the models' predicted means at the observed feasible arms with ± 2 standard errors, and the bounds of
 * outcome constraints and objective thresholds on these metrics as dashed rules.
 *
 * @returns the chart, or null when it does not apply (fewer than two objectives, no arm observed in
 * both metrics). The predicted frontier is left out when a model cannot be fitted.
 * @throws OptimizationConfigError when `options.metrics` are not two different objectives or
 * outcome-constraint metrics.
 */
export function plotParetoFrontier(
  experiment: Experiment,
  options: ParetoFrontierChartOptions = {},
): Chart | null {
  const config = experiment.optimizationConfig;
  if (!config?.isMultiObjective) return null;
  const axes = paretoAxes(config, options.metrics);
  const [a, b] = axes;
  const views = options.views ?? new ModelViews(experiment, options);
  const boundOf = relativeBoundsOf(experiment);
  const both = views.observations().filter((p) => p.values[a] !== undefined && p.values[b] !== undefined);
  if (both.length === 0) return null;
  const feasible = both.filter((p) => satisfiesOutcomeConstraints(config, p.values, boundOf));
  const feasibleSet = new Set(feasible);
  const observed = drawnSample(both).map((p) =>
    observationRow(p, PARETO_SERIES[feasibleSet.has(p) ? 0 : 1]!, axes),
  );
  const onObjectives = axes.every((m) => config.objectives.some((o) => o.metric.name === m));
  const frontierKeys = new Set(
    onObjectives ? paretoFrontier(experiment).points.map((p) => `${p.trialIndex}:${p.armName}`) : [],
  );
  const frontier = both
    .filter((p) => frontierKeys.has(`${p.trialIndex}:${p.armName}`))
    .map((p) => observationRow(p, PARETO_SERIES[2]!, axes))
    .sort((p, q) => (p.a as number) - (q.a as number));
  const predicted = onObjectives ? predictedFrontier(views, feasible, config, boundOf, axes) : null;
  const rules = boundRules(config, boundOf, axes);
  return {
    kind: "pareto-frontier",
    title: `Pareto frontier of ${a} and ${b}`,
    caption:
      paretoCaption(axes, {
        onObjectives,
        predicted: predicted !== null,
        rules: rules.a.length + rules.b.length,
      }) +
      (config.objectives.length > 2 && onObjectives
        ? " The frontier is Pareto-optimal in all objectives."
        : "") +
      drawnNote(both.length),
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      datasets: { observed: [...observed], frontier, predicted: predicted ?? [] },
      width: 420,
      height: 360,
      layer: [...pointLayers(axes, predicted !== null), ...ruleLayers(axes, rules)],
    },
  };
}

function paretoCaption(
  [a, b]: [string, string],
  shown: { onObjectives: boolean; predicted: boolean; rules: number },
): string {
  const frontier = !shown.onObjectives
    ? ""
    : shown.predicted
      ? " The line joins the observed Pareto frontier; green squares are the frontier of the models' predicted " +
        "means at the observed feasible arms, ± 2 standard errors."
      : " The line joins the observed Pareto frontier (the model-predicted one is left out: a model could not be fitted).";
  const rules =
    shown.rules > 0 ? " Dashed red rules are outcome-constraint and objective-threshold bounds." : "";
  return `Observations of ${a} and ${b}; grey crosses violate an outcome constraint.${frontier}${rules}`;
}

/** Axes of every layer: user names are titles (text), never fields. */
function axisEncodings([a, b]: [string, string]): { x: JsonObject; y: JsonObject } {
  return {
    x: { field: "a", type: "quantitative", title: a, scale: { zero: false } },
    y: { field: "b", type: "quantitative", title: b, scale: { zero: false } },
  };
}

/** Observations, frontier and predicted frontier; only point layers encode the series (one legend). */
function pointLayers(axes: [string, string], predicted: boolean): JsonObject[] {
  const { x, y } = axisEncodings(axes);
  const legend = { orient: "bottom", labelLimit: 0 };
  const series = (range: string[]) => ({
    field: "series",
    type: "nominal",
    title: null,
    scale: { domain: PARETO_SERIES, range },
    legend,
  });
  const color = series(PARETO_COLORS);
  const shape = series(PARETO_SHAPES);
  const points = (name: string, mark: JsonObject): JsonObject => ({
    data: { name },
    mark: { type: "point", filled: true, ...mark },
    encoding: { x, y, color, shape, ...TOOLTIP_AND_DESCRIPTION },
  });
  const layers: JsonObject[] = [
    points("observed", { opacity: 0.7 }),
    {
      data: { name: "frontier" },
      mark: { type: "line", color: PARETO_COLORS[2]! },
      encoding: { x, y, order: { field: "a", type: "quantitative" }, ...TOOLTIP_AND_DESCRIPTION },
    },
    points("frontier", { size: 60 }),
  ];
  if (predicted) {
    const bar = (enc: JsonObject): JsonObject => ({
      data: { name: "predicted" },
      mark: { type: "rule", color: PARETO_COLORS[3]! },
      encoding: { ...enc, ...TOOLTIP_AND_DESCRIPTION },
    });
    layers.push(
      bar({ x: { ...x, field: "aLow" }, x2: { field: "aHigh" }, y }),
      bar({ x, y: { ...y, field: "bLow" }, y2: { field: "bHigh" } }),
      points("predicted", { size: 50 }),
    );
  }
  return layers;
}

function ruleLayers(axes: [string, string], rules: { a: JsonObject[]; b: JsonObject[] }): JsonObject[] {
  const { x, y } = axisEncodings(axes);
  const rule = (values: JsonObject[], enc: JsonObject): JsonObject => ({
    data: { values },
    mark: { type: "rule", strokeDash: [6, 4], color: "#e45756" },
    encoding: { ...enc, ...TOOLTIP_AND_DESCRIPTION },
  });
  return [
    ...(rules.a.length > 0 ? [rule(rules.a, { x: { ...x, field: "value" } })] : []),
    ...(rules.b.length > 0 ? [rule(rules.b, { y: { ...y, field: "value" } })] : []),
  ];
}
