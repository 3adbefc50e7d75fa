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
