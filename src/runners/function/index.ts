export type {
  EvaluateFunction,
  EvaluationContext,
  EvaluationResult,
  EvaluationValue,
} from "./evaluate-function.js";
export { FunctionRunner, type FunctionRunnerOptions } from "./function-runner.js";
