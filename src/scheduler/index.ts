export {
  AndEarlyStoppingStrategy,
  type BuiltInEarlyStoppingStrategy,
  type CurvePredictionEarlyStoppingConfig,
  type CurvePredictionEarlyStoppingOptions,
  CurvePredictionEarlyStoppingStrategy,
  type CurveStrategyOptions,
  type CurveTransform,
  DEFAULT_EARLY_STOPPING_TYPE,
  EARLY_STOPPING_TYPES,
  type EarlyStoppingConfig,
  earlyStoppingStrategyFromConfig,
  type LogicalEarlyStoppingConfig,
  OrEarlyStoppingStrategy,
  type PercentileEarlyStoppingConfig,
  type PercentileEarlyStoppingOptions,
  PercentileEarlyStoppingStrategy,
  type ThresholdEarlyStoppingConfig,
  type ThresholdEarlyStoppingOptions,
  ThresholdEarlyStoppingStrategy,
} from "./early-stopping/index.js";
export {
  type BaseGlobalStoppingOptions,
  BaseGlobalStoppingStrategy,
  GLOBAL_STOPPING_TYPES,
  type GlobalStoppingConfig,
  type GlobalStoppingDecision,
  type GlobalStoppingStrategy,
  globalStoppingConfigOf,
  globalStoppingStrategyFromConfig,
  type ImprovementGlobalStoppingConfig,
  type ImprovementGlobalStoppingOptions,
  ImprovementGlobalStoppingStrategy,
} from "./global-stopping/index.js";
export { abortOnInterrupt, type InterruptHandle, type InterruptSignal } from "./interrupt-signal.js";
export { OptimizationResult, type OptimizationResultInit } from "./optimization-result.js";
export type { RunArgs } from "./run-state.js";
export {
  type CompletionDecision,
  Orchestrator,
  type ReportedResults,
  type RunAllArgs,
  Scheduler,
} from "./scheduler.js";
export {
  type EarlyStoppingStrategy,
  type IdleCallback,
  OrchestratorOptions,
  SchedulerOptions,
  type SchedulerOptionsInit,
  type SchedulerView,
} from "./scheduler-options.js";
export type { FromStoredExperimentArgs, SchedulerArgs } from "./scheduler-setup.js";
