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
  const { steps, currentStepIndex } = strategy.toState();
  const candidates = [steps[currentStepIndex], ...steps.slice(0, currentStepIndex).reverse()];
  for (const step of candidates) {
    if (step?.generator !== BOTORCH_GENERATOR_NAME || step.generatorState == null) continue;
    return new Map(Object.entries(parseBoTorchState(step.generatorState).hyperparameters));
  }
  return new Map();
}

/**
 * The outcome transforms of the strategy's Bayesian-optimization step (its `generatorKwargs`; the
 * defaults where it names none), so that a report judges arms with the models that step fits. The
 * current step when it is a BoTorch step, else the latest one before it; the defaults without any.
 */
export function boTorchOutcomeTransforms(strategy: GenerationStrategy): OutcomeTransformOptions {
  const { steps, currentStepIndex } = strategy.toState();
  const candidates = [steps[currentStepIndex], ...steps.slice(0, currentStepIndex).reverse()];
  const step = candidates.find((s) => s?.generator === BOTORCH_GENERATOR_NAME);
  if (step === undefined) return {};
  const { winsorize, bilog, powerTransform } = parseBoTorchOptions(step.generatorKwargs ?? {});
  return {
    ...(winsorize === undefined ? {} : { winsorize }),
    ...(bilog === undefined ? {} : { bilog }),
    ...(powerTransform === undefined ? {} : { powerTransform }),
  };
}
