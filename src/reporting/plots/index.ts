export { type ExperimentChartsOptions, experimentCharts } from "./experiment-charts.js";
export { type LearningCurvesOptions, plotLearningCurves } from "./learning-curves.js";
export { plotMetricTrace } from "./metric-trace.js";
export {
  OPTIMIZATION_TRACE_KINDS,
  type OptimizationTraceOptions,
  plotOptimizationTrace,
} from "./optimization-trace.js";
export { type ParallelCoordinatesOptions, plotParallelCoordinates } from "./parallel-coordinates.js";
export { PLOT_KINDS, type PlotKind } from "./plot-kinds.js";
export type { TraceAxis } from "./trace-data.js";
