import type { OutcomeTransformOptions } from "../../adapter/outcome-transforms/index.js";
import type { GpHyperparameters } from "../../numerics/gp/index.js";
import type { GenerationStrategy } from "../generation-strategy.js";
import { BOTORCH_GENERATOR_NAME, parseBoTorchOptions, parseBoTorchState } from "./botorch-options.js";

/**
 * The GP hyperparameters the strategy's Bayesian-optimization step last fitted, by metric name (empty
 * before its first fit, or without such a step): the warm start that lets a report fit the same
 * models the generator uses (`modelBestPoint(experiment, { warmStart })`). The current step's state
 * when it is a BoTorch step, else the latest BoTorch step that has one.
 */
export function boTorchHyperparameters(strategy: GenerationStrategy): Map<string, GpHyperparameters> {
  const step = boTorchStepsNewestFirst(strategy).find((s) => s.generatorState != null);
  return step === undefined
    ? new Map()
    : new Map(Object.entries(parseBoTorchState(step.generatorState!).hyperparameters));
}

/**
 * The outcome transforms of the strategy's Bayesian-optimization step (its `generatorKwargs`; the
 * defaults where it names none), so that a report judges arms with the models that step fits. The
 * current step when it is a BoTorch step, else the latest one before it; the defaults without any.
 */
export function boTorchOutcomeTransforms(strategy: GenerationStrategy): OutcomeTransformOptions {
  const step = boTorchStepsNewestFirst(strategy)[0];
  if (step === undefined) return {};
  const { winsorize, bilog, powerTransform } = parseBoTorchOptions(step.generatorKwargs ?? {});
  return {
    ...(winsorize === undefined ? {} : { winsorize }),
    ...(bilog === undefined ? {} : { bilog }),
    ...(powerTransform === undefined ? {} : { powerTransform }),
  };
}

/**
 * Whether the strategy's BoTorch step (the current one, else the latest before it) warps its inputs
 * (`inputWarping`), so that models judging its arms are fitted as the generator's were.
 */
export function boTorchInputWarping(strategy: GenerationStrategy): boolean {
  const step = boTorchStepsNewestFirst(strategy)[0];
  return step !== undefined && parseBoTorchOptions(step.generatorKwargs ?? {}).inputWarping === true;
}

/** The strategy's BoTorch steps the run has reached: the current step first, then earlier ones, latest first. */
function boTorchStepsNewestFirst(strategy: GenerationStrategy) {
  const { steps, currentStepIndex } = strategy.toState();
  return [steps[currentStepIndex], ...steps.slice(0, currentStepIndex).reverse()].filter(
    (step) => step?.generator === BOTORCH_GENERATOR_NAME,
  ) as NonNullable<(typeof steps)[number]>[];
}
