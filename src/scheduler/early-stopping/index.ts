export {
  type CurvePredictionEarlyStoppingConfig,
  type CurvePredictionEarlyStoppingOptions,
  CurvePredictionEarlyStoppingStrategy,
  type CurveTransform,
} from "./curve-prediction-early-stopping-strategy.js";
export type { CurveStrategyOptions } from "./curve-strategy-options.js";
export {
  type BuiltInEarlyStoppingStrategy,
  DEFAULT_EARLY_STOPPING_TYPE,
  EARLY_STOPPING_TYPES,
  type EarlyStoppingConfig,
  earlyStoppingStrategyFromConfig,
} from "./early-stopping-config.js";
export {
  AndEarlyStoppingStrategy,
  type LogicalEarlyStoppingConfig,
  OrEarlyStoppingStrategy,
} from "./logical-early-stopping-strategy.js";
export {
  type PercentileEarlyStoppingConfig,
  type PercentileEarlyStoppingOptions,
  PercentileEarlyStoppingStrategy,
} from "./percentile-early-stopping-strategy.js";
export {
  type ThresholdEarlyStoppingConfig,
  type ThresholdEarlyStoppingOptions,
  ThresholdEarlyStoppingStrategy,
} from "./threshold-early-stopping-strategy.js";
