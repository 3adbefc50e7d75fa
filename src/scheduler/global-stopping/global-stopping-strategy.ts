import type { Experiment } from "../../core/experiment.js";
import { TrialStatus } from "../../core/trial-status.js";
import { GlobalStoppingStrategyError } from "../../errors.js";

/** Whether to stop the whole optimization, and why (in plain words, also when it goes on). */
export interface GlobalStoppingDecision {
  /** True to launch no more trials. */
  readonly stop: boolean;
  /** Why: the rule that fired, or why it did not (too few trials, trials still running, ...). */
  readonly reason: string;
}

/**
 * Decides whether the whole optimization should end (Ax's `BaseGlobalStoppingStrategy`), e.g. because
 * the best value stopped improving and more trials are unlikely to pay for themselves. Unlike an
 * early-stopping strategy, which stops single running trials, it ends the launching of new trials.
 *
 * The Scheduler asks it before it launches trials (`SchedulerOptions.globalStoppingStrategy`); the Client
 * asks it in `shouldStopOptimization()`. It may be synchronous or return a promise. Implement it directly,
 * or extend {@link BaseGlobalStoppingStrategy} to get Ax's `minTrials` and `inactiveWhenPendingTrials`.
 */
export interface GlobalStoppingStrategy {
  /**
   * Whether to stop the optimization of `experiment` now, with the reason.
   * @throws what the strategy throws for an experiment it cannot judge (the Scheduler ends the run then).
   */
  shouldStopOptimization(experiment: Experiment): GlobalStoppingDecision | Promise<GlobalStoppingDecision>;
}

/** Options every {@link BaseGlobalStoppingStrategy} takes. */
export interface BaseGlobalStoppingOptions {
  /** Completed trials needed before the strategy may say stop (an integer >= 1). */
  readonly minTrials: number;
  /** While any trial is RUNNING, never say stop (default true, as in Ax). */
  readonly inactiveWhenPendingTrials?: boolean;
}

/**
 * Base of global stopping strategies with Ax's two preconditions: no stop while trials are RUNNING (with
 * `inactiveWhenPendingTrials`), and none before `minTrials` trials are COMPLETED. Only when both pass is
 * the subclass's {@link BaseGlobalStoppingStrategy.decide} asked.
 * @throws GlobalStoppingStrategyError naming the option when `minTrials` is not an integer >= 1 or
 * `inactiveWhenPendingTrials` is not a boolean.
 */
export abstract class BaseGlobalStoppingStrategy implements GlobalStoppingStrategy {
  /** Completed trials needed before the strategy may say stop. */
  readonly minTrials: number;
  /** Whether running trials keep the strategy from saying stop. */
  readonly inactiveWhenPendingTrials: boolean;

  constructor(options: BaseGlobalStoppingOptions) {
    const { minTrials, inactiveWhenPendingTrials = true } = options;
    if (typeof minTrials !== "number" || !Number.isInteger(minTrials) || minTrials < 1) {
      throw new GlobalStoppingStrategyError(
        `${new.target.name}: minTrials must be an integer >= 1 (completed trials before stopping is ` +
          `considered), got ${String(minTrials)}.`,
        { option: "minTrials" },
      );
    }
    if (typeof inactiveWhenPendingTrials !== "boolean") {
      throw new GlobalStoppingStrategyError(
        `${new.target.name}: inactiveWhenPendingTrials must be true or false, got ${String(inactiveWhenPendingTrials)}.`,
        { option: "inactiveWhenPendingTrials" },
      );
    }
    this.minTrials = minTrials;
    this.inactiveWhenPendingTrials = inactiveWhenPendingTrials;
  }

  /** Checks the preconditions (running trials, `minTrials`), then asks {@link decide}. */
  shouldStopOptimization(experiment: Experiment): GlobalStoppingDecision | Promise<GlobalStoppingDecision> {
    const running = experiment.countTrialsWithStatus(TrialStatus.RUNNING);
    if (this.inactiveWhenPendingTrials && running > 0) {
      return {
        stop: false,
        reason: `${running} trial${running === 1 ? " is" : "s are"} still running (inactiveWhenPendingTrials).`,
      };
    }
    const completed = experiment.countTrialsWithStatus(TrialStatus.COMPLETED);
    if (completed < this.minTrials) {
      return {
        stop: false,
        reason: `Only ${completed} trial${completed === 1 ? " is" : "s are"} completed; ${this.constructor.name} needs at least ${this.minTrials} (minTrials).`,
      };
    }
    return this.decide(experiment);
  }

  /**
   * The strategy's own rule, asked once no trial runs (with `inactiveWhenPendingTrials`) and at least
   * `minTrials` trials are COMPLETED.
   */
  protected abstract decide(experiment: Experiment): GlobalStoppingDecision | Promise<GlobalStoppingDecision>;
}
