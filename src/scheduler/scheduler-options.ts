import type { BaseTrial } from "../core/base-trial.js";
import { TrialType } from "../core/base-trial.js";
import type { Experiment } from "../core/experiment.js";
import { SchedulerError } from "../errors.js";
import type { GenerationStrategy } from "../generation/index.js";
import { type Logger, LogLevel } from "../util/logger.js";
import type { GlobalStoppingStrategy } from "./global-stopping/global-stopping-strategy.js";
import type { OptimizationResult } from "./optimization-result.js";

/**
 * Decides which running trials to stop early from their partial data (Ax's `BaseEarlyStoppingStrategy`).
 * The Scheduler asks it at every poll round about the RUNNING trials; data of metrics that are
 * `isAvailableWhileRunning()` is fetched for those trials first.
 */
export interface EarlyStoppingStrategy {
  /**
   * Constant wait between poll rounds while this strategy is set, in seconds (no backoff, as in Ax);
   * when absent, the Scheduler's `initSecondsBetweenPolls` and backoff apply.
   */
  readonly secondsBetweenPolls?: number;
  /**
   * Which of `trialIndices` (all RUNNING) to stop, each with an optional reason.
   * @returns a map from trial index to reason (null for none); an empty map to stop nothing.
   */
  shouldStopTrialsEarly(args: {
    trialIndices: ReadonlySet<number>;
    experiment: Experiment;
  }): Map<number, string | null> | Promise<Map<number, string | null>>;
}

/**
 * What user callbacks see of a running Scheduler: its state and `stop()`. The Scheduler implements it;
 * the options name this view rather than the class, so the options do not depend on the Scheduler.
 */
export interface SchedulerView {
  /** The experiment being optimized. */
  readonly experiment: Experiment;
  /** Where new trials come from. */
  readonly generationStrategy: GenerationStrategy;
  /** The Scheduler's settings. */
  readonly options: SchedulerOptions;
  /** The Scheduler's logger. */
  readonly logger: Logger;
  /** Trials currently RUNNING, by ascending index. */
  readonly runningTrials: BaseTrial[];
  /** Summary of the current (or last) run. */
  summarizeFinalResult(): OptimizationResult;
  /** Aborts the current run: no more trials are launched and the run returns promptly. */
  stop(): void;
}

/** Called at every poll round while a Scheduler waits for trials (Ax's `idle_callback`). */
export type IdleCallback = (scheduler: SchedulerView) => void | Promise<void>;

/** Constructor argument of {@link SchedulerOptions}: Ax's `SchedulerOptions` fields in camelCase, all optional. */
export interface SchedulerOptionsInit {
  /** Deploy one-arm `Trial`s (default) or multi-arm `BatchTrial`s. */
  trialType?: TrialType;
  /** Arms per BatchTrial (only with `trialType: "BatchTrial"`); null means 1. */
  batchSize?: number | null;
  /** Limit on the experiment's number of trials; required by `runAllTrials`. Default null (no limit). */
  totalTrials?: number | null;
  /** Fraction of this scheduler's trials that may fail or be abandoned, in [0, 1). Default 0.5. */
  toleratedTrialFailureRate?: number;
  /** Failure-rate checks start once this many trials failed or were abandoned. Default 5. */
  minFailedTrialsForFailureRateCheck?: number;
  /** Also append log lines to this file. Default null. */
  logFilepath?: string | null;
  /** Minimum level logged, Python numbers (`LogLevel.INFO` = 20, the default). */
  loggingLevel?: LogLevel;
  /** Trials RUNNING longer than this many seconds are marked FAILED. Default null (no TTL). */
  ttlSecondsForTrials?: number | null;
  /** First wait between poll rounds, in seconds; 0 to poll without waiting. Default 1. */
  initSecondsBetweenPolls?: number;
  /** Least time between deploying a trial and the next poll, in seconds. Default 1. */
  minSecondsBeforePoll?: number;
  /** Each poll round that changes nothing multiplies the wait by this (>= 1). Default 1.5; 1 with an early-stopping strategy. */
  secondsBetweenPollsBackoffFactor?: number;
  /** Default timeout of each run, in hours. Default null (none). */
  timeoutHours?: number | null;
  /** Deploy groups of trials with `runTrials` instead of one by one with `runTrial`. Default false. */
  runTrialsInBatches?: boolean;
  /** Most trials CANDIDATE/STAGED/RUNNING at once. Default 10. */
  maxPendingTrials?: number;
  /** Stops running trials early from partial data. Default null. */
  earlyStoppingStrategy?: EarlyStoppingStrategy | null;
  /**
   * Ends the whole optimization (Ax's `global_stopping_strategy`): asked before trials are launched, and
   * when it says stop the run launches no more trials, waits for the running ones as at a normal end
   * (unless `waitForRunningTrials` is false) and records the reason in
   * `OptimizationResult.globalStoppingReason`. A run may skip it with `ignoreGlobalStoppingStrategy`.
   * Not stored: give it again to a resumed Scheduler. Default null.
   */
  globalStoppingStrategy?: GlobalStoppingStrategy | null;
  /**
   * Keep going while the store fails (true), or stop the run with a StorageError (false, default). When
   * true, nothing is dropped: failed saves are logged and stay queued, later saves retry them, lease
   * renewals are retried, and a run that ends with unsaved changes retries for `storageRetrySeconds`,
   * then throws an UnsavedChangesError listing them.
   */
  suppressStorageErrors?: boolean;
  /** At the end of a run, wait for the trials still running (true, default) or return at once. */
  waitForRunningTrials?: boolean;
  /** Called at every poll round while waiting. Default null. */
  idleCallback?: IdleCallback | null;
  /**
   * With `suppressStorageErrors`: how long a run that ends with unsaved changes (and a run start that
   * cannot take the lease) keeps retrying the store, with backoff, before it throws. Default 120.
   */
  storageRetrySeconds?: number;
  /**
   * Lifetime of the experiment's lease without renewal, in seconds (> 0). The running Scheduler renews
   * it as it goes; a lease left by a dead process on another host is taken over once expired. Default 60.
   */
  leaseTtlSeconds?: number;
  /**
   * Longest wait, in seconds, for any one call into user code (a runner's `run`, `pollTrialStatus`,
   * `pollAvailableCapacity`, `stop`, a metric's `fetchTrialData`, `reportResults`, `idleCallback`, an
   * early-stopping strategy's `shouldStopTrialsEarly`); a call
   * that takes longer counts as that call's failure. Default 600; null for no limit.
   */
  userCallTimeoutSeconds?: number | null;
}

const KNOWN_KEYS: ReadonlySet<string> = new Set([
  "trialType",
  "batchSize",
  "totalTrials",
  "toleratedTrialFailureRate",
  "minFailedTrialsForFailureRateCheck",
  "logFilepath",
  "loggingLevel",
  "ttlSecondsForTrials",
  "initSecondsBetweenPolls",
  "minSecondsBeforePoll",
  "secondsBetweenPollsBackoffFactor",
  "timeoutHours",
  "runTrialsInBatches",
  "maxPendingTrials",
  "earlyStoppingStrategy",
  "globalStoppingStrategy",
  "suppressStorageErrors",
  "waitForRunningTrials",
  "idleCallback",
  "storageRetrySeconds",
  "leaseTtlSeconds",
  "userCallTimeoutSeconds",
]);

/**
 * Settings of a Scheduler, with Ax's names (camelCase) and defaults. Immutable once built; every value is
 * checked, and an unknown key (e.g. Ax's snake_case `total_trials`) is refused.
 * @throws SchedulerError naming the option and the accepted values.
 * @example new SchedulerOptions({ totalTrials: 20, initSecondsBetweenPolls: 0.5 })
 */
export class SchedulerOptions {
  /** "Trial" (one arm, default) or "BatchTrial". */
  readonly trialType: TrialType;
  /** Arms per BatchTrial; null means 1. */
  readonly batchSize: number | null;
  /** Limit on the experiment's number of trials; null for none. */
  readonly totalTrials: number | null;
  /** Tolerated fraction of failed or abandoned trials, in [0, 1). */
  readonly toleratedTrialFailureRate: number;
  /** Failures needed before the failure rate is checked. */
  readonly minFailedTrialsForFailureRateCheck: number;
  /** File that log lines are appended to, or null. */
  readonly logFilepath: string | null;
  /** Minimum log level. */
  readonly loggingLevel: LogLevel;
  /** TTL given to every new trial, in seconds, or null. */
  readonly ttlSecondsForTrials: number | null;
  /** First wait between poll rounds, in seconds. */
  readonly initSecondsBetweenPolls: number;
  /** Least seconds between a deployment and the next poll. */
  readonly minSecondsBeforePoll: number;
  /** Growth factor of the wait between poll rounds that change nothing. */
  readonly secondsBetweenPollsBackoffFactor: number;
  /** Default timeout of each run in hours, or null. */
  readonly timeoutHours: number | null;
  /** Whether trials are deployed in groups through `runTrials`. */
  readonly runTrialsInBatches: boolean;
  /** Most trials pending (CANDIDATE, STAGED, RUNNING) at once. */
  readonly maxPendingTrials: number;
  /** Early-stopping strategy, or null. */
  readonly earlyStoppingStrategy: EarlyStoppingStrategy | null;
  /** Global stopping strategy, or null. */
  readonly globalStoppingStrategy: GlobalStoppingStrategy | null;
  /** Whether failed saves are logged and retried instead of stopping the run. */
  readonly suppressStorageErrors: boolean;
  /** Whether a run waits for its running trials before returning. */
  readonly waitForRunningTrials: boolean;
  /** Called at every poll round while waiting, or null. */
  readonly idleCallback: IdleCallback | null;
  /** Longest wait for one call into user code, in seconds, or null for none. */
  readonly userCallTimeoutSeconds: number | null;
  /** Seconds a run ending with unsaved changes retries the store (with `suppressStorageErrors`). */
  readonly storageRetrySeconds: number;
  /** Lifetime of the experiment's lease without renewal, in seconds. */
  readonly leaseTtlSeconds: number;

  constructor(init: SchedulerOptionsInit = {}) {
    if (init === null || typeof init !== "object") {
      throw new SchedulerError(`SchedulerOptions takes one object of options, got ${String(init)}.`);
    }
    for (const key of Object.keys(init)) {
      if (!KNOWN_KEYS.has(key)) {
        const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
        const hint = KNOWN_KEYS.has(camel) ? ` Did you mean "${camel}"?` : "";
        throw new SchedulerError(`Unknown SchedulerOptions option "${key}".${hint}`);
      }
    }
    this.trialType = checkTrialType(init.trialType ?? TrialType.TRIAL);
    this.batchSize = nullableInt("batchSize", init.batchSize, 1);
    this.totalTrials = nullableInt("totalTrials", init.totalTrials, 0);
    this.toleratedTrialFailureRate = checkRate(init.toleratedTrialFailureRate ?? 0.5);
    this.minFailedTrialsForFailureRateCheck = int(
      "minFailedTrialsForFailureRateCheck",
      init.minFailedTrialsForFailureRateCheck ?? 5,
      1,
    );
    this.logFilepath = init.logFilepath ?? null;
    this.loggingLevel = checkLevel(init.loggingLevel ?? LogLevel.INFO);
    this.ttlSecondsForTrials = nullableSeconds("ttlSecondsForTrials", init.ttlSecondsForTrials, true);
    this.initSecondsBetweenPolls = seconds("initSecondsBetweenPolls", init.initSecondsBetweenPolls ?? 1);
    this.minSecondsBeforePoll = seconds("minSecondsBeforePoll", init.minSecondsBeforePoll ?? 1);
    this.earlyStoppingStrategy = checkEarlyStopping(init.earlyStoppingStrategy ?? null);
    this.globalStoppingStrategy = checkGlobalStopping(init.globalStoppingStrategy ?? null);
    // As in Ax: early stopping needs polls at a steady pace, so the backoff factor is forced to 1.
    this.secondsBetweenPollsBackoffFactor =
      this.earlyStoppingStrategy === null ? checkBackoff(init.secondsBetweenPollsBackoffFactor ?? 1.5) : 1;
    this.timeoutHours = nullableSeconds("timeoutHours", init.timeoutHours, false);
    this.runTrialsInBatches = bool("runTrialsInBatches", init.runTrialsInBatches ?? false);
    this.maxPendingTrials = int("maxPendingTrials", init.maxPendingTrials ?? 10, 1);
    this.suppressStorageErrors = bool("suppressStorageErrors", init.suppressStorageErrors ?? false);
    this.waitForRunningTrials = bool("waitForRunningTrials", init.waitForRunningTrials ?? true);
    this.idleCallback = checkCallback(init.idleCallback ?? null);
    this.userCallTimeoutSeconds =
      init.userCallTimeoutSeconds === null
        ? null
        : nullableSeconds("userCallTimeoutSeconds", init.userCallTimeoutSeconds ?? 600, true);
    this.storageRetrySeconds = seconds("storageRetrySeconds", init.storageRetrySeconds ?? 120);
    this.leaseTtlSeconds = positiveSeconds("leaseTtlSeconds", init.leaseTtlSeconds ?? 60);
    if (this.batchSize !== null && this.batchSize > 1 && this.trialType !== TrialType.BATCH_TRIAL) {
      throw new SchedulerError(
        `batchSize ${this.batchSize} needs trialType "BatchTrial"; a Trial holds exactly one arm.`,
      );
    }
    Object.freeze(this);
  }

  /** A copy with some options replaced. */
  with(overrides: SchedulerOptionsInit): SchedulerOptions {
    return new SchedulerOptions({ ...this.toInit(), ...overrides });
  }

  /** The options as a plain constructor argument. */
  toInit(): Required<SchedulerOptionsInit> {
    return {
      trialType: this.trialType,
      batchSize: this.batchSize,
      totalTrials: this.totalTrials,
      toleratedTrialFailureRate: this.toleratedTrialFailureRate,
      minFailedTrialsForFailureRateCheck: this.minFailedTrialsForFailureRateCheck,
      logFilepath: this.logFilepath,
      loggingLevel: this.loggingLevel,
      ttlSecondsForTrials: this.ttlSecondsForTrials,
      initSecondsBetweenPolls: this.initSecondsBetweenPolls,
      minSecondsBeforePoll: this.minSecondsBeforePoll,
      secondsBetweenPollsBackoffFactor: this.secondsBetweenPollsBackoffFactor,
      timeoutHours: this.timeoutHours,
      runTrialsInBatches: this.runTrialsInBatches,
      maxPendingTrials: this.maxPendingTrials,
      earlyStoppingStrategy: this.earlyStoppingStrategy,
      globalStoppingStrategy: this.globalStoppingStrategy,
      suppressStorageErrors: this.suppressStorageErrors,
      waitForRunningTrials: this.waitForRunningTrials,
      idleCallback: this.idleCallback,
      storageRetrySeconds: this.storageRetrySeconds,
      leaseTtlSeconds: this.leaseTtlSeconds,
      userCallTimeoutSeconds: this.userCallTimeoutSeconds,
    };
  }
}

/** Ax 1.x name of {@link SchedulerOptions} (the same class). */
export const OrchestratorOptions = SchedulerOptions;
/** Ax 1.x name of {@link SchedulerOptions}. */
export type OrchestratorOptions = SchedulerOptions;

function fail(message: string): never {
  throw new SchedulerError(message);
}

function checkTrialType(value: unknown): TrialType {
  if (value === TrialType.TRIAL || value === TrialType.BATCH_TRIAL) return value;
  return fail(
    `trialType must be "Trial" or "BatchTrial" (TrialType.TRIAL / TrialType.BATCH_TRIAL), got ${String(value)}.`,
  );
}

function int(name: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    fail(`${name} must be an integer >= ${min}, got ${String(value)}.`);
  }
  return value;
}

function nullableInt(name: string, value: unknown, min: number): number | null {
  return value === null || value === undefined ? null : int(name, value, min);
}

function seconds(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    fail(`${name} must be a finite number of seconds >= 0, got ${String(value)}.`);
  }
  return value;
}

function nullableSeconds(name: string, value: unknown, positive: boolean): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "number" || Number.isNaN(value) || value < 0 || (positive && value === 0)) {
    fail(`${name} must be a number ${positive ? "> 0" : ">= 0"} or null, got ${String(value)}.`);
  }
  return value;
}

function checkRate(value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value < 1)) {
    fail(`toleratedTrialFailureRate must be in [0, 1), got ${String(value)}.`);
  }
  return value;
}

function checkBackoff(value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 1) {
    fail(`secondsBetweenPollsBackoffFactor must be a finite number >= 1, got ${String(value)}.`);
  }
  return value;
}

function checkLevel(value: unknown): LogLevel {
  if ((Object.values(LogLevel) as unknown[]).includes(value)) return value as LogLevel;
  return fail(
    `loggingLevel must be one of ${Object.values(LogLevel).join(", ")} (LogLevel), got ${String(value)}.`,
  );
}

function bool(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") fail(`${name} must be true or false, got ${String(value)}.`);
  return value;
}

function checkEarlyStopping(value: EarlyStoppingStrategy | null): EarlyStoppingStrategy | null {
  if (value !== null && typeof value?.shouldStopTrialsEarly !== "function") {
    fail("earlyStoppingStrategy must have a shouldStopTrialsEarly({ trialIndices, experiment }) method.");
  }
  const s = value?.secondsBetweenPolls;
  if (s !== undefined) seconds("earlyStoppingStrategy.secondsBetweenPolls", s);
  return value;
}

function checkGlobalStopping(value: GlobalStoppingStrategy | null): GlobalStoppingStrategy | null {
  if (value !== null && typeof value?.shouldStopOptimization !== "function") {
    fail(
      "globalStoppingStrategy must have a shouldStopOptimization(experiment) method returning { stop, reason } " +
        "(e.g. new ImprovementGlobalStoppingStrategy({ minTrials: 10 })).",
    );
  }
  return value;
}

function checkCallback(value: IdleCallback | null): IdleCallback | null {
  if (value !== null && typeof value !== "function") {
    fail(`idleCallback must be a function (scheduler) => void, got ${typeof value}.`);
  }
  return value;
}

function positiveSeconds(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    fail(`${name} must be a finite number of seconds > 0, got ${String(value)}.`);
  }
  return value;
}
