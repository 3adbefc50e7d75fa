import type { Arm } from "../core/arm.js";
import type { Experiment } from "../core/experiment.js";
import { GeneratorRun } from "../core/generator-run.js";
import type { JsonValue } from "../core/json.js";
import type { SearchSpace } from "../core/search-space.js";
import { TrialStatus } from "../core/trial-status.js";
import {
  DataRequiredError,
  GenerationStrategyCompletedError,
  GenerationStrategyError,
  MaxParallelismReachedError,
  SearchSpaceExhaustedError,
} from "../errors.js";
import { GenerationStep } from "./generation-step.js";
import {
  type GenerationStrategyState,
  parseStrategyState,
  restoreStep,
} from "./generation-strategy-state.js";
import { type Generator, isGenerator } from "./generator.js";

export type { GenerationStrategyState } from "./generation-strategy-state.js";

/** Statuses of trials that count toward a step's `numTrials` (FAILED and ABANDONED do not). */
const COUNTED: readonly TrialStatus[] = [
  TrialStatus.CANDIDATE,
  TrialStatus.STAGED,
  TrialStatus.RUNNING,
  TrialStatus.COMPLETED,
  TrialStatus.EARLY_STOPPED,
];
const OBSERVED: readonly TrialStatus[] = [TrialStatus.COMPLETED, TrialStatus.EARLY_STOPPED];
const IN_FLIGHT: readonly TrialStatus[] = [TrialStatus.CANDIDATE, TrialStatus.STAGED, TrialStatus.RUNNING];

/** Constructor options of {@link GenerationStrategy}. */
export interface GenerationStrategyOptions {
  steps: readonly GenerationStep[];
  /** Defaults to the generator names joined by "+", e.g. "Sobol+BoTorch". */
  name?: string;
  /** Base seed; step i's generator is seeded with `seed + i`. Default 0. */
  seed?: number;
  /**
   * Why these steps were chosen, in a sentence (`chooseGenerationStrategy` records its reason); stored
   * with the strategy so that reports can say it later. Default null (a strategy built by hand).
   */
  reason?: string | null;
}

/** Arguments of {@link GenerationStrategy.gen}. */
export interface GenerationStrategyGenArgs {
  experiment: Experiment;
  /** Arms in the run (1 for a Trial, more for a BatchTrial); default 1. */
  n?: number;
  /** Points to avoid / treat as pending; default `experiment.pendingArms`. */
  pendingArms?: readonly Arm[];
}

/** Arguments of {@link GenerationStrategy.genForTrials}. */
export interface GenForTrialsArgs {
  experiment: Experiment;
  /** Most generator runs (trials) wanted. */
  numTrials: number;
  /** Arms per run; default 1. */
  armsPerTrial?: number;
}

/** Where the strategy stands for an experiment, computed without side effects. */
type Resolution =
  | { kind: "ready"; stepIndex: number }
  | { kind: "data-required"; stepIndex: number; observed: number }
  | { kind: "max-parallelism"; stepIndex: number; inFlight: number }
  | { kind: "completed"; stepIndex: number };

/**
 * A sequence of generation steps (e.g. Sobol for 5 trials, then Bayesian optimization), moving from one
 * to the next as trials are created and observed, as in Ax.
 *
 * A step's trial count is the number of trials it produced (by `generationStepIndex`) that did not fail
 * and were not abandoned; its observed count, those COMPLETED or EARLY_STOPPED; its in-flight count,
 * those CANDIDATE, STAGED or RUNNING. The strategy moves on when count ≥ numTrials and
 * observed ≥ minTrialsObserved. Waiting conditions are typed errors: `DataRequiredError`,
 * `MaxParallelismReachedError`, and `GenerationStrategyCompletedError` after the last finite step.
 * @throws GenerationStrategyError for no steps, an unlimited step before the last, or a bad seed.
 * @example
 * const gs = new GenerationStrategy({ steps: [
 *   new GenerationStep({ generator: Generators.SOBOL, numTrials: 5 }),
 *   new GenerationStep({ generator: Generators.UNIFORM, numTrials: -1, maxParallelism: 3 }),
 * ] });
 * const run = await gs.gen({ experiment });
 * experiment.newTrial({ generatorRun: run });
 */
export class GenerationStrategy {
  readonly name: string;
  readonly seed: number;
  /** Why these steps were chosen (see {@link GenerationStrategyOptions.reason}), or null when not recorded. */
  readonly reason: string | null;
  private readonly stepList: readonly GenerationStep[];
  private index = 0;
  /** Generators built from specs, with the search space each was built for (a new space rebuilds it). */
  private readonly built: ({ generator: Generator; space: SearchSpace } | null)[];
  /** Generator states restored by {@link fromState}, used when the generator is first built. */
  private readonly savedStates: (JsonValue | null)[];

  constructor(options: GenerationStrategyOptions) {
    const steps = validateSteps(options?.steps ?? []);
    const seed = options.seed ?? 0;
    if (!Number.isInteger(seed)) throw new GenerationStrategyError(`Seed must be an integer, got ${seed}.`);
    this.stepList = steps;
    this.name = options.name ?? steps.map((s) => s.generatorName).join("+");
    this.seed = seed;
    this.reason = options.reason ?? null;
    this.built = steps.map(() => null);
    this.savedStates = steps.map(() => null);
  }

  /** The steps, in order. */
  get steps(): readonly GenerationStep[] {
    return this.stepList;
  }

  /** Index of the step that produced (or will produce) the latest generator run. */
  get currentStepIndex(): number {
    return this.index;
  }

  get currentStep(): GenerationStep {
    return this.stepList[this.index]!;
  }

  /** Name of the current step's generator, e.g. "Sobol". */
  get currentGeneratorName(): string {
    return this.currentStep.generatorName;
  }

  /** Whether the last step is finite and done, so no more trials can ever be generated. */
  isCompleted(experiment: Experiment): boolean {
    return this.resolve(experiment, []).kind === "completed";
  }

  /**
   * One generator run of `n` arms from the current step (moving to the next step first when the current
   * one is done), with `generationStepIndex` set.
   * @throws DataRequiredError, MaxParallelismReachedError (normal waits),
   * GenerationStrategyCompletedError, or the generator's errors (e.g. SearchSpaceExhaustedError).
   */
  async gen(args: GenerationStrategyGenArgs): Promise<GeneratorRun> {
    const n = args.n ?? 1;
    checkPositiveInteger("n", n);
    const r = this.resolve(args.experiment, []);
    if (r.kind !== "ready") throw this.errorFor(r);
    return this.genFromStep(r.stepIndex, args.experiment, n, args.pendingArms ?? args.experiment.pendingArms);
  }

  /**
   * Up to `numTrials` generator runs of `armsPerTrial` arms, one per future trial. Stops early, returning
   * fewer, when the next run would wait for data, exceed a step's maxParallelism (runs of this call count
   * as in flight, their arms as pending) or complete the strategy; it moves to the next step mid-call
   * when the current one is done.
   * @throws the waiting error (DataRequiredError, MaxParallelismReachedError,
   * GenerationStrategyCompletedError) or a generator error only when no run could be produced.
   */
  async genForTrials(args: GenForTrialsArgs): Promise<GeneratorRun[]> {
    const { experiment, numTrials } = args;
    const armsPerTrial = args.armsPerTrial ?? 1;
    checkPositiveInteger("armsPerTrial", armsPerTrial);
    if (!Number.isInteger(numTrials) || numTrials < 0) {
      throw new GenerationStrategyError(`numTrials must be a non-negative integer, got ${numTrials}.`);
    }
    const extra = this.stepList.map(() => 0);
    const pending = [...experiment.pendingArms];
    const runs: GeneratorRun[] = [];
    while (runs.length < numTrials) {
      const r = this.resolve(experiment, extra);
      if (r.kind !== "ready") {
        if (runs.length === 0) throw this.errorFor(r);
        break;
      }
      let run: GeneratorRun;
      try {
        run = await this.genFromStep(r.stepIndex, experiment, armsPerTrial, pending);
      } catch (e) {
        // The runs already made are valid; the next call reports the exhaustion.
        if (runs.length > 0 && e instanceof SearchSpaceExhaustedError) break;
        throw e;
      }
      runs.push(run);
      extra[r.stepIndex]! += 1;
      pending.push(...run.arms);
    }
    return runs;
  }

  /**
   * How many more trials can be generated now without an error: Infinity when unlimited, 0 when waiting
   * for data or parallelism or when completed. Costs O(steps), never O(trials).
   */
  numTrialsAvailable(experiment: Experiment): number {
    const r = this.resolve(experiment, []);
    if (r.kind !== "ready") return 0;
    let total = 0;
    for (let i = r.stepIndex; i < this.stepList.length; i++) {
      const step = this.stepList[i]!;
      const c = this.counts(experiment, i, []);
      const dataOk = c.observed >= step.minTrialsObserved;
      // Past numTrials (or before it, when not enforced and data is missing) the step keeps generating.
      const byTrials =
        step.isUnlimited || c.count >= step.numTrials || (!step.enforceNumTrials && !dataOk)
          ? Number.POSITIVE_INFINITY
          : step.numTrials - c.count;
      const byParallelism =
        step.maxParallelism === null ? Number.POSITIVE_INFINITY : step.maxParallelism - c.inFlight;
      const available = Math.max(0, Math.min(byTrials, byParallelism));
      total += available;
      const movesOn = Number.isFinite(byTrials) && available === byTrials && dataOk;
      if (!movesOn) break;
    }
    return total;
  }

  /** A JSON snapshot from which {@link fromState} rebuilds a strategy that continues identically. */
  toState(): GenerationStrategyState {
    return {
      name: this.name,
      seed: this.seed,
      currentStepIndex: this.index,
      steps: this.stepList.map((step, i) => ({
        generator: step.generatorName,
        name: step.name,
        numTrials: step.numTrials,
        minTrialsObserved: step.minTrialsObserved,
        maxParallelism: step.maxParallelism,
        enforceNumTrials: step.enforceNumTrials,
        generatorKwargs: { ...step.generatorKwargs },
        generatorState: this.generatorState(i),
      })),
      // Left out when not recorded, so states of hand-built strategies keep their shape.
      ...(this.reason === null ? {} : { reason: this.reason }),
    };
  }

  /**
   * Rebuilds a strategy from {@link toState}, its generators from the registry (built-in or
   * `registerGenerator`) with their saved state.
   * @throws GenerationStrategyError for a malformed state or a generator name that is not registered.
   */
  static fromState(state: JsonValue): GenerationStrategy {
    const parsed = parseStrategyState(state);
    const steps = parsed.steps.map((s, i) => restoreStep(s, i, parsed.name));
    const strategy = new GenerationStrategy({
      steps,
      name: parsed.name,
      seed: parsed.seed,
      reason: parsed.reason ?? null,
    });
    strategy.index = parsed.currentStepIndex;
    parsed.steps.forEach((s, i) => {
      strategy.savedStates[i] = s.generatorState;
    });
    return strategy;
  }

  /**
   * Puts this strategy back to a state it had (from its own {@link toState}), in place: the current step,
   * and the state of each generator built from a spec, which is rebuilt from it on next use (as
   * {@link fromState} does). A `Generator` instance given to a step keeps its own state. Used to undo
   * a generation whose trial could not be saved.
   * @throws GenerationStrategyError for a malformed state or one of another strategy (other steps).
   */
  restoreState(state: JsonValue): void {
    const parsed = parseStrategyState(state);
    const sameSteps =
      parsed.steps.length === this.stepList.length &&
      parsed.steps.every((s, i) => s.generator === this.stepList[i]!.generatorName);
    if (!sameSteps) {
      throw new GenerationStrategyError(
        `Cannot restore generation strategy '${this.name}' from the state of '${parsed.name}': the steps differ.`,
      );
    }
    this.index = parsed.currentStepIndex;
    parsed.steps.forEach((s, i) => {
      if (isGenerator(this.stepList[i]!.generator)) return;
      this.savedStates[i] = s.generatorState;
      this.built[i] = null;
    });
  }

  /** Ax's representation, e.g. `GenerationStrategy(name='Sobol+BoTorch', steps=[Sobol for 5 trials, BoTorch for subsequent trials])`. */
  toString(): string {
    const steps = this.stepList.map((s, i) => s.describe(i === 0));
    return `GenerationStrategy(name='${this.name}', steps=[${steps.join(", ")}])`;
  }

  private counts(
    experiment: Experiment,
    i: number,
    extra: readonly number[],
  ): { count: number; observed: number; inFlight: number } {
    const more = extra[i] ?? 0;
    return {
      count: experiment.countStepTrials(i, COUNTED) + more,
      observed: experiment.countStepTrials(i, OBSERVED),
      inFlight: experiment.countStepTrials(i, IN_FLIGHT) + more,
    };
  }

  /** The step to generate from, or why none can; `extra[i]` runs of step i are counted as in flight. */
  private resolve(experiment: Experiment, extra: readonly number[]): Resolution {
    for (let i = this.index; ; i++) {
      const step = this.stepList[i]!;
      const c = this.counts(experiment, i, extra);
      if (!step.isUnlimited && c.count >= step.numTrials) {
        if (c.observed >= step.minTrialsObserved) {
          if (i === this.stepList.length - 1) return { kind: "completed", stepIndex: i };
          continue;
        }
        if (step.enforceNumTrials) return { kind: "data-required", stepIndex: i, observed: c.observed };
      }
      if (step.maxParallelism !== null && c.inFlight >= step.maxParallelism) {
        return { kind: "max-parallelism", stepIndex: i, inFlight: c.inFlight };
      }
      return { kind: "ready", stepIndex: i };
    }
  }

  private errorFor(r: Exclude<Resolution, { kind: "ready" }>): GenerationStrategyError {
    const step = this.stepList[r.stepIndex]!;
    const label = `Generation step ${r.stepIndex} (${step.name})`;
    switch (r.kind) {
      case "data-required":
        return new DataRequiredError(
          `${label} has produced its ${step.numTrials} trials, but only ${r.observed} are observed ` +
            `(COMPLETED or EARLY_STOPPED) and it needs ${step.minTrialsObserved} before the strategy can move on. ` +
            "Wait for running trials to complete, then generate again.",
          { stepIndex: r.stepIndex },
        );
      case "max-parallelism":
        return new MaxParallelismReachedError(
          `${label} allows at most ${step.maxParallelism} trials in flight (CANDIDATE, STAGED or RUNNING) ` +
            `and has ${r.inFlight}. Wait for some to complete, or raise the step's maxParallelism.`,
          { stepIndex: r.stepIndex, maxParallelism: step.maxParallelism!, numRunning: r.inFlight },
        );
      case "completed":
        return new GenerationStrategyCompletedError(
          `Generation strategy '${this.name}' is completed: its last step (${step.name}) has produced all ` +
            `${step.numTrials} trials. Add a step with numTrials -1 to keep generating.`,
        );
    }
  }

  private async genFromStep(
    i: number,
    experiment: Experiment,
    n: number,
    pendingArms: readonly Arm[],
  ): Promise<GeneratorRun> {
    this.index = i;
    const generator = this.generatorFor(i, experiment);
    const run = await generator.gen({ experiment, n, pendingArms });
    if (run.arms.length !== n) {
      throw new GenerationStrategyError(
        `Generator "${generator.name}" returned ${run.arms.length} arms when asked for ${n}; a Generator must return exactly n.`,
      );
    }
    return new GeneratorRun({
      arms: run.arms,
      weights: run.weights,
      generatorName: run.generatorName,
      generationStepIndex: i,
      candidateMetadata: run.candidateMetadata,
      metadata: run.metadata,
      timeCreated: run.timeCreated,
    });
  }

  /** Step i's generator, created lazily from its spec for the experiment's current search space. */
  private generatorFor(i: number, experiment: Experiment): Generator {
    const step = this.stepList[i]!;
    if (isGenerator(step.generator)) return step.generator;
    const space = experiment.searchSpace;
    const existing = this.built[i]?.generator;
    if (existing && this.built[i]?.space === space) return existing;
    const generator = step.generator.create({
      searchSpace: space,
      seed: this.seed + i,
      state: existing ? (existing.getState?.() ?? null) : this.savedStates[i],
      options: step.generatorKwargs,
    });
    this.built[i] = { generator, space };
    return generator;
  }

  private generatorState(i: number): JsonValue {
    const step = this.stepList[i]!;
    const generator = isGenerator(step.generator) ? step.generator : this.built[i]?.generator;
    if (generator) return generator.getState?.() ?? null;
    return this.savedStates[i] ?? null;
  }
}

function validateSteps(steps: readonly GenerationStep[]): GenerationStep[] {
  if (steps.length === 0) throw new GenerationStrategyError("A GenerationStrategy needs at least one step.");
  steps.forEach((step, i) => {
    if (!(step instanceof GenerationStep)) {
      throw new GenerationStrategyError(
        `Step ${i} is not a GenerationStep; wrap it: new GenerationStep({...}).`,
      );
    }
    if (step.isUnlimited && i < steps.length - 1) {
      throw new GenerationStrategyError(
        `Step ${i} (${step.generatorName}) has numTrials -1 (unlimited) but is not the last step; ` +
          "only the last step may be unlimited, or the steps after it would never run.",
      );
    }
  });
  return [...steps];
}

function checkPositiveInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new GenerationStrategyError(`${field} must be a positive integer, got ${value}.`);
  }
}
