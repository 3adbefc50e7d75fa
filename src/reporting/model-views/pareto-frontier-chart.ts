import type { Experiment } from "../../core/experiment.js";
import type { JsonObject } from "../../core/json.js";
import { satisfiesOutcomeConstraints } from "../../core/observed-arms.js";
import type { OptimizationConfig } from "../../core/optimization-config.js";
import { relativeBoundsOf } from "../../core/relative-bounds.js";
import { OptimizationConfigError } from "../../errors.js";
import { nonDominatedIndices } from "../../numerics/pareto/index.js";
import type { Chart } from "../charts/chart.js";
import { paretoFrontier } from "../pareto-frontier.js";
import {
  formatNumber,
  plotNumber,
  TOOLTIP_AND_DESCRIPTION,
  VEGA_LITE_SCHEMA,
} from "./model-chart-options.js";
import { ModelViews, type ModelViewsOptions } from "./model-views.js";
import { drawnNote, drawnSample } from "./observation-sample.js";
import { type ObservedPoint, stackPoints } from "./observed-points.js";

/** Options of {@link plotParetoFrontier}. */
export interface ParetoFrontierChartOptions extends ModelViewsOptions {
  /** The two objectives on the axes (x, y); default the first two. */
  metrics?: readonly [string, string];
  /** Fitted models shared with other charts (see `ModelChartOptions.views`). */
  views?: ModelViews;
}

const SERIES = [
  "Feasible observation",
  "Infeasible observation",
  "Observed Pareto frontier",
  "Model-predicted frontier",
];
const COLORS = ["#4c78a8", "#bab0ac", "#f58518", "#54a24b"];
const SHAPES = ["circle", "cross", "diamond", "square"];

/**
 * Two objectives of a multi-objective experiment against each other: every observation (infeasible
 * ones, violating an outcome constraint, as grey crosses), the observed Pareto frontier (`paretoFrontier`:
 * Pareto-optimal in all objectives, feasible, within the objective thresholds) as a line, the frontier of
 * the models' predicted means at the observed feasible arms with ± 2 standard errors, and the bounds of
 * outcome constraints and objective thresholds on these metrics as dashed rules.
 *
 * @returns the chart, or null when it does not apply (fewer than two objectives, no observation of both).
 * The predicted frontier is left out when a model cannot be fitted.
 * @throws OptimizationConfigError when `options.metrics` are not two different objectives.
 */
export function plotParetoFrontier(
  experiment: Experiment,
  options: ParetoFrontierChartOptions = {},
): Chart | null {
  const config = experiment.optimizationConfig;
  if (!config?.isMultiObjective) return null;
  const [a, b] = requireObjectives(config, options.metrics);
  const views = options.views ?? new ModelViews(experiment, options);
  const boundOf = relativeBoundsOf(experiment);
  const both = views.observations().filter((p) => p.values[a] !== undefined && p.values[b] !== undefined);
  if (both.length === 0) return null;
  const feasible = both.filter((p) => satisfiesOutcomeConstraints(config, p.values, boundOf));
  const frontierKeys = new Set(paretoFrontier(experiment).points.map((p) => `${p.trialIndex}:${p.armName}`));
  const point = (p: ObservedPoint, series: string) => ({
    a: plotNumber(p.values[a]!),
    b: plotNumber(p.values[b]!),
    series,
    desc: `trial ${p.trialIndex} (${series.toLowerCase()}): ${a} = ${formatNumber(p.values[a]!)}, ${b} = ${formatNumber(p.values[b]!)}`,
    tip: Object.fromEntries([
      ["trial", p.trialIndex],
      ["arm", p.armName],
      [a, p.values[a]!],
      [b, p.values[b]!],
    ]) as JsonObject,
  });
  const observed = drawnSample(both).map((p) => point(p, feasible.includes(p) ? SERIES[0]! : SERIES[1]!));
  const frontier = both
    .filter((p) => frontierKeys.has(`${p.trialIndex}:${p.armName}`))
    .map((p) => point(p, SERIES[2]!))
    .sort((p, q) => (p.a ?? 0) - (q.a ?? 0));
  const predicted = predictedFrontier(views, feasible, config, [a, b]);
  const rules = boundRules(config, boundOf, [a, b]);
  const color = {
    field: "series",
    type: "nominal",
    title: null,
    scale: { domain: SERIES, range: COLORS },
    legend: { orient: "bottom", labelLimit: 0 },
  };
  const shape = {
    field: "series",
    type: "nominal",
    title: null,
    scale: { domain: SERIES, range: SHAPES },
    legend: { orient: "bottom", labelLimit: 0 },
  };
  const x = { field: "a", type: "quantitative", title: a, scale: { zero: false } };
  const y = { field: "b", type: "quantitative", title: b, scale: { zero: false } };
  const layers: JsonObject[] = [
    {
      data: { values: observed },
      mark: { type: "point", filled: true, opacity: 0.7 },
      encoding: { x, y, color, shape, ...TOOLTIP_AND_DESCRIPTION },
    },
    // Only point layers encode the series, so one legend lists them (a line or rule would conflict).
    {
      data: { name: "frontier" },
      mark: { type: "line", color: COLORS[2]! },
      encoding: { x, y, order: { field: "a", type: "quantitative" }, ...TOOLTIP_AND_DESCRIPTION },
    },
    {
      data: { name: "frontier" },
      mark: { type: "point", filled: true, size: 60 },
      encoding: { x, y, color, shape, ...TOOLTIP_AND_DESCRIPTION },
    },
  ];
  if (predicted) {
    const values = { name: "predicted" };
    layers.push(
      {
        data: values,
        mark: { type: "rule", color: COLORS[3]! },
        encoding: {
          x: { ...x, field: "aLow" },
          x2: { field: "aHigh" },
          y,
          ...TOOLTIP_AND_DESCRIPTION,
        },
      },
      {
        data: values,
        mark: { type: "rule", color: COLORS[3]! },
        encoding: {
          x,
          y: { ...y, field: "bLow" },
          y2: { field: "bHigh" },
          ...TOOLTIP_AND_DESCRIPTION,
        },
      },
      {
        data: values,
        mark: { type: "point", filled: true, size: 50 },
        encoding: { x, y, color, shape, ...TOOLTIP_AND_DESCRIPTION },
      },
    );
  }
  for (const [axis, values] of [
    ["x", rules.a],
    ["y", rules.b],
  ] as const) {
    if (values.length === 0) continue;
    const enc: JsonObject = axis === "x" ? { x: { ...x, field: "value" } } : { y: { ...y, field: "value" } };
    layers.push({
      data: values,
      mark: { type: "rule", strokeDash: [6, 4], color: "#e45756" },
      encoding: { ...enc, ...TOOLTIP_AND_DESCRIPTION },
    });
  }
  return {
    kind: "pareto-frontier",
    title: `Pareto frontier of ${a} and ${b}`,
    caption:
      `Observations of ${a} and ${b}; grey crosses violate an outcome constraint. The line joins the observed Pareto ` +
      `frontier${config.objectives.length > 2 ? " (Pareto-optimal in all objectives)" : ""}; ` +
      (predicted
        ? "green squares are the frontier of the models' predicted means at the observed feasible arms, ± 2 standard errors. "
        : "the model-predicted frontier is left out (a model could not be fitted). ") +
      (rules.a.length + rules.b.length > 0
        ? "Dashed red rules are outcome-constraint and objective-threshold bounds."
        : "") +
      drawnNote(both.length),
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      datasets: { frontier, predicted: predicted ?? [] },
      width: 420,
      height: 360,
      layer: layers,
    },
  };
}

function requireObjectives(
  config: OptimizationConfig,
  metrics: readonly [string, string] | undefined,
): [string, string] {
  const names = config.objectives.map((o) => o.metric.name);
  const [a, b] = metrics ?? [names[0]!, names[1]!];
  if (!names.includes(a) || !names.includes(b) || a === b) {
    throw new OptimizationConfigError(
      `plotParetoFrontier: metrics must be two different objectives (of ${names.map((n) => JSON.stringify(n)).join(", ")}), got ${JSON.stringify(metrics)}.`,
      { metricName: names.includes(a) ? b : a },
    );
  }
  return [a, b];
}

/** Non-dominated predicted means at the feasible arms, with ± 2 SE bounds; null without both models. */
function predictedFrontier(
  views: ModelViews,
  feasible: readonly ObservedPoint[],
  config: OptimizationConfig,
  [a, b]: [string, string],
): JsonObject[] | null {
  if (!views.encoding || feasible.length === 0) return null;
  const { X, rows } = stackPoints(feasible, views.encoding.dimension);
  const pa = views.predict(a, X, rows.length);
  const pb = views.predict(b, X, rows.length);
  if (!pa || !pb || rows.length === 0) return null;
  const sign = (name: string) => (config.objectives.find((o) => o.metric.name === name)!.minimize ? -1 : 1);
  const [sa, sb] = [sign(a), sign(b)];
  const Y = new Float64Array(rows.length * 2);
  rows.forEach((_, k) => {
    Y[2 * k] = sa * pa.mean[k]!;
    Y[2 * k + 1] = sb * pb.mean[k]!;
  });
  return nonDominatedIndices(Y, rows.length, 2).map((k) => {
    const p = rows[k]!;
    const [ma, mb, ea, eb] = [pa.mean[k]!, pb.mean[k]!, 2 * pa.sem[k]!, 2 * pb.sem[k]!];
    return {
      a: plotNumber(ma),
      b: plotNumber(mb),
      aLow: plotNumber(ma - ea),
      aHigh: plotNumber(ma + ea),
      bLow: plotNumber(mb - eb),
      bHigh: plotNumber(mb + eb),
      series: SERIES[3]!,
      desc: `trial ${p.trialIndex} predicted: ${a} = ${formatNumber(ma)} ± ${formatNumber(ea)}, ${b} = ${formatNumber(mb)} ± ${formatNumber(eb)}`,
      tip: Object.fromEntries([
        ["trial", p.trialIndex],
        ["arm", p.armName],
        [`predicted ${a}`, `${formatNumber(ma)} ± ${formatNumber(ea)}`],
        [`predicted ${b}`, `${formatNumber(mb)} ± ${formatNumber(eb)}`],
      ]) as JsonObject,
    };
  });
}

/** Bounds of the outcome constraints and objective thresholds on each axis metric (absolute units). */
function boundRules(
  config: OptimizationConfig,
  boundOf: ReturnType<typeof relativeBoundsOf>,
  [a, b]: [string, string],
): { a: JsonObject[]; b: JsonObject[] } {
  const out = { a: [] as JsonObject[], b: [] as JsonObject[] };
  const all = [
    ...config.outcomeConstraints.map((c) => ({ c, kind: "outcome constraint" })),
    ...config.objectiveThresholds.map((c) => ({ c, kind: "objective threshold" })),
  ];
  for (const { c, kind } of all) {
    const bound = boundOf(c);
    const name = c.metric.name;
    if (bound === null || (name !== a && name !== b)) continue;
    const rule = {
      value: bound,
      desc: `${kind}: ${name} ${c.op === "LEQ" ? "≤" : "≥"} ${formatNumber(bound)}`,
      tip: { bound: `${kind}: ${formatNumber(bound)}` },
    };
    (name === a ? out.a : out.b).push(rule);
  }
  return out;
}
