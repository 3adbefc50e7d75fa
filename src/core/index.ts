export { Arm, armSignature, type NamedArm } from "./arm.js";
export {
  BaseTrial,
  type RunMetadata,
  type TrialOwner,
  type TrialSnapshot,
  type TrialTimes,
  TrialType,
} from "./base-trial.js";
export { BatchTrial } from "./batch-trial.js";
export { ChoiceParameter, type ChoiceParameterOptions } from "./choice-parameter.js";
export {
  type CurveOptions,
  type CurvePoint,
  type Progression,
  progressionKeyOf,
} from "./curve-point.js";
export { Data, type DataRow } from "./data.js";
export { Experiment, type ExperimentOptions } from "./experiment.js";
export type {
  ExperimentLeases,
  ExperimentLocking,
  ExperimentPersistence,
  ExperimentStore,
  StoreProvider,
} from "./experiment-store.js";
export { FixedParameter, type FixedParameterOptions } from "./fixed-parameter.js";
export { GeneratorRun, type GeneratorRunOptions } from "./generator-run.js";
export type { JsonObject, JsonValue } from "./json.js";
export { Metric, type MetricOptions, ReportedMetric } from "./metric.js";
export { MultiObjective, Objective } from "./objective.js";
export { type ObservedArm, observedArms, satisfiesOutcomeConstraints } from "./observed-arms.js";
export {
  MultiObjectiveOptimizationConfig,
  OptimizationConfig,
  type OptimizationConfigOptions,
} from "./optimization-config.js";
export {
  ComparisonOp,
  ObjectiveThreshold,
  OutcomeConstraint,
  type OutcomeConstraintOptions,
} from "./outcome-constraint.js";
export { Parameter, ParameterKind } from "./parameter.js";
export {
  OrderConstraint,
  ParameterConstraint,
  type ParameterConstraintOptions,
  parseParameterConstraint,
  SumConstraint,
} from "./parameter-constraint.js";
export {
  inferParameterType,
  type Parameterization,
  ParameterType,
  type ParameterValue,
} from "./parameter-type.js";
export {
  type ProgressRecord,
  type ProgressReport,
  progressionKeyText,
  progressRecordFromLine,
  progressRecordFromReport,
} from "./progress-record.js";
export { RangeParameter, type RangeParameterOptions } from "./range-parameter.js";
export { ResultMetric } from "./result-metric.js";
export {
  type CapacityReporter,
  isCapacityReporter,
  isMultiTrialRunner,
  isProgressSource,
  isTrialChangeNotifier,
  isTrialFailureReporter,
  isTrialResultReporter,
  isTrialStatusPoller,
  isTrialStopper,
  type MultiTrialRunner,
  type ProgressSource,
  Runner,
  type TrialChangeNotifier,
  type TrialFailureReporter,
  type TrialResultReporter,
  type TrialStatusMap,
  type TrialStatusPoller,
  type TrialStopper,
} from "./runner.js";
export { SearchSpace, type SearchSpaceOptions } from "./search-space.js";
export { Trial } from "./trial.js";
export {
  normalizeTrialResult,
  RESULT_KEY,
  resultMetricNames,
  storableTrialResult,
  type TrialResult,
  type TrialResultValue,
  trialResultValue,
} from "./trial-result.js";
export {
  ALL_TRIAL_STATUSES,
  canTransition,
  expectsData,
  isPendingStatus,
  isTerminalStatus,
  isTrialStatus,
  TrialStatus,
} from "./trial-status.js";
