/**
 * Ascent's public API. Everything a user imports comes from here; internals stay unexported.
 */

export { SearchSpaceEncoding } from "./adapter/search-space-encoding.js";

// Experiment model
export {
  ALL_TRIAL_STATUSES,
  Arm,
  BaseTrial,
  BatchTrial,
  type CapacityReporter,
  ChoiceParameter,
  type ChoiceParameterOptions,
  ComparisonOp,
  Data,
  type DataRow,
  Experiment,
  type ExperimentLeases,
  type ExperimentLocking,
  type ExperimentOptions,
  type ExperimentPersistence,
  type ExperimentStore,
  FixedParameter,
  type FixedParameterOptions,
  GeneratorRun,
  type GeneratorRunOptions,
  isCapacityReporter,
  isMultiTrialRunner,
  isTerminalStatus,
  isTrialFailureReporter,
  isTrialStatus,
  isTrialStatusPoller,
  isTrialStopper,
  type JsonObject,
  type JsonValue,
  Metric,
  type MetricOptions,
  MultiObjective,
  MultiObjectiveOptimizationConfig,
  type MultiTrialRunner,
  type NamedArm,
  Objective,
  ObjectiveThreshold,
  OptimizationConfig,
  type OptimizationConfigOptions,
  OrderConstraint,
  OutcomeConstraint,
  type OutcomeConstraintOptions,
  Parameter,
  ParameterConstraint,
  type ParameterConstraintOptions,
  type Parameterization,
  ParameterType,
  type ParameterValue,
  parseParameterConstraint,
  RangeParameter,
  type RangeParameterOptions,
  RESULT_KEY,
  ReportedMetric,
  ResultMetric,
  type RunMetadata,
  Runner,
  SearchSpace,
  type SearchSpaceOptions,
  type StoreProvider,
  SumConstraint,
  Trial,
  type TrialChangeNotifier,
  type TrialFailureReporter,
  type TrialResult,
  type TrialResultReporter,
  type TrialResultValue,
  type TrialSnapshot,
  TrialStatus,
  type TrialStatusMap,
  type TrialStatusPoller,
  type TrialStopper,
  TrialType,
} from "./core/index.js";
// Errors
export * from "./errors.js";
// Generation
export {
  BoTorchGenerator,
  boTorchHyperparameters,
  type ChooseGenerationStrategyOptions,
  chooseGenerationStrategy,
  DEFAULT_BAYESIAN_PARALLELISM,
  defaultNumInitializationTrials,
  type FitMetricModelsOptions,
  fitMetricModels,
  type GenerateArgs,
  GenerationStep,
  type GenerationStepOptions,
  GenerationStrategy,
  type GenerationStrategyOptions,
  type GenerationStrategyState,
  type Generator,
  type GeneratorCreateOptions,
  type GeneratorSpec,
  type GeneratorSuggestion,
  Generators,
  getGeneratorSpec,
  type MetricModel,
  registerGenerator,
  SobolGenerator,
  suggestGenerator,
  UniformGenerator,
} from "./generation/index.js";
// Numerics and utilities users reach for
export { SobolEngine } from "./numerics/sobol/index.js";
export {
  Branin,
  BraninCurrin,
  branin,
  braninCurrin,
  Hartmann6,
  hartmann6,
  type MultiObjectiveTestFunction,
  type TestFunction,
} from "./numerics/test-functions.js";
// Reporting
export {
  type BestPoint,
  bestPoint,
  type Chart,
  compileChart,
  type ExperimentChartsOptions,
  experimentCharts,
  experimentToTable,
  type MetricPrediction,
  type ModelBestPoint,
  type ModelBestPointOptions,
  modelBestPoint,
  OPTIMIZATION_TRACE_KINDS,
  type OptimizationTraceOptions,
  type ParallelCoordinatesOptions,
  type ParetoFrontier,
  type ParetoFrontierOptions,
  type ParetoFrontierPoint,
  paretoFrontier,
  plotMetricTrace,
  plotOptimizationTrace,
  plotParallelCoordinates,
  renderChartSvg,
  type TableRow,
  type TraceAxis,
  tableToCsv,
  tableToJson,
  vegaRuntimeSource,
} from "./reporting/index.js";
// Runners: one process per trial
export {
  type CommandOptions,
  type CommandRunMetadata,
  CommandRunner,
  type CommandRunnerOptions,
  type CommandTrialOutcome,
  type CommandTrialSpec,
  executeCommandTrial,
} from "./runners/command/index.js";
// Built-in runners
export {
  type EvaluateFunction,
  type EvaluationContext,
  type EvaluationResult,
  type EvaluationValue,
  FunctionRunner,
  type FunctionRunnerOptions,
} from "./runners/function/index.js";
// Runners: a BullMQ queue served by workers on any number of machines
export {
  type JobEvaluator,
  type QueueConnectionOptions,
  type QueueEvaluateFunction,
  type QueueEvaluationContext,
  QueueRunner,
  type QueueRunnerOptions,
  QueueWorker,
  type QueueWorkerOptions,
  type WorkerCommandOptions,
  type WorkerJob,
} from "./runners/queue/index.js";
// The loop
export {
  abortOnInterrupt,
  type CompletionDecision,
  type EarlyStoppingStrategy,
  type FromStoredExperimentArgs,
  type IdleCallback,
  type InterruptHandle,
  type InterruptSignal,
  OptimizationResult,
  Orchestrator,
  OrchestratorOptions,
  type ReportedResults,
  type RunAllArgs,
  type RunArgs,
  Scheduler,
  type SchedulerArgs,
  SchedulerOptions,
  type SchedulerOptionsInit,
  type SchedulerView,
} from "./scheduler/index.js";
// Ask/tell
export {
  type BestParameters,
  Client,
  type ClientOptions,
  type CreateExperimentOptions,
  type LoadClientOptions,
  type OptimizeBest,
  type OptimizeOptions,
  type OptimizeResult,
  optimize,
  type ParameterSpec,
  type TrialHandle,
} from "./service/index.js";
// Storage
export {
  DBSettings,
  type DBSettingsOptions,
  type ExportedExperiment,
  exportExperiment,
  exportExperimentToJson,
  importExperiment,
  importExperimentFromJson,
  MemoryStore,
  openStore,
  type RegisterMetricOptions,
  type RegisterRunnerOptions,
  registerMetric,
  registerRunner,
  SqlStore,
  unregisterMetric,
  unregisterRunner,
} from "./storage/index.js";
export type { AbortSignalLike } from "./util/abort-signal.js";
export { type Clock, FakeClock, SystemClock } from "./util/clock.js";
export { Logger, type LoggerOptions, LogLevel, type LogSink } from "./util/logger.js";
export { Rng } from "./util/rng.js";

import { registerBuiltInRunners } from "./service/builtin-runners.js";

// Built-in runners are stored by name: importing the package registers them, so an experiment that uses
// one loads without a registerRunner call (user classes are still registered explicitly).
registerBuiltInRunners();
