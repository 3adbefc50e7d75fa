/**
 * Acquisition functions, all maximized and computed in log space: analytic LogEI, log probability of
 * feasibility and their feasibility-weighted product for outcome constraints, and Monte Carlo qLogNEI for
 * noisy problems and pending points. Models plug in through the {@link Surrogate} and
 * {@link JointSurrogate} interfaces; {@link toMinimizationObjective} adapts any of them to `optim/`.
 *
 * Which one: noiseless objective → {@link LogExpectedImprovement} against the best observed value (with
 * pending points, on the GP conditioned on fantasies of them); noisy or unknown noise, or pending points
 * without fantasies → {@link QLogNoisyExpectedImprovement}; outcome constraints →
 * {@link makeConstrainedAcquisition}. Minimize an objective by negating it.
 */
export {
  type AcquisitionFunction,
  evaluateRows,
  screenRows,
  toMinimizationObjective,
} from "./acquisition-function.js";
export {
  type ConstrainedAcquisitionArgs,
  ConstrainedLogExpectedImprovement,
  makeConstrainedAcquisition,
} from "./constrained-log-ei.js";
export { EnsembleAcquisition } from "./ensemble-acquisition.js";
export {
  LogExpectedImprovement,
  type LogExpectedImprovementOptions,
  logExpectedImprovement,
} from "./log-ei.js";
export {
  addLogFeasibility,
  addLogFeasibilityRows,
  ComparisonOp,
  LogProbabilityOfFeasibility,
  type OutcomeConstraint,
} from "./log-probability-of-feasibility.js";
export {
  PREFILTER_MIN_POINTS,
  type PruneInferiorPointsOptions,
  pruneInferiorPoints,
} from "./prune-baseline.js";
export { QLogNoisyExpectedImprovement, type QLogNoisyExpectedImprovementOptions } from "./q-log-nei.js";
export { dLogFatplus, logFatplus, normalBaseSamples } from "./smoothed-improvement.js";
export type {
  JointPosterior,
  JointSurrogate,
  PointPosterior,
  PointPosteriorWithGradient,
  PosteriorCrossCovariance,
  Surrogate,
} from "./surrogate.js";
