export { registerBuiltInRunners } from "./builtin-runners.js";
export { Client } from "./client.js";
export type {
  BestParameters,
  ClientOptions,
  CreateExperimentOptions,
  LoadClientOptions,
  TrialHandle,
} from "./client-types.js";
export { experimentFromOptions } from "./experiment-from-options.js";
export {
  type ChoiceParameterSpec,
  type FixedParameterSpec,
  type ParameterSpec,
  parameterFromSpec,
  type RangeParameterSpec,
  searchSpaceFromSpecs,
  type ValueType,
} from "./experiment-spec.js";
export {
  type BuiltOptimization,
  type ObjectiveSpec,
  type OptimizationSpec,
  optimizationFromSpec,
} from "./optimization-spec.js";
export { type OptimizeBest, type OptimizeOptions, type OptimizeResult, optimize } from "./optimize.js";
export { parseOutcomeConstraint } from "./outcome-constraint-parser.js";
export { type MetricValue, normalizeRawData, type RawData, type RawDataContext } from "./raw-data.js";
