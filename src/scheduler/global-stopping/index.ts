export {
  GLOBAL_STOPPING_TYPES,
  type GlobalStoppingConfig,
  globalStoppingConfigOf,
  globalStoppingStrategyFromConfig,
} from "./global-stopping-from-config.js";
export {
  type BaseGlobalStoppingOptions,
  BaseGlobalStoppingStrategy,
  type GlobalStoppingDecision,
  type GlobalStoppingStrategy,
} from "./global-stopping-strategy.js";
export {
  type ImprovementGlobalStoppingConfig,
  type ImprovementGlobalStoppingOptions,
  ImprovementGlobalStoppingStrategy,
} from "./improvement-global-stopping-strategy.js";
