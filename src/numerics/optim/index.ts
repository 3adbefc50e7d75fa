export { minimizeBounded } from "./lbfgsb.js";
export { type MultiStartOptions, type MultiStartResult, multiStartMinimize } from "./multi-start.js";
export {
  type LinearInequalities,
  type MinimizeOptions,
  type MinimizeResult,
  type ObjectiveFunction,
  TerminationReason,
} from "./options.js";
