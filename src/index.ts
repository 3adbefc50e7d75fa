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
  type ExperimentOptions,
  type ExperimentStore,
  FixedParameter,
  type FixedParameterOptions,
  GeneratorRun,
  type GeneratorRunOptions,
  isCapacityReporter,
  isMultiTrialRunner,
  isTerminalStatus,
  isTrialStatus,
  isTrialStatusPoller,
  isTrialStopper,
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
  ReportedMetric,
  type RunMetadata,
  Runner,
  SearchSpace,
  type SearchSpaceOptions,
  type StoreProvider,
  SumConstraint,
  Trial,
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
  type ChooseGenerationStrategyOptions,
  chooseGenerationStrategy,
  DEFAULT_BAYESIAN_PARALLELISM,
  defaultNumInitializationTrials,
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
  registerGenerator,
  SobolGenerator,
  suggestGenerator,
  UniformGenerator,
} from "./generation/index.js";
// Numerics and utilities users reach for
export { SobolEngine } from "./numerics/sobol/index.js";
export { Branin, branin, Hartmann6, hartmann6, type TestFunction } from "./numerics/test-functions.js";
// Reporting
export {
  type BestPoint,
  bestPoint,
  experimentToTable,
  type TableRow,
  tableToCsv,
  tableToJson,
} from "./reporting/index.js";
// The loop
export {
  abortOnInterrupt,
  type CompletionDecision,
  type EarlyStoppingStrategy,
  type FromStoredExperimentArgs,
  type IdleCallback,
  type InterruptHandle,
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
} from "./scheduler/index.js";
// Ask/tell
export {
  type BestParameters,
  Client,
  type ClientOptions,
  type CreateExperimentOptions,
  type LoadClientOptions,
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
export { type Clock, FakeClock, SystemClock } from "./util/clock.js";
export { Logger, type LoggerOptions, LogLevel, type LogSink } from "./util/logger.js";
export { Rng } from "./util/rng.js";
