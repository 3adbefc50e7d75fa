import type { GpHyperparameters } from "../../numerics/gp/index.js";
import type { GenerationStrategy } from "../generation-strategy.js";
import { BOTORCH_GENERATOR_NAME, parseBoTorchState } from "./botorch-options.js";

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
