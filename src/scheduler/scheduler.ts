import type { BaseTrial, RunMetadata } from "../core/base-trial.js";
import type { Experiment } from "../core/experiment.js";
import type { ExperimentStore } from "../core/experiment-store.js";
import {
  isCapacityReporter,
  isMultiTrialRunner,
  isTrialStatusPoller,
  type TrialStatusMap,
} from "../core/runner.js";
import { TrialStatus } from "../core/trial-status.js";
import { SchedulerError } from "../errors.js";
import type { GenerationStrategy } from "../generation/index.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import { BestTrialTracker } from "./best-trial.js";
import { FailureAccounting } from "./failure-accounting.js";
import { createLoopHost, type LoopHost } from "./loop-host.js";
import { type OptimizationResult, summarizeRun } from "./optimization-result.js";
import { PollBackoff } from "./poll-backoff.js";
import { PollProcessor } from "./poll-processor.js";
import { RunLoop } from "./run-loop.js";
import { checkRunArgKeys, RUN_ARG_KEYS, type RunArgs, RunState } from "./run-state.js";
import { SchedulerOptions, type SchedulerView } from "./scheduler-options.js";
import {
  createSchedulerLogger,
  enforceImmutability,
  type FromStoredExperimentArgs,
  loadStoredSchedulerArgs,
  logRemainingTrials,
  noPollerMessage,
  resolveStoreProvider,
  type SchedulerArgs,
  validateSchedulerInputs,
} from "./scheduler-setup.js";
import { StoreSync } from "./store-sync.js";
import { TrialDeployer } from "./trial-deployer.js";

export type { RunArgs } from "./run-state.js";
export type { FromStoredExperimentArgs, SchedulerArgs } from "./scheduler-setup.js";

/** What the default {@link Scheduler.reportResults} returns (Ax's `(True, {})`). */
export interface ReportedResults {
  readonly success: boolean;
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** Whether to stop the optimization, and why (Ax's `completion_criterion` tuple). */
export interface CompletionDecision {
  readonly shouldStop: boolean;
  readonly message: string;
}

/** Arguments of {@link Scheduler.runAllTrials}. */
export type RunAllArgs = Omit<RunArgs, "maxTrials">;
/** runAllTrials takes the arguments of runNTrials but its trial count. */
const RUN_ALL_ARG_KEYS: ReadonlySet<string> = new Set([...RUN_ARG_KEYS].filter((key) => key !== "maxTrials"));

/**
 * Ax's Scheduler: a closed loop that deploys trials to an external system through the experiment's
 * runner, polls their status, fetches data of finished trials, and generates new trials from that data,
 * saving every change to an optional store. Subclass it as in the Ax tutorial: override
 * `pollTrialStatus()` (and optionally `runTrial`, `runTrials`, `pollAvailableCapacity`, `reportResults`,
 * `completionCriterion`).
 *
 * Every loop step costs O(trials in flight), never O(experiment): it reads the experiment's per-status
 * indexes and saves only what changed.
 * @example
 * class MockJobQueueScheduler extends Scheduler {
 *   override async pollTrialStatus() {
 *     const statuses = new Map<TrialStatus, Set<number>>();
 *     for (const trial of this.runningTrials) { ... }
 *     return statuses;
 *   }
 * }
 * const scheduler = new MockJobQueueScheduler({ experiment, generationStrategy, options: new SchedulerOptions() });
 * await scheduler.runNTrials({ maxTrials: 3 });
 */
export class Scheduler implements SchedulerView {
  private readonly exp: Experiment;
  private readonly gs: GenerationStrategy;
  private readonly opts: SchedulerOptions;
  private readonly log: Logger;
  private readonly clk: Clock;
  private readonly failures: FailureAccounting;
  private readonly sync: StoreSync;
  private readonly best: BestTrialTracker;
  private readonly deployer: TrialDeployer;
  private readonly poller: PollProcessor;
  private readonly loop: RunLoop;
  private pollScope: readonly BaseTrial[] | null = null;
  private activeRun: RunState | null = null;
  private lastRun: RunState | null = null;
  private lastRunEndMs: number | null = null;

  /**
   * @throws SchedulerError when the experiment has no optimization config, or no runner while
   * `runTrial`/`runTrials` are not overridden.
   */
  constructor(args: SchedulerArgs) {
    const className = this.constructor.name;
    this.opts = args?.options ?? new SchedulerOptions();
    const needsRunner =
      this.runTrial === Scheduler.prototype.runTrial && this.runTrials === Scheduler.prototype.runTrials;
    validateSchedulerInputs(className, args, this.opts, needsRunner);
    this.exp = args.experiment;
    this.gs = args.generationStrategy;
    this.clk = args.clock ?? this.exp.clock;
    const storeProvider = resolveStoreProvider(className, args.store, args.dbSettings);
    this.log = createSchedulerLogger(className, this.opts, this.clk, args.logger);
    enforceImmutability(this.exp, this.log);
    logRemainingTrials(this.exp, this.opts, this.log);
    this.failures = new FailureAccounting(this.opts);
    this.best = new BestTrialTracker(this.exp);
    this.sync = new StoreSync({
      store: storeProvider,
      isNew: !args.skipExperimentSave,
      experiment: this.exp,
      generationState: () => this.gs.toState(),
      logger: this.log,
      clock: this.clk,
      suppressErrors: this.opts.suppressStorageErrors,
      retrySeconds: this.opts.storageRetrySeconds,
      leaseTtlMs: this.opts.leaseTtlSeconds * 1000,
    });
    const host = this.createHost();
    this.poller = new PollProcessor(host);
    this.deployer = new TrialDeployer(host);
    const backoff = new PollBackoff(
      this.opts.initSecondsBetweenPolls,
      this.opts.secondsBetweenPollsBackoffFactor,
    );
    this.loop = new RunLoop(host, this.deployer, this.poller, backoff);
    if (!args.skipExperimentSave) this.sync.startExperimentSave();
  }

  /**
   * Resumes a stored experiment: loads it and its generation state from `store` and builds an instance
   * of the class this is called on (`MockJobQueueScheduler.fromStoredExperiment(...)` returns a
   * MockJobQueueScheduler), which keeps saving to `store`.
   * @throws SchedulerError when the experiment is not stored, or no generation strategy is stored and
   * none is given (or one is given although one is stored).
   */
  static async fromStoredExperiment<T extends Scheduler>(
    this: new (
      args: SchedulerArgs,
    ) => T,
    args: FromStoredExperimentArgs,
  ): Promise<T> {
    return new this(await loadStoredSchedulerArgs(args));
  }

  /** The experiment being optimized. */
  get experiment(): Experiment {
    return this.exp;
  }
  /** Where new trials come from. */
  get generationStrategy(): GenerationStrategy {
    return this.gs;
  }
  /** This scheduler's settings. */
  get options(): SchedulerOptions {
    return this.opts;
  }
  /** This scheduler's logger, named after its class. */
  get logger(): Logger {
    return this.log;
  }
  /** The time source. */
  get clock(): Clock {
    return this.clk;
  }
  /** The store every change is saved to, or null (also while database settings are not opened yet). */
  get store(): ExperimentStore | null {
    return this.sync.store;
  }

  /**
   * Trials currently RUNNING, by ascending index (what `pollTrialStatus` should report on). While one
   * trial is polled alone (after polling all of them failed), only that trial.
   */
  get runningTrials(): BaseTrial[] {
    return this.pollScope ? [...this.pollScope] : this.exp.runningTrials;
  }

  /** Trials CANDIDATE: generated, not deployed yet (deployed first by the next run). */
  get candidateTrials(): BaseTrial[] {
    return this.exp.trialsWithStatuses([TrialStatus.CANDIDATE]);
  }

  /**
   * Statuses of the running trials, as a map from status to trial indices (trials not mentioned stay as
   * they are). Default: the runner's `pollTrialStatus(this.runningTrials)`. Retried 3 times; when it keeps
   * failing, it is called again with `runningTrials` narrowed to one trial at a time.
   * @throws SchedulerError when the runner cannot poll and this method is not overridden.
   */
  async pollTrialStatus(): Promise<TrialStatusMap> {
    const runner = this.exp.runner;
    if (!isTrialStatusPoller(runner))
      throw new SchedulerError(noPollerMessage(this.constructor.name, this.exp.runner));
    return runner.pollTrialStatus(this.runningTrials);
  }

  /** How many trials can start now; -1 for unlimited. Default: the runner's, when it reports capacity, else -1. */
  async pollAvailableCapacity(): Promise<number> {
    const runner = this.exp.runner;
    return isCapacityReporter(runner) ? runner.pollAvailableCapacity() : -1;
  }

  /**
   * Deploys one trial and returns its run metadata (kept as `trial.runMetadata`). Default: the runner's
   * `run`. Retried 3 times; a trial whose run still fails is marked FAILED.
   * @throws SchedulerError when the experiment has no runner.
   */
  async runTrial(trial: BaseTrial): Promise<RunMetadata> {
    const runner = this.exp.runner;
    if (!runner)
      throw new SchedulerError(`Experiment "${this.exp.name}" has no runner to run trial ${trial.index}.`);
    return runner.run(trial);
  }

  /**
   * Deploys several trials (with `runTrialsInBatches`); returns run metadata by trial index. Trials left
   * out of the map stay CANDIDATE and are deployed again later. Default: the runner's `runMultiple` when
   * it has one, else `runTrial` for each.
   */
  async runTrials(trials: readonly BaseTrial[]): Promise<Map<number, RunMetadata>> {
    const runner = this.exp.runner;
    if (isMultiTrialRunner(runner)) return runner.runMultiple(trials);
    const out = new Map<number, RunMetadata>();
    for (const trial of trials) out.set(trial.index, await this.runTrial(trial));
    return out;
  }

  /**
   * Reports results whenever trials finished (e.g. to an external system); what it returns is yielded
   * by {@link runTrialsAndYieldResults}. Default: `{ success: true, outputs: {} }`.
   */
  reportResults(): unknown {
    const result: ReportedResults = { success: true, outputs: {} };
    return result;
  }

  /** Whether the optimization is complete. Default: once the experiment has `options.totalTrials` trials. */
  completionCriterion(): CompletionDecision {
    const total = this.opts.totalTrials;
    const shouldStop = total !== null && this.exp.numTrials >= total;
    return { shouldStop, message: shouldStop ? "Exceeding the total number of trials." : "" };
  }

  /**
   * Stops running trials: asks the runner to stop them (when it can), fetches their data and marks them
   * EARLY_STOPPED; saves the change. Trials not RUNNING are skipped.
   * @returns the trials that were stopped.
   */
  async stopTrialRuns(
    trials: readonly BaseTrial[],
    reasons?: readonly (string | null)[],
  ): Promise<BaseTrial[]> {
    await this.sync.experimentSaved();
    const stopped = await this.poller.stopTrials(trials, reasons, this.activeRun?.signal);
    await this.sync.flush();
    return stopped;
  }

  /**
   * Runs until `maxTrials` more trials were deployed and have finished (or the global stopping strategy,
   * the completion criterion, the timeout, an abort, or exhaustion of the generation strategy ends it
   * first; `ignoreGlobalStoppingStrategy: true` skips the strategy for this call).
   * @throws FailureRateExceededError after draining running trials when too many trials failed;
   * StorageError when a save fails (unless suppressed); SchedulerError for misuse.
   */
  async runNTrials(args: RunArgs): Promise<OptimizationResult> {
    const run = this.runTrialsAndYieldResults(args);
    for (;;) {
      const step = await run.next();
      if (step.done) return step.value;
    }
  }

  /**
   * Runs until the completion criterion holds (by default: `options.totalTrials` trials exist).
   * @throws SchedulerError when `options.totalTrials` is not set; otherwise as {@link runNTrials}.
   */
  async runAllTrials(args: RunAllArgs = {}): Promise<OptimizationResult> {
    checkRunArgKeys("runAllTrials", args, RUN_ALL_ARG_KEYS);
    const total = this.opts.totalTrials;
    if (total === null) {
      throw new SchedulerError(
        "runAllTrials needs options.totalTrials (new SchedulerOptions({ totalTrials: 20 })); or use runNTrials({ maxTrials }).",
      );
    }
    return this.runNTrials({ ...args, maxTrials: total });
  }

  /**
   * The loop, as an async generator yielding `reportResults()` whenever trials finished; it returns the
   * run's {@link OptimizationResult}. It polls once first (picking up trials that finished while the
   * process was down), then deploys, waits with backoff, polls and fetches until done.
   * @throws as {@link runNTrials}.
   */
  async *runTrialsAndYieldResults(args: RunArgs): AsyncGenerator<unknown, OptimizationResult, undefined> {
    const run = this.beginRun(args);
    try {
      await this.sync.experimentSaved();
      await this.sync.acquireLease();
      yield* this.loop.run(run);
      return this.summarizeFinalResult();
    } finally {
      this.endRun(run);
      await this.sync.releaseLease();
    }
  }

  /**
   * Generates up to `numTrials` trials and adds them as CANDIDATE trials without deploying them (the
   * next run deploys them first). Fewer, or none, when the generation strategy must wait or is done.
   */
  async generateCandidates(numTrials = 1): Promise<BaseTrial[]> {
    if (!Number.isInteger(numTrials) || numTrials < 1) {
      throw new SchedulerError(`generateCandidates needs a positive integer, got ${numTrials}.`);
    }
    if (this.activeRun) throw new SchedulerError("Cannot generate candidates while a run is in progress.");
    await this.sync.experimentSaved();
    const { trials } = await this.deployer.generate(numTrials, null);
    await this.sync.flush();
    return trials;
  }

  /** Summary of the last (or current) run: counts, added trials, why it ended, best point. */
  summarizeFinalResult(): OptimizationResult {
    const run = this.lastRun;
    const endMs = this.activeRun === run || this.lastRunEndMs === null ? this.clk.now() : this.lastRunEndMs;
    return summarizeRun(this.exp, run, this.best, endMs);
  }

  /**
   * Aborts the current run: it launches no more trials and returns promptly (a wait in progress ends
   * early), leaving running trials RUNNING. No-op when no run is in progress.
   */
  stop(): void {
    this.activeRun?.abort();
  }

  private beginRun(args: RunArgs): RunState {
    if (this.activeRun) {
      throw new SchedulerError(
        "A run is already in progress on this Scheduler; await it (or call stop()) first.",
      );
    }
    if (
      this.pollTrialStatus === Scheduler.prototype.pollTrialStatus &&
      !isTrialStatusPoller(this.exp.runner)
    ) {
      throw new SchedulerError(noPollerMessage(this.constructor.name, this.exp.runner));
    }
    const defaults = { timeoutHours: this.opts.timeoutHours, idleCallback: this.opts.idleCallback };
    const run = new RunState(args, defaults, this.clk.now());
    this.activeRun = run;
    this.lastRun = run;
    this.lastRunEndMs = null;
    return run;
  }

  private endRun(run: RunState): void {
    run.dispose();
    if (this.activeRun === run) this.activeRun = null;
    this.lastRunEndMs = this.clk.now();
  }

  private async withPollScope<T>(trials: readonly BaseTrial[], fn: () => Promise<T>): Promise<T> {
    this.pollScope = trials;
    try {
      return await fn();
    } finally {
      this.pollScope = null;
    }
  }

  private createHost(): LoopHost {
    return createLoopHost({
      experiment: this.exp,
      generationStrategy: this.gs,
      options: this.opts,
      logger: this.log,
      clock: this.clk,
      failures: this.failures,
      sync: this.sync,
      best: this.best,
      withPollScope: (trials, fn) => this.withPollScope(trials, fn),
      view: this,
      operations: this,
      currentRun: () => this.activeRun,
    });
  }
}

/** Ax 1.x name of {@link Scheduler} (the same class). */
export const Orchestrator = Scheduler;
/** Ax 1.x name of {@link Scheduler}. */
export type Orchestrator = Scheduler;
