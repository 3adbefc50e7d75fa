import type { OutcomeTransformOptions } from "../../adapter/outcome-transforms/index.js";
import type { GpHyperparameters } from "../../numerics/gp/index.js";
import type { GenerationStrategy } from "../generation-strategy.js";
import {
  BOTORCH_GENERATOR_NAME,
  type BoTorchGeneratorOptions,
  parseBoTorchOptions,
  parseBoTorchState,
} from "./botorch-options.js";

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
  const { winsorize, bilog, powerTransform } = newestBoTorchOptions(strategy);
  return {
    ...(winsorize === undefined ? {} : { winsorize }),
    ...(bilog === undefined ? {} : { bilog }),
    ...(powerTransform === undefined ? {} : { powerTransform }),
  };
}

/** How the strategy's Bayesian-optimization step fits its models, for code that fits them again. */
export interface BoTorchModelOptions {
  /** Its last hyperparameters by metric name ({@link boTorchHyperparameters}). */
  warmStart: Map<string, GpHyperparameters>;
  /** Its outcome transforms ({@link boTorchOutcomeTransforms}). */
  outcomeTransforms: OutcomeTransformOptions;
  /** Whether it warps its inputs (`inputWarping`; the current BoTorch step, else the latest before it). */
  inputWarping: boolean;
}

/**
 * Everything a report needs to fit the models the strategy's Bayesian-optimization step fits:
 * `modelBestPoint(experiment, boTorchModelOptions(strategy))`, `new ModelViews(experiment, ...)`.
 */
export function boTorchModelOptions(strategy: GenerationStrategy): BoTorchModelOptions {
  return {
    warmStart: boTorchHyperparameters(strategy),
    outcomeTransforms: boTorchOutcomeTransforms(strategy),
    inputWarping: newestBoTorchOptions(strategy).inputWarping === true,
  };
}

/** The kwargs of the current BoTorch step, else of the latest before it; none without one. */
function newestBoTorchOptions(strategy: GenerationStrategy): BoTorchGeneratorOptions {
  const step = boTorchStepsNewestFirst(strategy)[0];
  return step === undefined ? {} : parseBoTorchOptions(step.generatorKwargs ?? {});
}

/** The strategy's BoTorch steps the run has reached: the current step first, then earlier ones, latest first. */
function boTorchStepsNewestFirst(strategy: GenerationStrategy) {
  const { steps, currentStepIndex } = strategy.toState();
  return [steps[currentStepIndex], ...steps.slice(0, currentStepIndex).reverse()].filter(
    (step) => step?.generator === BOTORCH_GENERATOR_NAME,
  ) as NonNullable<(typeof steps)[number]>[];
}
