import type { Experiment } from "../../core/experiment.js";
import type { JsonValue } from "../../core/json.js";
import { TrialStatus } from "../../core/trial-status.js";
import { GenerationStrategyError } from "../../errors.js";
import { GenerationStrategy } from "../../generation/generation-strategy.js";
import {
  type GenerationStrategyState,
  parseStrategyState,
} from "../../generation/generation-strategy-state.js";

/** One step of the generation strategy, as the report shows it. */
export interface ReportStrategyStep {
  /** The generator's name, e.g. "Sobol". */
  readonly generator: string;
  /** "Sobol for 5 trials", "BoTorch for subsequent trials". */
  readonly description: string;
  /** Trials of the experiment this step produced (any status). */
  readonly trialsProduced: number;
  /** Most trials in flight at once, or null for no limit. */
  readonly maxParallelism: number | null;
  /** Whether this is the step the strategy is at. */
  readonly current: boolean;
}

/** The generation strategy, its steps and why it was chosen. */
export interface ReportStrategy {
  readonly name: string;
  /** Why it was chosen, as `chooseGenerationStrategy` recorded it; null for a hand-built strategy. */
  readonly reason: string | null;
  readonly steps: readonly ReportStrategyStep[];
}

const ALL_STATUSES = Object.values(TrialStatus);

/**
 * The stored state of a strategy given as an instance or as stored JSON (`store.loadGenerationState`),
 * or null when there is none or it is not a valid strategy state (the report then leaves it out).
 */
export function strategyState(
  strategy: GenerationStrategy | JsonValue | null | undefined,
): GenerationStrategyState | null {
  if (strategy === null || strategy === undefined) return null;
  if (strategy instanceof GenerationStrategy) return strategy.toState();
  try {
    return parseStrategyState(strategy);
  } catch (error) {
    if (error instanceof GenerationStrategyError) return null;
    throw error;
  }
}

/**
 * The strategy as the report shows it. Read from the state alone, so a strategy whose generators this
 * process has not registered is still described.
 */
export function reportStrategy(state: GenerationStrategyState, experiment: Experiment): ReportStrategy {
  return {
    name: state.name,
    reason: state.reason ?? null,
    steps: state.steps.map((step, i) => ({
      generator: step.generator,
      description:
        step.numTrials === -1
          ? `${step.generator} for ${i === 0 ? "all" : "subsequent"} trials`
          : `${step.generator} for ${step.numTrials} trial${step.numTrials === 1 ? "" : "s"}`,
      trialsProduced: experiment.countStepTrials(i, ALL_STATUSES),
      maxParallelism: step.maxParallelism,
      current: i === state.currentStepIndex,
    })),
  };
}

/**
 * The strategy rebuilt from its state, for its models' warm start; null when a generator is not
 * registered in this process.
 */
export function restoredStrategy(state: GenerationStrategyState): GenerationStrategy | null {
  try {
    return GenerationStrategy.fromState(state as unknown as JsonValue);
  } catch (error) {
    if (error instanceof GenerationStrategyError) return null;
    throw error;
  }
}
