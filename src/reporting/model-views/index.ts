export { type ContourOptions, plotContour } from "./contour-chart.js";
export type { CrossValidation, CrossValidationPoint } from "./cross-validation.js";
export {
  type CrossValidationOptions,
  crossValidate,
  crossValidationSummary,
  plotCrossValidation,
} from "./cross-validation-chart.js";
export { type ParameterImportanceOptions, plotParameterImportance } from "./importance-chart.js";
export type { ModelAnchor } from "./model-anchor.js";
export type { ModelChartOptions } from "./model-chart-options.js";
export { modelCharts } from "./model-charts.js";
export {
  DEFAULT_MAX_MODEL_OBSERVATIONS,
  type FittedMetric,
  MIN_MODEL_OBSERVATIONS,
  ModelViews,
  type ModelViewsOptions,
} from "./model-views.js";
export type { ObservedPoint } from "./observed-points.js";
export type { ParameterImportance } from "./parameter-importance.js";
export { type ParetoFrontierChartOptions, plotParetoFrontier } from "./pareto-frontier-chart.js";
export { plotSlices, type SlicesOptions } from "./slices-chart.js";
export { type ViewsBestPoint, viewsBestPoint } from "./views-best-point.js";
