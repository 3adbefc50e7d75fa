import type { JsonObject } from "../../core/json.js";
import type { OptimizationConfig } from "../../core/optimization-config.js";
import type { relativeBoundsOf } from "../../core/relative-bounds.js";
import { OptimizationConfigError } from "../../errors.js";
import { nonDominatedIndices } from "../../numerics/pareto/index.js";
import { formatNumber, plotNumber } from "./model-chart-options.js";
import type { ModelViews } from "./model-views.js";
import { type ObservedPoint, stackPoints } from "./observed-points.js";

/** The series of a Pareto frontier chart, in legend order, with their colours and point shapes. */
export const PARETO_SERIES = [
  "Feasible observation",
  "Infeasible observation",
  "Observed Pareto frontier",
  "Model-predicted frontier",
];
export const PARETO_COLORS = ["#4c78a8", "#bab0ac", "#f58518", "#54a24b"];
export const PARETO_SHAPES = ["circle", "cross", "diamond", "square"];

/**
 * The two metrics on the axes: `metrics`, else the first two objectives. Each must be an objective or
 * the metric of an outcome constraint.
 * @throws OptimizationConfigError otherwise, or when both are the same.
 */
export function paretoAxes(
  config: OptimizationConfig,
  metrics: readonly [string, string] | undefined,
): [string, string] {
  const objectives = config.objectives.map((o) => o.metric.name);
  const allowed = [...new Set([...objectives, ...config.outcomeConstraints.map((c) => c.metric.name)])];
  const [a, b] = metrics ?? [objectives[0]!, objectives[1]!];
  if (!allowed.includes(a) || !allowed.includes(b) || a === b) {
    throw new OptimizationConfigError(
      "plotParetoFrontier: metrics must be two different objectives or outcome-constraint metrics " +
        `(of ${allowed.map((n) => JSON.stringify(n)).join(", ")}), got ${JSON.stringify(metrics)}.`,
      { metricName: allowed.includes(a) ? b : a },
    );
  }
  return [a, b];
}

/** One observation as a chart row of the given series. */
export function observationRow(p: ObservedPoint, series: string, [a, b]: [string, string]): JsonObject {
  return {
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
  };
}

/**
 * The non-dominated predicted means (in the objectives' directions) among the feasible arms whose
 * predicted means satisfy the objective thresholds on the two axes (as the observed frontier's observed
 * means do), with ± 2 SE bounds; null when a model is missing.
 */
export function predictedFrontier(
  views: ModelViews,
  feasible: readonly ObservedPoint[],
  config: OptimizationConfig,
  boundOf: ReturnType<typeof relativeBoundsOf>,
  [a, b]: [string, string],
): JsonObject[] | null {
  if (!views.encoding) return null;
  const { X, rows } = stackPoints(feasible, views.encoding.dimension);
  const pa = views.predict(a, X, rows.length);
  const pb = views.predict(b, X, rows.length);
  if (!pa || !pb) return null;
  const within = (k: number) =>
    config.objectiveThresholds.every((t) => {
      const bound = boundOf(t);
      const name = t.metric.name;
      if (bound === null || (name !== a && name !== b)) return true;
      return t.isSatisfiedBy((name === a ? pa : pb).mean[k]!, bound);
    });
  const kept = rows.map((_, k) => k).filter(within);
  const sign = (name: string) => (config.objectives.find((o) => o.metric.name === name)!.minimize ? -1 : 1);
  const [sa, sb] = [sign(a), sign(b)];
  const Y = new Float64Array(kept.length * 2);
  kept.forEach((k, j) => {
    Y[2 * j] = sa * pa.mean[k]!;
    Y[2 * j + 1] = sb * pb.mean[k]!;
  });
  return nonDominatedIndices(Y, kept.length, 2).map((j) => {
    const k = kept[j]!;
    const p = rows[k]!;
    const [ma, mb, ea, eb] = [pa.mean[k]!, pb.mean[k]!, 2 * pa.sem[k]!, 2 * pb.sem[k]!];
    const [ta, tb] = [
      `${formatNumber(ma)} ± ${formatNumber(ea)}`,
      `${formatNumber(mb)} ± ${formatNumber(eb)}`,
    ];
    return {
      a: plotNumber(ma),
      b: plotNumber(mb),
      aLow: plotNumber(ma - ea),
      aHigh: plotNumber(ma + ea),
      bLow: plotNumber(mb - eb),
      bHigh: plotNumber(mb + eb),
      series: PARETO_SERIES[3]!,
      desc: `trial ${p.trialIndex} predicted: ${a} = ${ta}, ${b} = ${tb}`,
      tip: Object.fromEntries([
        ["trial", p.trialIndex],
        ["arm", p.armName],
        [`predicted ${a}`, ta],
        [`predicted ${b}`, tb],
      ]) as JsonObject,
    };
  });
}

/** Bounds of the outcome constraints and objective thresholds on each axis metric (absolute units). */
export function boundRules(
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
    const text = `${kind}: ${name} ${c.op === "LEQ" ? "≤" : "≥"} ${formatNumber(bound)}`;
    (name === a ? out.a : out.b).push({ value: bound, desc: text, tip: { bound: text } });
  }
  return out;
}
