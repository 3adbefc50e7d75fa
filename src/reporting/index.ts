export { type BestPoint, bestPoint } from "./best-point.js";
export {
  type BestPointCandidates,
  type BestPointDecision,
  BestPointRule,
  decideBestPoint,
  NOISE_GAP_FACTOR,
  type ObjectiveNoise,
} from "./best-point-rule.js";
export { type Chart, compileChart, renderChartSvg, vegaRuntimeSource } from "./charts/index.js";
export { type DataTableRow, dataToTable } from "./data-to-table.js";
export { experimentToTable, type TableCell, type TableRow } from "./experiment-to-table.js";
export {
  type MetricPrediction,
  type ModelBestPoint,
  type ModelBestPointOptions,
  type ModelJudgement,
  modelBestPoint,
  modelJudgement,
} from "./model-best-point.js";
export {
  type ContourOptions,
  type CrossValidation,
  type CrossValidationOptions,
  type CrossValidationPoint,
  crossValidate,
  crossValidationSummary,
  DEFAULT_MAX_MODEL_OBSERVATIONS,
  type FittedMetric,
  MIN_MODEL_OBSERVATIONS,
  type ModelAnchor,
  type ModelChartOptions,
  ModelViews,
  type ModelViewsOptions,
  modelCharts,
  type ObservedPoint,
  type ParameterImportance,
  type ParameterImportanceOptions,
  type ParetoFrontierChartOptions,
  plotContour,
  plotCrossValidation,
  plotParameterImportance,
  plotParetoFrontier,
  plotSlices,
  type SlicesOptions,
  type ViewsBestPoint,
  viewsBestPoint,
} from "./model-views/index.js";
export {
  type ParetoFrontier,
  type ParetoFrontierOptions,
  type ParetoFrontierPoint,
  paretoFrontier,
} from "./pareto-frontier.js";
export {
  type ExperimentChartsOptions,
  experimentCharts,
  type LearningCurvesOptions,
  OPTIMIZATION_TRACE_KINDS,
  type OptimizationTraceOptions,
  type ParallelCoordinatesOptions,
  PLOT_KINDS,
  type PlotKind,
  plotLearningCurves,
  plotMetricTrace,
  plotOptimizationTrace,
  plotParallelCoordinates,
  type TraceAxis,
} from "./plots/index.js";
export {
  type RecommendedBestPoint,
  type RecommendedBestPointOptions,
  recommendedBestPoint,
  type UseModelPredictions,
} from "./recommended-best-point.js";
export { type ReportOptions, renderReport, writeReport } from "./report/index.js";
export { type CsvOptions, type Table, tableColumns, tableToCsv, tableToJson } from "./table-format.js";
