import type { BaseTrial, RunMetadata } from "../core/base-trial.js";
import type { Experiment } from "../core/experiment.js";
import type { TrialStatusMap } from "../core/runner.js";
import type { GenerationStrategy } from "../generation/index.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import type { BestTrialTracker } from "./best-trial.js";
import { boundedCall } from "./bounded-call.js";
import type { FailureAccounting } from "./failure-accounting.js";
import { errorMessage, formatIndexList } from "./format.js";
import type { RunState } from "./run-state.js";
import type { SchedulerOptions, SchedulerView } from "./scheduler-options.js";
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
  /** The Scheduler's (overridable) `reportResults()`, awaited and bounded. */
  reportResults(): Promise<unknown>;
  /** The Scheduler's (overridable) `completionCriterion()`. */
  completionCriterion(): { readonly shouldStop: boolean; readonly message: string };
  /** Calls the run's idle callback with the Scheduler; its errors are logged. */
  callIdleCallback(): Promise<void>;
  /**
   * Calls user code bounded by `options.userCallTimeoutSeconds` and the current run's signal.
   * @throws UserCallTimeoutError, UserCallInterruptedError, or what the call threw.
   */
  callUser<T>(operation: string, fn: () => T | Promise<T>, trialIndex?: number): Promise<T>;
}

/** The Scheduler's overridable operations, called as they are (subclass overrides included). */
export interface SchedulerOperations {
  runTrial(trial: BaseTrial): Promise<RunMetadata>;
  runTrials(trials: readonly BaseTrial[]): Promise<Map<number, RunMetadata>>;
  pollAvailableCapacity(): Promise<number>;
  pollTrialStatus(): Promise<TrialStatusMap>;
  reportResults(): unknown;
  completionCriterion(): { readonly shouldStop: boolean; readonly message: string };
}

/** What {@link createLoopHost} builds a host from. */
export type LoopHostParts = Pick<
  LoopHost,
  | "experiment"
  | "generationStrategy"
  | "options"
  | "logger"
  | "clock"
  | "failures"
  | "sync"
  | "best"
  | "withPollScope"
> & {
  /** The Scheduler as its callbacks see it. */
  readonly view: SchedulerView;
  /** Its overridable operations. */
  readonly operations: SchedulerOperations;
  /** The run in progress, or null. */
  readonly currentRun: () => RunState | null;
};

/**
 * The host of a Scheduler's loop: every call into user code (the operations, which default to the
 * runner's, the metrics' fetches through {@link LoopHost.callUser}, and the hooks) is bounded by
 * `options.userCallTimeoutSeconds` and the current run's signal, so no user call can hang the loop.
 * @internal
 */
export function createLoopHost(parts: LoopHostParts): LoopHost {
  const { operations: ops, currentRun, logger } = parts;
  const callUser = <T>(operation: string, fn: () => T | Promise<T>, trialIndex?: number): Promise<T> =>
    boundedCall(fn, {
      operation,
      clock: parts.clock,
      timeoutSeconds: parts.options.userCallTimeoutSeconds,
      signal: currentRun()?.signal ?? null,
      ...(trialIndex === undefined ? {} : { trialIndex }),
    });
  return {
    experiment: parts.experiment,
    generationStrategy: parts.generationStrategy,
    options: parts.options,
    logger,
    clock: parts.clock,
    failures: parts.failures,
    sync: parts.sync,
    best: parts.best,
    withPollScope: parts.withPollScope,
    callUser,
    runTrial: (trial) => callUser(`run of trial ${trial.index}`, () => ops.runTrial(trial), trial.index),
    runTrials: (trials) =>
      callUser(`run of trials ${formatIndexList(trials.map((t) => t.index))}`, () => ops.runTrials(trials)),
    pollAvailableCapacity: () => callUser("pollAvailableCapacity", () => ops.pollAvailableCapacity()),
    pollTrialStatus: () => callUser("pollTrialStatus", () => ops.pollTrialStatus()),
    reportResults: () => callUser("reportResults", () => ops.reportResults()),
    // Synchronous by contract, so there is no wait to bound.
    completionCriterion: () => ops.completionCriterion(),
    callIdleCallback: async () => {
      const callback = currentRun()?.idleCallback ?? null;
      if (!callback) return;
      try {
        await callUser("idleCallback", () => callback(parts.view));
      } catch (error) {
        logger.warn(`idleCallback threw: ${errorMessage(error)}; continuing.`);
      }
    },
  };
}
