import { FixedParameter } from "../core/fixed-parameter.js";
import type { SearchSpace } from "../core/search-space.js";
import { GenerationStrategyError } from "../errors.js";
import { Logger } from "../util/logger.js";
import { GenerationStep } from "./generation-step.js";
import { GenerationStrategy } from "./generation-strategy.js";
import { Generators } from "./generators.js";

/**
 * Options of {@link chooseGenerationStrategy}, Ax's `choose_generation_strategy` keywords in camelCase.
 * New keywords are added as optional fields, so existing calls keep working.
 */
export interface ChooseGenerationStrategyOptions {
  searchSpace: SearchSpace;
  /** Upper bound on each step's maxParallelism; null or absent for no limit. */
  maxParallelismCap?: number | null;
  /**
   * Quasi-random trials before the model-based step; default
   * {@link defaultNumInitializationTrials}. Used once a model-based step exists.
   */
  numInitializationTrials?: number | null;
  /** Total trials planned, if known (lets a future model-based strategy size its phases). */
  numTrials?: number | null;
  /** Seed of the strategy; default 0. */
  seed?: number;
  /** Where the choice is explained; default `new Logger({ name: "ascent.generation" })`. */
  logger?: Logger;
}

/**
 * Ax's rule for the number of quasi-random initialization trials before Bayesian optimization:
 * `max(5, 2 · d)`, d = number of searched (non-fixed) parameters.
 * @example defaultNumInitializationTrials(searchSpaceWith4Params) // 8
 */
export function defaultNumInitializationTrials(searchSpace: SearchSpace): number {
  let d = 0;
  for (const p of searchSpace.parameters.values()) if (!(p instanceof FixedParameter)) d++;
  return Math.max(5, 2 * d);
}

/**
 * Picks a generation strategy for a search space and explains the choice in the log, like Ax's
 * `choose_generation_strategy`. Until the Bayesian-optimization engine is available this is a single
 * unlimited Sobol step with `maxParallelism = maxParallelismCap ?? null`.
 * @throws GenerationStrategyError when a count option is not a positive integer.
 * @example
 * const gs = chooseGenerationStrategy({ searchSpace: experiment.searchSpace, maxParallelismCap: 3 });
 */
export function chooseGenerationStrategy(options: ChooseGenerationStrategyOptions): GenerationStrategy {
  const maxParallelism = optionalCount("maxParallelismCap", options.maxParallelismCap);
  // Checked now so that a bad value fails today, not when the model-based step starts using it.
  optionalCount("numInitializationTrials", options.numInitializationTrials);
  optionalCount("numTrials", options.numTrials);
  const logger = options.logger ?? new Logger({ name: "ascent.generation" });
  const strategy = new GenerationStrategy({
    steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials: -1, maxParallelism })],
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  logger.info(
    `Using Sobol (quasi-random) generation strategy: ${strategy.toString()}. ` +
      "For Bayesian optimization, add a step with Generators.BOTORCH to an explicit GenerationStrategy.",
  );
  return strategy;
}

function optionalCount(field: string, value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 1) {
    throw new GenerationStrategyError(
      `chooseGenerationStrategy: ${field} must be a positive integer, got ${value}.`,
    );
  }
  return value;
}
