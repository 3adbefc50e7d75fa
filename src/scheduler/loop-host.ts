import type { BaseTrial, RunMetadata } from "../core/base-trial.js";
import type { Experiment } from "../core/experiment.js";
import type { TrialStatusMap } from "../core/runner.js";
import type { GenerationStrategy } from "../generation/index.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import type { BestTrialTracker } from "./best-trial.js";
import type { FailureAccounting } from "./failure-accounting.js";
import type { SchedulerOptions } from "./scheduler-options.js";
import type { StoreSync } from "./store-sync.js";

/**
 * What the loop's helpers (deployer, poll processor) need from their Scheduler: its state, and its
 * overridable operations, called through the Scheduler so that subclass overrides apply.
 * @internal
 */
export interface LoopHost {
  readonly experiment: Experiment;
  readonly generationStrategy: GenerationStrategy;
  readonly options: SchedulerOptions;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly failures: FailureAccounting;
  readonly sync: StoreSync;
  readonly best: BestTrialTracker;
  runTrial(trial: BaseTrial): Promise<RunMetadata>;
  runTrials(trials: readonly BaseTrial[]): Promise<Map<number, RunMetadata>>;
  pollAvailableCapacity(): Promise<number>;
  pollTrialStatus(): Promise<TrialStatusMap>;
  /** Runs `fn` while `runningTrials` returns only `trials` (polling one trial at a time). */
  withPollScope<T>(trials: readonly BaseTrial[], fn: () => Promise<T>): Promise<T>;
  /** The Scheduler's (overridable) `reportResults()`. */
  reportResults(): unknown;
  /** The Scheduler's (overridable) `completionCriterion()`. */
  completionCriterion(): { readonly shouldStop: boolean; readonly message: string };
  /** Calls `options.idleCallback` with the Scheduler; its errors are logged. */
  callIdleCallback(): Promise<void>;
}
