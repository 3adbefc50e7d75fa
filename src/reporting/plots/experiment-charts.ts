import type { Experiment } from "../../core/experiment.js";
import { TrialStatus } from "../../core/trial-status.js";
import type { GpHyperparameters } from "../../numerics/gp/index.js";
import type { Chart } from "../charts/chart.js";
import { modelCharts } from "../model-views/model-charts.js";
import type { ModelViews } from "../model-views/model-views.js";
import { learningCurvesMetric, plotLearningCurves } from "./learning-curves.js";
import { plotMetricTrace } from "./metric-trace.js";
import { OPTIMIZATION_TRACE_KINDS, plotOptimizationTrace } from "./optimization-trace.js";
import { plotParallelCoordinates } from "./parallel-coordinates.js";
import { parallelAxes } from "./parallel-coordinates-axes.js";
import { MARKED_STATUSES } from "./trace-data.js";

/** Options of {@link experimentCharts}. */
export interface ExperimentChartsOptions {
  /** Include the views of the Gaussian-process model (default true). */
  models?: boolean;
  /**
   * The generator's last GP hyperparameters by metric name (`boTorchHyperparameters(strategy)`), so the
   * model views start their fits where the generator's left off; cold fits without them.
   */
  warmStart?: ReadonlyMap<string, GpHyperparameters>;
  /** Fitted models to draw the model views from, shared with the caller (then `warmStart` is theirs). */
  views?: ModelViews;
  /**
   * Kinds of chart to leave out (a page that draws the trace on its own); the traces left out are not
   * even computed.
   */
  omit?: readonly string[];
}

/**
 * Whether the optimization trace applies: the experiment has an optimization config and a trial that
 * ended (COMPLETED, or marked as FAILED, ABANDONED or EARLY_STOPPED).
 */
export function hasOptimizationTrace(experiment: Experiment): boolean {
  if (!experiment.optimizationConfig) return false;
  const completed = experiment.countTrialsWithStatus(TrialStatus.COMPLETED);
  return completed + MARKED_STATUSES.reduce((n, s) => n + experiment.countTrialsWithStatus(s), 0) > 0;
}

/**
 * The charts that apply to this experiment, in reading order: the optimization trace by trial, then
 * by time; parallel coordinates; the trace of each outcome-constraint metric; the learning curves when
 * trials reported intermediate results; then, unless `models` is
 * false, the views of the GP model (`modelCharts`: slices, contour, parameter importance,
 * cross-validation, Pareto frontier), each metric fitted once. Never throws for an
 * empty or odd experiment: charts that do not apply are left out (an experiment without trials, or
 * without an optimization config, has none of these).
 * @example
 * for (const chart of await experimentCharts(experiment)) console.log(chart.kind, chart.title);
 */
export async function experimentCharts(
  experiment: Experiment,
  options: ExperimentChartsOptions = {},
): Promise<Chart[]> {
  const config = experiment.optimizationConfig;
  if (!config) return [];
  const completed = experiment.countTrialsWithStatus(TrialStatus.COMPLETED);
  const omitted = new Set(options.omit ?? []);
  const charts: Chart[] = [];
  if (hasOptimizationTrace(experiment)) {
    for (const by of ["trial", "time"] as const) {
      if (!omitted.has(OPTIMIZATION_TRACE_KINDS[by])) charts.push(plotOptimizationTrace(experiment, { by }));
    }
  }
  // A search space of fixed parameters only has no axis to draw.
  if (completed > 0 && parallelAxes(experiment.searchSpace).length > 0) {
    charts.push(plotParallelCoordinates(experiment));
  }
  if (completed > 0) {
    for (const c of config.outcomeConstraints) charts.push(plotMetricTrace(experiment, c.metric.name));
  }
  if (learningCurvesMetric(experiment) !== null) charts.push(plotLearningCurves(experiment));
  if (options.models !== false) {
    const { warmStart, views } = options;
    charts.push(
      ...modelCharts(experiment, { ...(warmStart ? { warmStart } : {}), ...(views ? { views } : {}) }),
    );
  }
  return omitted.size === 0 ? charts : charts.filter((c) => !omitted.has(c.kind));
}
