import type { JsonValue } from "../core/json.js";
import { GenerationStrategyError } from "../errors.js";
import { type Generator, type GeneratorSpec, isGenerator } from "./generator.js";

/** Constructor options of {@link GenerationStep}, Ax's keyword arguments in camelCase. */
export interface GenerationStepOptions {
  /** A spec (`Generators.SOBOL`, or a registered user spec) or a ready generator instance. */
  generator: GeneratorSpec | Generator;
  /** Trials this step produces before the strategy moves on; -1 for no limit (last step only). */
  numTrials: number;
  /** Trials of this step that must be observed (COMPLETED or EARLY_STOPPED) before moving on; default 0. */
  minTrialsObserved?: number;
  /** At most this many of the step's trials in flight (CANDIDATE, STAGED, RUNNING); null for no limit. */
  maxParallelism?: number | null;
  /**
   * When `numTrials` are produced but `minTrialsObserved` are not yet observed: wait (true, default;
   * generation throws DataRequiredError) or keep generating from this step (false).
   */
  enforceNumTrials?: boolean;
  /** Options for the generator's factory (`GeneratorCreateOptions.options`), JSON so they can be stored. */
  generatorKwargs?: Record<string, JsonValue>;
  /** Display name; defaults to the generator's name. */
  name?: string;
}

/**
 * One phase of a generation strategy: which generator proposes arms, for how many trials, and under which
 * conditions the strategy may move on (Ax's `GenerationStep`).
 * @throws GenerationStrategyError when an option is invalid (e.g. numTrials 0, minTrialsObserved above
 * numTrials, maxParallelism 0).
 * @example new GenerationStep({ generator: Generators.SOBOL, numTrials: 5, minTrialsObserved: 3 })
 */
export class GenerationStep {
  readonly generator: GeneratorSpec | Generator;
  readonly numTrials: number;
  readonly minTrialsObserved: number;
  readonly maxParallelism: number | null;
  readonly enforceNumTrials: boolean;
  readonly generatorKwargs: Readonly<Record<string, JsonValue>>;
  readonly name: string;

  constructor(options: GenerationStepOptions) {
    const generator = options?.generator;
    if (!generator || typeof generator.name !== "string" || generator.name === "") {
      throw new GenerationStrategyError(
        "A GenerationStep needs a generator: a named spec such as Generators.SOBOL, or a Generator instance.",
      );
    }
    this.generator = generator;
    const label = `GenerationStep (${generator.name})`;
    this.numTrials = checkNumTrials(label, options.numTrials);
    this.minTrialsObserved = checkCount(label, "minTrialsObserved", options.minTrialsObserved ?? 0, 0);
    if (this.numTrials !== -1 && this.minTrialsObserved > this.numTrials) {
      throw new GenerationStrategyError(
        `${label}: minTrialsObserved (${this.minTrialsObserved}) cannot exceed numTrials (${this.numTrials}); ` +
          "the step could never be observed enough to finish.",
      );
    }
    const maxParallelism = options.maxParallelism ?? null;
    this.maxParallelism =
      maxParallelism === null ? null : checkCount(label, "maxParallelism", maxParallelism, 1);
    this.enforceNumTrials = options.enforceNumTrials ?? true;
    this.generatorKwargs = Object.freeze({ ...(options.generatorKwargs ?? {}) });
    // A spec checks its options now, so a bad option fails before any trial of the strategy runs.
    if (!isGenerator(generator)) generator.checkOptions?.(this.generatorKwargs);
    this.name = options.name ?? generator.name;
  }

  /** Name of the step's generator, e.g. "Sobol". */
  get generatorName(): string {
    return this.generator.name;
  }

  /** Whether the step produces trials without limit (`numTrials` = -1). */
  get isUnlimited(): boolean {
    return this.numTrials === -1;
  }

  /**
   * Ax's description of the step inside a strategy: "Sobol for 5 trials", or for an unlimited step
   * "Sobol for all trials" (first step) / "BoTorch for subsequent trials".
   */
  describe(isFirst: boolean): string {
    if (this.isUnlimited) return `${this.generatorName} for ${isFirst ? "all" : "subsequent"} trials`;
    return `${this.generatorName} for ${this.numTrials} trial${this.numTrials === 1 ? "" : "s"}`;
  }

  /** Whether the step holds a ready generator instance rather than a spec. */
  get hasGeneratorInstance(): boolean {
    return isGenerator(this.generator);
  }
}

/** Stored form of a step (see `GenerationStrategy.toState`); plain JSON. */
export type GenerationStepState = {
  /** Registry name of the step's generator. */
  generator: string;
  name: string;
  numTrials: number;
  minTrialsObserved: number;
  maxParallelism: number | null;
  enforceNumTrials: boolean;
  generatorKwargs: { [key: string]: JsonValue };
  /** The generator's `getState()`, or null when it has none or was never used. */
  generatorState: JsonValue;
};

/**
 * Reads a stored step; values are checked again when the step is rebuilt.
 * @throws GenerationStrategyError naming the step and field at fault.
 */
export function parseGenerationStepState(value: JsonValue, index: number): GenerationStepState {
  const fail = (field: string): never => {
    throw new GenerationStrategyError(`Invalid stored generation step ${index}: bad or missing "${field}".`);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail("step");
  const v = value;
  const kwargs = v.generatorKwargs ?? {};
  const maxParallelism = v.maxParallelism ?? null;
  return {
    generator: typeof v.generator === "string" ? v.generator : fail("generator"),
    name: typeof v.name === "string" ? v.name : fail("name"),
    numTrials: typeof v.numTrials === "number" ? v.numTrials : fail("numTrials"),
    minTrialsObserved:
      typeof v.minTrialsObserved === "number" ? v.minTrialsObserved : fail("minTrialsObserved"),
    maxParallelism:
      maxParallelism === null || typeof maxParallelism === "number" ? maxParallelism : fail("maxParallelism"),
    enforceNumTrials: typeof v.enforceNumTrials === "boolean" ? v.enforceNumTrials : fail("enforceNumTrials"),
    generatorKwargs:
      typeof kwargs === "object" && kwargs !== null && !Array.isArray(kwargs)
        ? kwargs
        : fail("generatorKwargs"),
    generatorState: v.generatorState ?? null,
  };
}

function checkNumTrials(label: string, value: number): number {
  if (value === -1 || (Number.isInteger(value) && value >= 1)) return value;
  throw new GenerationStrategyError(
    `${label}: numTrials must be a positive integer, or -1 for no limit; got ${value}.`,
  );
}

function checkCount(label: string, field: string, value: number, min: number): number {
  if (Number.isInteger(value) && value >= min) return value;
  throw new GenerationStrategyError(`${label}: ${field} must be an integer >= ${min}; got ${value}.`);
}
