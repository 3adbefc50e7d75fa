import type { Experiment } from "../../core/experiment.js";
import type { JsonObject } from "../../core/json.js";
import { OptimizationConfigError } from "../../errors.js";
import type { Chart } from "../charts/chart.js";
import { formatNumber, PLOT_HEIGHT, PLOT_WIDTH, VEGA_LITE_SCHEMA } from "./plot-spec.js";

/** Options of {@link plotLearningCurves}. */
export interface LearningCurvesOptions {
  /** The metric whose curves are drawn; default the first objective's (or the first metric with curves). */
  metric?: string;
  /** The progression to draw along; default "step" when the data has it, else the first key seen. */
  progressionKey?: string;
}

/** Points kept of one curve: a longer one is thinned evenly (first and last kept), as a line looks the same. */
const MAX_POINTS_PER_CURVE = 100;
/** Past this many points in all, the points lose their marks (and tooltips): only the lines are drawn. */
const MAX_MARKED_POINTS = 3000;

/** Colours by trial status: stopped curves stand apart from those that ran to the end. */
const STATUS_COLORS: Readonly<Record<string, string>> = {
  COMPLETED: "#4c78a8",
  EARLY_STOPPED: "#b279a2",
  RUNNING: "#f58518",
  FAILED: "#e45756",
  ABANDONED: "#9d755d",
};

/**
 * The metric whose curves `plotLearningCurves` draws by default: the first objective's when it has
 * intermediate results, else the first metric that has any; null when no data has a progression.
 */
export function learningCurvesMetric(experiment: Experiment): string | null {
  const objectives = experiment.optimizationConfig?.objectives ?? [];
  for (const o of objectives) if (experiment.progressionKeys(o.metric.name).length > 0) return o.metric.name;
  for (const m of experiment.metrics) if (experiment.progressionKeys(m.name).length > 0) return m.name;
  return null;
}

/**
 * The learning curves of a metric (Optuna's intermediate values plot): for every trial that reported
 * intermediate results, its values by progression (step, epoch, ...) as one line, coloured by the
 * trial's status, so the EARLY_STOPPED ones show where they were stopped against the ones that ran on.
 * The y axis is logarithmic when every value is positive and they span more than two decades.
 * @throws OptimizationConfigError when `metric` (or, by default, every metric) has no intermediate results.
 * @example plotLearningCurves(experiment, { metric: "loss", progressionKey: "epoch" })
 */
export function plotLearningCurves(experiment: Experiment, options: LearningCurvesOptions = {}): Chart {
  const metric = options.metric ?? learningCurvesMetric(experiment);
  const keys = metric === null ? [] : experiment.progressionKeys(metric);
  if (metric === null || keys.length === 0) {
    throw new OptimizationConfigError(
      `${metric === null ? "No metric" : `Metric "${metric}"`} of experiment "${experiment.name}" has ` +
        "intermediate results (data rows with a progression such as { step: 20 }), so there are no learning " +
        "curves to draw. Report progress with client.attachProgress, ctx.report in a FunctionRunner, or " +
        "ASCENT_PROGRESS_FILE in a command.",
      ...(metric === null ? [] : [{ metricName: metric }]),
    );
  }
  const key = options.progressionKey ?? (keys.includes("step") ? "step" : keys[0]!);
  const curves = experiment.curves(metric, { progressionKey: key });
  const rows: JsonObject[] = [];
  for (const [trialIndex, points] of curves) {
    const trial = experiment.getTrial(trialIndex);
    const status = trial.status;
    for (const p of thinned(points)) {
      rows.push({
        trial: trialIndex,
        x: p.progression,
        value: p.mean,
        status,
        tip: { trial: trialIndex, status, [key]: p.progression, [metric]: p.mean },
        desc: `Trial ${trialIndex} (${status}) at ${key} ${formatNumber(p.progression)}: ${metric} = ${formatNumber(p.mean)}`,
      });
    }
  }
  const title = `Learning curves of ${metric}`;
  return {
    kind: "learning-curves",
    title,
    caption:
      `Each line is one trial's ${metric} by ${key}, coloured by the trial's status: EARLY_STOPPED lines end ` +
      "where the trial was stopped.",
    spec: curvesSpec(title, key, metric, rows),
  };
}

/** At most {@link MAX_POINTS_PER_CURVE} points, evenly spaced in the curve's order, first and last kept. */
function thinned<T>(points: readonly T[]): readonly T[] {
  if (points.length <= MAX_POINTS_PER_CURVE) return points;
  const step = (points.length - 1) / (MAX_POINTS_PER_CURVE - 1);
  return Array.from({ length: MAX_POINTS_PER_CURVE }, (_, i) => points[Math.round(i * step)]!);
}

function curvesSpec(title: string, key: string, metric: string, rows: readonly JsonObject[]): JsonObject {
  const statuses = Object.keys(STATUS_COLORS).filter((s) => rows.some((r) => r.status === s));
  const values = rows.map((r) => r.value as number);
  const positive = values.every((v) => v > 0);
  const logScale = positive && Math.max(...values) / Math.min(...values) > 100;
  const color = {
    field: "status",
    type: "nominal",
    title: "Trial status",
    scale: { domain: statuses, range: statuses.map((s) => STATUS_COLORS[s]!) },
    legend: { orient: "bottom" },
  };
  const x = { field: "x", type: "quantitative", title: key };
  const y = {
    field: "value",
    type: "quantitative",
    title: metric,
    scale: (logScale ? { type: "log" } : { zero: false }) as JsonObject,
  };
  const layer: JsonObject[] = [
    {
      mark: { type: "line", strokeWidth: 1.5, opacity: 0.7 },
      encoding: { x, y, color, detail: { field: "trial", type: "nominal" } },
    },
  ];
  if (rows.length <= MAX_MARKED_POINTS) {
    layer.push({
      mark: { type: "point", filled: true, size: 14, opacity: 0.8 },
      encoding: {
        x,
        y,
        color,
        tooltip: { field: "tip", type: "nominal" },
        description: { field: "desc", type: "nominal" },
      },
    });
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    data: { values: [...rows] },
    layer,
  };
}
