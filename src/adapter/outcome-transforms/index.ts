export { BilogTransform, bilog, inverseBilog } from "./bilog.js";
export {
  choosePowerTransform,
  LOG_SPREAD_RATIO,
  type ResolvedPowerTransform,
} from "./choose-power-transform.js";
export {
  DEFAULT_OUTCOME_TRANSFORMS,
  fitOutcomeTransforms,
  type OutcomeTransformContext,
  type OutcomeTransformOptions,
  outcomeTransformContext,
  POWER_TRANSFORMS,
  type PowerTransformKind,
  type TransformedDataset,
} from "./fit-outcome-transforms.js";
export { LogTransform } from "./log-step.js";
export {
  mapDataset,
  matchCiWidth,
  type OutcomePrediction,
  type OutcomeTransform,
  OutcomeTransformChain,
} from "./outcome-transform.js";
export { type WinsorizeMode, WinsorizeTransform } from "./winsorize-step.js";
export { YeoJohnsonTransform } from "./yeo-johnson-step.js";
