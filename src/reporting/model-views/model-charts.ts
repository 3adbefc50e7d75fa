import type { Experiment } from "../../core/experiment.js";
import type { Chart } from "../charts/chart.js";
import { plotContour } from "./contour-chart.js";
import { plotCrossValidation } from "./cross-validation-chart.js";
import { plotParameterImportance } from "./importance-chart.js";
import { ModelViews, type ModelViewsOptions } from "./model-views.js";
import { plotParetoFrontier } from "./pareto-frontier-chart.js";
import { plotSlices } from "./slices-chart.js";

/**
 * Every model view that applies to the experiment's objective (the first objective of several), in
 * reading order: slices, contour, parameter importance, cross-validation, then the Pareto frontier of
 * a multi-objective experiment. Each metric is fitted once, shared by all of them. Never throws for an
 * odd experiment: charts that do not apply (too few observations, a failed fit, a single range
 * parameter for the contour) are left out. Pass `views` to share fitted models with other code (the
 * report's best point).
 * @example
 * const charts = modelCharts(experiment, { warmStart: boTorchHyperparameters(strategy) });
 */
export function modelCharts(
  experiment: Experiment,
  options: ModelViewsOptions & { views?: ModelViews } = {},
): Chart[] {
  if (!experiment.optimizationConfig) return [];
  const views = options.views ?? new ModelViews(experiment, options);
  const charts = [
    plotSlices(experiment, { views }),
    plotContour(experiment, { views }),
    plotParameterImportance(experiment, { views }),
    plotCrossValidation(experiment, { views }),
    plotParetoFrontier(experiment, { views }),
  ];
  return charts.filter((c): c is Chart => c !== null);
}
