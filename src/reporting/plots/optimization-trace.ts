import type { Experiment } from "../../core/experiment.js";
import type { JsonObject } from "../../core/json.js";
import type { Chart } from "../charts/chart.js";
import { type HypervolumeTrace, hypervolumeTrace } from "./hypervolume-trace.js";
import { armTooltip, formatNumber } from "./plot-spec.js";
import { objectiveTrace, type TraceAxis } from "./trace-data.js";
import { markerRows, traceSpec } from "./trace-spec.js";

/** Options of {@link plotOptimizationTrace}. */
export interface OptimizationTraceOptions {
  /** Horizontal axis: trial index (default), or wall-clock seconds from the first trial's start to completion. */
  by?: TraceAxis;
  /**
   * The objective to trace. Default: the single objective; for several objectives, the hypervolume of
   * the observed Pareto front. Naming one objective of several traces that objective alone.
   */
  metric?: string;
}

/** Chart kinds of {@link plotOptimizationTrace}, by horizontal axis. */
export const OPTIMIZATION_TRACE_KINDS = {
  trial: "optimization-trace",
  time: "optimization-trace-by-time",
} as const;

/**
 * The optimization trace: every observation of the objective (one point per arm of each COMPLETED
 * trial; infeasible ones drawn as grey crosses), the best feasible value so far as a step line
 * (minimize or maximize, outcome constraints as `bestPoint` judges them), and FAILED, ABANDONED and
 * EARLY_STOPPED trials as marks on the horizontal axis. With several objectives and no `metric`, the
 * trace of the observed hypervolume (Ax's default for multi-objective problems), with its reference
 * point stated in the caption.
 * @throws OptimizationConfigError when the experiment has no optimization config, or `metric` is not
 * one of its objectives.
 * @example
 * const chart = plotOptimizationTrace(experiment, { by: "time" });
 * await writeFile("trace.svg", await renderChartSvg(chart));
 */
export function plotOptimizationTrace(experiment: Experiment, options: OptimizationTraceOptions = {}): Chart {
  const by = options.by ?? "trial";
  const config = experiment.requireOptimizationConfig();
  if (config.isMultiObjective && options.metric === undefined) return hypervolumeChart(experiment, by);
  return objectiveChart(experiment, by, options.metric);
}

function objectiveChart(experiment: Experiment, by: TraceAxis, metric: string | undefined): Chart {
  const trace = objectiveTrace(experiment, by, metric);
  const name = trace.metricName;
  const points = trace.observations.map((o) => {
    const status = o.feasible ? "feasible" : "infeasible (violates an outcome constraint)";
    return {
      x: o.x,
      value: o.value,
      series: o.feasible ? "Feasible observation" : "Infeasible observation",
      tip: armTooltip(
        { trial: o.trialIndex, arm: o.armName, [`${name} (observed)`]: o.value, status },
        o.parameters,
      ),
      desc: `Trial ${o.trialIndex} arm ${o.armName}: ${name} = ${formatNumber(o.value)}, ${status}`,
    };
  });
  const line = trace.best.map((s) => ({ x: s.x, value: s.best, series: "Best feasible so far" }));
  const direction = trace.minimize ? "lowest" : "highest";
  const title = `Optimization trace of ${name}${by === "time" ? " over time" : ""}`;
  return {
    kind: OPTIMIZATION_TRACE_KINDS[by],
    title,
    caption:
      `Each point is one arm of a COMPLETED trial; grey crosses violate an outcome constraint and never count ` +
      `as best. The step line is the ${direction} feasible ${name} so far (${trace.minimize ? "minimized" : "maximized"}). ` +
      "Marks on the horizontal axis are trials that FAILED, were ABANDONED or EARLY_STOPPED.",
    spec: traceSpec(title, by, name, { points, line, markers: markerRows(trace.markers) }),
  };
}

function hypervolumeChart(experiment: Experiment, by: TraceAxis): Chart {
  const trace = hypervolumeTrace(experiment, by);
  const names = trace.objectives.map((o) => `${o.minimize ? "minimize" : "maximize"} ${o.metricName}`);
  const line: JsonObject[] = trace.steps.map((s) => ({
    x: s.x,
    value: s.hypervolume,
    series: "Hypervolume so far",
  }));
  const points: JsonObject[] = trace.steps.map((s) => ({
    x: s.x,
    value: s.hypervolume,
    series: "Hypervolume so far",
    tip: { trial: s.trialIndex, hypervolume: s.hypervolume, "feasible arms so far": s.feasibleArms },
    desc: `After trial ${s.trialIndex}: hypervolume ${formatNumber(s.hypervolume)}`,
  }));
  const reference = referenceSentence(trace);
  const title = `Hypervolume trace (${names.join(", ")})${by === "time" ? " over time" : ""}`;
  return {
    kind: OPTIMIZATION_TRACE_KINDS[by],
    title,
    caption:
      "The hypervolume of the feasible observed Pareto front after each COMPLETED trial: the volume of " +
      `outcome space it dominates; it only grows. ${reference} Marks on the horizontal axis are trials ` +
      "that FAILED, were ABANDONED or EARLY_STOPPED.",
    spec: traceSpec(title, by, "Hypervolume", { points, line, markers: markerRows(trace.markers) }),
  };
}

/** Which reference point the hypervolume is measured from, and where each coordinate came from. */
function referenceSentence(trace: HypervolumeTrace): string {
  const point = trace.referencePoint;
  if (point === null) return "No arm is feasible yet, so there is no reference point and no hypervolume.";
  const values = trace.objectives.map((o) => `${o.metricName} = ${formatNumber(point[o.metricName]!)}`);
  const inferred = trace.inferredObjectives;
  const thresholds = trace.objectives.length - inferred.length;
  const source =
    inferred.length === 0
      ? "the objective thresholds"
      : `${inferred.length === trace.objectives.length ? "all" : inferred.join(", ")} inferred from the final ` +
        "observed front as Ax does: its worst value, 10% of its range further out" +
        (thresholds > 0 ? "; the others are the objective thresholds" : "");
  return `Reference point: ${values.join(", ")} (${source}), held fixed over the whole trace.`;
}
