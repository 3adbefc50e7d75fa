import type { JsonValue } from "../core/json.js";
import type { OptimizationConfig } from "../core/optimization-config.js";
import type { SearchSpace } from "../core/search-space.js";
import { GenerationStrategyError } from "../errors.js";
import { Logger } from "../util/logger.js";
import { GenerationStep } from "./generation-step.js";
import { GenerationStrategy } from "./generation-strategy.js";
import { Generators } from "./generators.js";
import { profileSearchSpace, suggestGenerator } from "./suggest-generator.js";

/** Most trials in flight during the Bayesian-optimization step unless told otherwise (Ax's default). */
export const DEFAULT_BAYESIAN_PARALLELISM = 3;

/**
 * Options of {@link chooseGenerationStrategy}: Ax's `choose_generation_strategy` keywords in camelCase.
 * Every one is optional except the search space.
 */
export interface ChooseGenerationStrategyOptions {
  searchSpace: SearchSpace;
  /**
   * What will be optimized, when known: the choice falls back to Sobol only when the BoTorch generator
   * cannot handle it (relative outcome constraints without a status quo). Without it a single
   * objective with absolute constraints is assumed.
   */
  optimizationConfig?: OptimizationConfig | null;
  /**
   * Whether the experiment has a status quo: relative outcome constraints and objective thresholds are
   * then measured against it, and Bayesian optimization can handle them (false by default).
   */
  hasStatusQuo?: boolean;
  /**
   * Total trials planned, if known: the default number of initialization trials is then at most a fifth
   * of it (never below 5), a budget no larger than the initialization gets Sobol only, and so does a
   * discrete search space with no more points than the budget.
   */
  numTrials?: number | null;
  /** Quasi-random (Sobol) trials before Bayesian optimization; default {@link defaultNumInitializationTrials}. */
  numInitializationTrials?: number | null;
  /** Upper bound on the computed default of `numInitializationTrials` (ignored when that is given). */
  maxInitializationTrials?: number | null;
  /** Initialization trials already completed elsewhere (warm start): the Sobol step is that much shorter. */
  numCompletedInitializationTrials?: number;
  /**
   * Sobol trials that must be observed (COMPLETED or EARLY_STOPPED) before Bayesian optimization starts;
   * default half the Sobol trials, rounded up.
   */
  minSobolTrialsObserved?: number | null;
  /**
   * Hard limit on trials in flight: the Sobol step gets `maxParallelismCap`, the BO step
   * `min(maxParallelismCap, 3)`. Not together with `maxParallelismOverride`.
   */
  maxParallelismCap?: number | null;
  /** The maxParallelism of every step, replacing the defaults; -1 for no limit on any step. */
  maxParallelismOverride?: number | null;
  /**
   * Default true: the Sobol step waits until `minSobolTrialsObserved` of its trials are observed, and the
   * BO step runs at most 3 trials at once. False: the Sobol step keeps generating while it waits for
   * data, and neither step limits parallelism unless a cap or override is given.
   */
  enforceSequentialOptimization?: boolean;
  /** Trials will be batch trials (several arms each): one initialization trial by default, as in Ax. */
  useBatchTrials?: boolean;
  /** Sobol for all trials, whatever the search space. */
  forceRandomSearch?: boolean;
  /** Ax's older name for `forceRandomSearch`; give one or the other. */
  noBayesianOptimization?: boolean;
  /** Options of the BoTorch generator (`BoTorchGeneratorOptions`), checked now; stored with the step. */
  generatorKwargs?: Record<string, JsonValue>;
  /** Seed of the strategy (Sobol step seed, BO step seed + 1); default 0. */
  seed?: number;
  /** Where the choice is explained; default `new Logger({ name: "ascent.generation" })`. */
  logger?: Logger;
}

/**
 * Ax's number of quasi-random initialization trials before Bayesian optimization: twice the number d of
 * searched (non-fixed) parameters, at most a fifth of `numTrials` when the budget is known, and never
 * fewer than 5; 1 for batch trials.
 * @example defaultNumInitializationTrials(searchSpaceWith4Params) // 8
 * @example defaultNumInitializationTrials(searchSpaceWith4Params, { numTrials: 30 }) // 6
 */
export function defaultNumInitializationTrials(
  searchSpace: SearchSpace,
  options: { numTrials?: number | null; useBatchTrials?: boolean } = {},
): number {
  if (options.useBatchTrials) return 1;
  let n = 2 * profileSearchSpace(searchSpace).numTunable;
  const numTrials = options.numTrials ?? null;
  if (numTrials !== null) n = Math.min(n, Math.floor(numTrials / 5));
  return Math.max(n, 5);
}

/**
 * Picks a generation strategy for a search space, as Ax's `choose_generation_strategy` does, and
 * explains the choice in one INFO line; the strategy keeps the reason (`reason`, stored with its state).
 *
 * - Bayesian optimization (strategy "Sobol+BoTorch"): Sobol for `numInitializationTrials` trials
 *   (default `max(5, 2·d)`), of which half (rounded up) must be observed before moving on, then the
 *   BoTorch generator for all further trials, at most 3 in flight.
 * - Sobol only (strategy "Sobol"), when `forceRandomSearch` is set, when the budget (`numTrials`) is no
 *   larger than the initialization, or when {@link suggestGenerator} finds that BO does not suit the
 *   problem: a space dominated by unordered choices, an enumerable space, or an optimization config the
 *   BoTorch generator cannot handle.
 *
 * Parallelism as in Ax: by default the Sobol step is unlimited and the BO step allows 3 trials in
 * flight; `maxParallelismCap` gives the Sobol step the cap and the BO step `min(cap, 3)`;
 * `maxParallelismOverride` sets every step (-1: no limit).
 * @throws GenerationStrategyError when a count is not a positive integer (0 allowed for
 * `numCompletedInitializationTrials` and `minSobolTrialsObserved`), both `maxParallelismCap` and
 * `maxParallelismOverride` are given, `minSobolTrialsObserved` exceeds the Sobol trials,
 * `forceRandomSearch` and `noBayesianOptimization` disagree, or `generatorKwargs` are not valid
 * BoTorch generator options.
 * @example
 * const gs = chooseGenerationStrategy({ searchSpace: experiment.searchSpace, maxParallelismCap: 3 });
 * // GenerationStrategy(name='Sobol+BoTorch', steps=[Sobol for 5 trials, BoTorch for subsequent trials])
 */
export function chooseGenerationStrategy(options: ChooseGenerationStrategyOptions): GenerationStrategy {
  const o = validateOptions(options);
  const logger = options.logger ?? new Logger({ name: "ascent.generation" });
  const parallelism = stepParallelism(o);
  const choice = chooseKind(options, o);
  const seed = options.seed === undefined ? {} : { seed: options.seed };
  if (choice.kind === "sobol") {
    const strategy = new GenerationStrategy({
      steps: [
        new GenerationStep({ generator: Generators.SOBOL, numTrials: -1, maxParallelism: parallelism.sobol }),
      ],
      reason: `Sobol only, because ${choice.reason}.`,
      ...seed,
    });
    logger.info(`Using Sobol generator only: ${strategy.toString()}, because ${choice.reason}.`);
    return strategy;
  }
  checkGeneratorKwargs(options);
  const numSobol = choice.numSobolTrials;
  const steps = bayesianSteps(numSobol, o, parallelism, options.generatorKwargs);
  const strategy = new GenerationStrategy({
    steps,
    reason: `Bayesian optimization ${numSobol > 0 ? `after ${numSobol} quasi-random (Sobol) trials` : "from the first trial"}, because ${choice.reason}.`,
    ...seed,
  });
  logger.info(
    `Using Bayesian Optimization generation strategy: ${strategy.toString()}, because ${choice.reason}. ` +
      `Iterations after ${numSobol} will take longer to generate due to model-fitting.`,
  );
  return strategy;
}

/** Sobol for `numSobol` trials (none when 0), then the BoTorch generator without limit. */
function bayesianSteps(
  numSobol: number,
  o: CheckedOptions,
  parallelism: { sobol: number | null; bo: number | null },
  generatorKwargs: Record<string, JsonValue> | undefined,
): GenerationStep[] {
  const steps: GenerationStep[] = [];
  if (numSobol > 0) {
    steps.push(
      new GenerationStep({
        generator: Generators.SOBOL,
        numTrials: numSobol,
        minTrialsObserved: o.minSobolTrialsObserved ?? Math.ceil(numSobol / 2),
        enforceNumTrials: o.enforceSequentialOptimization,
        maxParallelism: parallelism.sobol,
      }),
    );
  }
  steps.push(
    new GenerationStep({
      generator: Generators.BOTORCH,
      numTrials: -1,
      maxParallelism: parallelism.bo,
      ...(generatorKwargs ? { generatorKwargs } : {}),
    }),
  );
  return steps;
}

/** The options after validation, with defaults filled in. */
interface CheckedOptions {
  numTrials: number | null;
  numInitializationTrials: number | null;
  maxInitializationTrials: number | null;
  numCompletedInitializationTrials: number;
  minSobolTrialsObserved: number | null;
  maxParallelismCap: number | null;
  maxParallelismOverride: number | null;
  enforceSequentialOptimization: boolean;
  forceRandomSearch: boolean;
  randomSearchOption: string;
}

function validateOptions(options: ChooseGenerationStrategyOptions): CheckedOptions {
  if (!options?.searchSpace) {
    throw new GenerationStrategyError("chooseGenerationStrategy needs a searchSpace: { searchSpace, ... }.");
  }
  const override = options.maxParallelismOverride ?? null;
  if (override !== null && override !== -1) count("maxParallelismOverride", override, 1, " (or -1)");
  const cap = optionalCount("maxParallelismCap", options.maxParallelismCap, 1);
  if (cap !== null && override !== null) {
    throw new GenerationStrategyError(
      "chooseGenerationStrategy: give maxParallelismCap or maxParallelismOverride, not both " +
        "(the override already sets every step's maxParallelism).",
    );
  }
  const { forceRandomSearch, noBayesianOptimization } = options;
  if (
    forceRandomSearch !== undefined &&
    noBayesianOptimization !== undefined &&
    forceRandomSearch !== noBayesianOptimization
  ) {
    throw new GenerationStrategyError(
      `chooseGenerationStrategy: forceRandomSearch (${forceRandomSearch}) and noBayesianOptimization ` +
        `(${noBayesianOptimization}) disagree; give only forceRandomSearch.`,
    );
  }
  return {
    numTrials: optionalCount("numTrials", options.numTrials, 1),
    numInitializationTrials: optionalCount("numInitializationTrials", options.numInitializationTrials, 1),
    maxInitializationTrials: optionalCount("maxInitializationTrials", options.maxInitializationTrials, 1),
    numCompletedInitializationTrials: count(
      "numCompletedInitializationTrials",
      options.numCompletedInitializationTrials ?? 0,
      0,
    ),
    minSobolTrialsObserved: optionalCount("minSobolTrialsObserved", options.minSobolTrialsObserved, 0),
    maxParallelismCap: cap,
    maxParallelismOverride: override,
    enforceSequentialOptimization: flag(
      "enforceSequentialOptimization",
      options.enforceSequentialOptimization,
      true,
    ),
    forceRandomSearch: flag("forceRandomSearch", forceRandomSearch ?? noBayesianOptimization, false),
    randomSearchOption: forceRandomSearch === undefined ? "noBayesianOptimization" : "forceRandomSearch",
  };
}

/** Ax's parallelism rule: an override for every step, else a cap, else the defaults. */
function stepParallelism(o: CheckedOptions): { sobol: number | null; bo: number | null } {
  if (o.maxParallelismOverride === -1) return { sobol: null, bo: null };
  if (o.maxParallelismOverride !== null)
    return { sobol: o.maxParallelismOverride, bo: o.maxParallelismOverride };
  if (o.maxParallelismCap !== null) {
    return { sobol: o.maxParallelismCap, bo: Math.min(o.maxParallelismCap, DEFAULT_BAYESIAN_PARALLELISM) };
  }
  if (!o.enforceSequentialOptimization) return { sobol: null, bo: null };
  return { sobol: null, bo: DEFAULT_BAYESIAN_PARALLELISM };
}

/** Sobol only (with the reason), or BO after a number of Sobol trials. */
function chooseKind(
  options: ChooseGenerationStrategyOptions,
  o: CheckedOptions,
): { kind: "sobol"; reason: string } | { kind: "bayesian"; reason: string; numSobolTrials: number } {
  if (o.forceRandomSearch) return { kind: "sobol", reason: `${o.randomSearchOption} is set` };
  const suggestion = suggestGenerator(options.searchSpace, {
    numTrials: o.numTrials,
    optimizationConfig: options.optimizationConfig ?? null,
    hasStatusQuo: options.hasStatusQuo === true,
  });
  if (suggestion.kind === "sobol") return suggestion;
  let numInit = o.numInitializationTrials;
  if (numInit === null) {
    numInit = defaultNumInitializationTrials(options.searchSpace, {
      numTrials: o.numTrials,
      useBatchTrials: options.useBatchTrials === true,
    });
    if (o.maxInitializationTrials !== null) numInit = Math.min(numInit, o.maxInitializationTrials);
  }
  if (o.numTrials !== null && o.numTrials <= numInit) {
    return {
      kind: "sobol",
      reason: `the budget of ${o.numTrials} trials is no larger than the ${numInit} initialization trials`,
    };
  }
  const numSobolTrials = Math.max(0, numInit - o.numCompletedInitializationTrials);
  if (o.minSobolTrialsObserved !== null && o.minSobolTrialsObserved > numSobolTrials) {
    throw new GenerationStrategyError(
      `chooseGenerationStrategy: minSobolTrialsObserved (${o.minSobolTrialsObserved}) exceeds the ` +
        `${numSobolTrials} Sobol trials; the strategy could never move on to Bayesian optimization.`,
    );
  }
  return { kind: "bayesian", reason: suggestion.reason, numSobolTrials };
}

/** Builds the BoTorch generator once so that bad options fail now, not after the Sobol trials. */
function checkGeneratorKwargs(options: ChooseGenerationStrategyOptions): void {
  const kwargs = options.generatorKwargs;
  if (kwargs === undefined) return;
  try {
    Generators.BOTORCH.create({ searchSpace: options.searchSpace, seed: 0, options: kwargs });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new GenerationStrategyError(`chooseGenerationStrategy: invalid generatorKwargs: ${why}`, {
      cause: e,
    });
  }
}

function optionalCount(field: string, value: number | null | undefined, min: number): number | null {
  if (value === null || value === undefined) return null;
  return count(field, value, min);
}

function count(field: string, value: number, min: number, extra = ""): number {
  if (!Number.isInteger(value) || value < min) {
    const what = min === 0 ? "a non-negative integer" : "a positive integer";
    throw new GenerationStrategyError(
      `chooseGenerationStrategy: ${field} must be ${what}${extra}, got ${value}.`,
    );
  }
  return value;
}

function flag(field: string, value: boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    throw new GenerationStrategyError(
      `chooseGenerationStrategy: ${field} must be true or false, got ${value}.`,
    );
  }
  return value;
}
