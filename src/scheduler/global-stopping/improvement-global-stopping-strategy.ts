import type { Experiment } from "../../core/experiment.js";
import { Objective } from "../../core/objective.js";
import { TrialStatus } from "../../core/trial-status.js";
import { GlobalStoppingStrategyError } from "../../errors.js";
import { BaseGlobalStoppingStrategy, type GlobalStoppingDecision } from "./global-stopping-strategy.js";
import { hypervolumeImprovementDecision } from "./hypervolume-improvement.js";
import { objectiveImprovementDecision } from "./objective-improvement.js";

/** Options of {@link ImprovementGlobalStoppingStrategy}, with Ax's defaults. */
export interface ImprovementGlobalStoppingOptions {
  /** Completed trials before stopping is considered (an integer >= 1). Default 5. */
  minTrials?: number;
  /**
   * Completed trials the improvement is measured over (an integer >= 2); stopping is considered from
   * `max(minTrials, windowSize)` completed trials on. Default 5.
   */
  windowSize?: number;
  /**
   * Least improvement that keeps the optimization going (>= 0): a fraction of the interquartile range
   * of the objective values (one objective), or of the hypervolume at the start of the window (several).
   * Default 0.1.
   */
  improvementBar?: number;
  /** While any trial is RUNNING, never say stop. Default true. */
  inactiveWhenPendingTrials?: boolean;
}

/** The plain description of an {@link ImprovementGlobalStoppingStrategy}, as a config file writes it. */
export interface ImprovementGlobalStoppingConfig extends Required<ImprovementGlobalStoppingOptions> {
  readonly type: "improvement";
}

const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  "minTrials",
  "windowSize",
  "improvementBar",
  "inactiveWhenPendingTrials",
]);

/**
 * Stops the optimization when the last `windowSize` completed trials brought no significant improvement
 * among feasible trials (those whose observed means satisfy the outcome constraints): Ax's
 * `ImprovementGlobalStoppingStrategy`.
 * - One objective: the gain of the best feasible value over the window, divided by the interquartile
 *   range of all feasible values observed, must reach `improvementBar`.
 * - Several objectives: the hypervolume of the feasible observations must grow over the window by at
 *   least `improvementBar` times its value at the start of the window; its reference point is the
 *   objective thresholds, else inferred once from the observed front.
 *
 * It never stops while trials run (with `inactiveWhenPendingTrials`), nor before
 * `max(minTrials, windowSize)` trials are COMPLETED.
 * @throws GlobalStoppingStrategyError naming the option for an invalid or unknown option.
 * @example
 * const options = new SchedulerOptions({
 *   totalTrials: 100,
 *   globalStoppingStrategy: new ImprovementGlobalStoppingStrategy({ minTrials: 10, improvementBar: 0.05 }),
 * });
 */
export class ImprovementGlobalStoppingStrategy extends BaseGlobalStoppingStrategy {
  /** Completed trials the improvement is measured over. */
  readonly windowSize: number;
  /** Least relative improvement that keeps the optimization going. */
  readonly improvementBar: number;
  // Reference points inferred for multi-objective experiments, kept per experiment (as Ax: inferred once).
  private readonly references = new WeakMap<Experiment, Float64Array>();

  constructor(options: ImprovementGlobalStoppingOptions = {}) {
    checkKeys(options);
    super({
      minTrials: options.minTrials ?? 5,
      inactiveWhenPendingTrials: options.inactiveWhenPendingTrials ?? true,
    });
    const { windowSize = 5, improvementBar = 0.1 } = options;
    if (typeof windowSize !== "number" || !Number.isInteger(windowSize) || windowSize < 2) {
      throw new GlobalStoppingStrategyError(
        "ImprovementGlobalStoppingStrategy: windowSize must be an integer >= 2 (a window of one trial " +
          `compares the best value with itself), got ${String(windowSize)}.`,
        { option: "windowSize" },
      );
    }
    if (typeof improvementBar !== "number" || !Number.isFinite(improvementBar) || improvementBar < 0) {
      throw new GlobalStoppingStrategyError(
        `ImprovementGlobalStoppingStrategy: improvementBar must be a finite number >= 0 (e.g. 0.1), got ${String(improvementBar)}.`,
        { option: "improvementBar" },
      );
    }
    this.windowSize = windowSize;
    this.improvementBar = improvementBar;
  }

  /** The options as a config file writes them (`globalStopping:`). */
  toJSON(): ImprovementGlobalStoppingConfig {
    return {
      type: "improvement",
      minTrials: this.minTrials,
      windowSize: this.windowSize,
      improvementBar: this.improvementBar,
      inactiveWhenPendingTrials: this.inactiveWhenPendingTrials,
    };
  }

  override toString(): string {
    return (
      `ImprovementGlobalStoppingStrategy(minTrials=${this.minTrials}, windowSize=${this.windowSize}, ` +
      `improvementBar=${this.improvementBar}, inactiveWhenPendingTrials=${this.inactiveWhenPendingTrials})`
    );
  }

  /**
   * @throws GlobalStoppingStrategyError when the experiment has no optimization config.
   */
  protected override decide(experiment: Experiment): GlobalStoppingDecision {
    const config = experiment.optimizationConfig;
    if (!config) {
      throw new GlobalStoppingStrategyError(
        `ImprovementGlobalStoppingStrategy: experiment "${experiment.name}" has no optimization config, so there is no improvement to measure.`,
        { option: "experiment" },
      );
    }
    const completed = [...experiment.trialIndicesWithStatus(TrialStatus.COMPLETED)].sort((a, b) => a - b);
    const required = Math.max(this.minTrials, this.windowSize);
    if (completed.length < required) {
      return {
        stop: false,
        reason: `Only ${completed.length} trials are completed; judging improvement over a window of ${this.windowSize} needs ${required}.`,
      };
    }
    if (config.objective instanceof Objective) {
      return objectiveImprovementDecision(experiment, config, config.objective, completed, this);
    }
    return hypervolumeImprovementDecision(experiment, config, completed, this, this.references);
  }
}

function checkKeys(options: unknown): void {
  if (options === null || typeof options !== "object") {
    throw new GlobalStoppingStrategyError(
      `ImprovementGlobalStoppingStrategy takes one object of options, got ${String(options)}.`,
      { option: "options" },
    );
  }
  for (const key of Object.keys(options)) {
    if (KNOWN_OPTIONS.has(key)) continue;
    const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    const hint = KNOWN_OPTIONS.has(camel) ? ` Did you mean "${camel}"?` : "";
    throw new GlobalStoppingStrategyError(
      `ImprovementGlobalStoppingStrategy: unknown option "${key}"; it takes ${[...KNOWN_OPTIONS].join(", ")}.${hint}`,
      { option: key },
    );
  }
}
