import type { Arm } from "../core/arm.js";
import type { Experiment } from "../core/experiment.js";
import type { GeneratorRun } from "../core/generator-run.js";
import type { JsonValue } from "../core/json.js";
import type { SearchSpace } from "../core/search-space.js";
import { GenerationStrategyError } from "../errors.js";

/** What a generator is asked for. */
export interface GenerateArgs {
  /** The experiment, with all trials and data so far. */
  experiment: Experiment;
  /** Number of arms to propose. */
  n: number;
  /** Arms being evaluated or about to be (CANDIDATE, STAGED, RUNNING trials, and earlier arms of this batch). */
  pendingArms: readonly Arm[];
}

/**
 * Proposes arms. Uniform random, Sobol and Bayesian optimization are interchangeable behind this
 * interface, and users can write their own. A generator may keep state (a quasi-random position) that
 * must survive a restart: expose it through `getState`, and accept it back through the spec's `create`.
 */
export interface Generator {
  /** Shown as the trial's generator, e.g. "Sobol". */
  readonly name: string;
  /**
   * Proposes `n` arms inside the experiment's search space.
   * @throws SearchSpaceExhaustedError when no new arm exists; ParameterConstraintError when the
   * constraints leave no feasible point.
   */
  gen(args: GenerateArgs): Promise<GeneratorRun>;
  /** Serializable state for resuming (e.g. the Sobol position); omit for stateless generators. */
  getState?(): JsonValue;
}

/** What a generator factory receives. */
export interface GeneratorCreateOptions {
  searchSpace: SearchSpace;
  /** Seed derived from the strategy's seed and the step index. */
  seed: number;
  /** State previously returned by the generator's `getState`, when resuming. */
  state?: JsonValue | null;
  /** Step-specific options (`GenerationStep.generatorKwargs`). */
  options?: Readonly<Record<string, JsonValue>>;
}

/**
 * A named recipe for a generator (`Generators.SOBOL`): the form a generation step stores, so a resumed
 * strategy can rebuild its generators by name.
 */
export interface GeneratorSpec {
  readonly name: string;
  create(options: GeneratorCreateOptions): Generator;
  /**
   * Optional: checks a step's `generatorKwargs` when the step is built, so that a bad option fails before
   * any trial runs instead of at the step's first `gen` call.
   * @throws GenerationStrategyError naming the option, what it accepts and how to fix it.
   */
  checkOptions?(options: Readonly<Record<string, JsonValue>>): void;
}

/** Whether a step's `generator` value is a ready generator rather than a spec. */
export function isGenerator(value: Generator | GeneratorSpec): value is Generator {
  return typeof (value as Partial<Generator>).gen === "function";
}

/** @throws GenerationStrategyError when a generator is asked for a number of arms that is not a positive integer. */
export function assertArmCount(generatorName: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new GenerationStrategyError(
      `${generatorName} generator asked for ${n} arms; n must be a positive integer.`,
    );
  }
}
