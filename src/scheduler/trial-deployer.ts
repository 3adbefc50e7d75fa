import type { BaseTrial, RunMetadata } from "../core/base-trial.js";
import { TrialType } from "../core/base-trial.js";
import type { GeneratorRun } from "../core/generator-run.js";
import { isTrialStopper } from "../core/runner.js";
import { TrialStatus } from "../core/trial-status.js";
import {
  DataRequiredError,
  GenerationStrategyCompletedError,
  MaxParallelismReachedError,
  RunMetadataError,
  SchedulerError,
  SearchSpaceExhaustedError,
  UserCallInterruptedError,
  UserCodeError,
} from "../errors.js";
import type { AbortSignalLike } from "../util/abort-signal.js";
import { errorMessage, formatIndexList } from "./format.js";
import type { LoopHost } from "./loop-host.js";
import { USER_CODE_ATTEMPTS, USER_CODE_RETRY_DELAY_MS, withRetries } from "./retry.js";
import { checkRunMetadata } from "./run-metadata-check.js";
import type { RunState } from "./run-state.js";

/** Why a deployment round could not deploy (more) trials. */
export type DeployBlock =
  | "capacity"
  | "maxPending"
  | "limit"
  | "parallelism"
  | "data"
  | "exhausted"
  /** Generation threw an unexpected error, kept in `run.generationError`. */
  | "error";

/** Result of one deployment round. */
export interface DeployOutcome {
  /** Trials that left CANDIDATE (RUNNING, or FAILED because `run` threw). */
  readonly deployed: number;
  /** What stopped the round from deploying more, if anything did. */
  readonly blockedBy: DeployBlock | null;
}

/** Result of asking the generation strategy for trials. */
export interface GenerateOutcome {
  readonly trials: BaseTrial[];
  readonly blockedBy: DeployBlock | null;
}

/**
 * Decides how many trials may start now, generates them and deploys them: earlier CANDIDATE trials
 * first, then new ones, one by one through `runTrial` or in one group through `runTrials`.
 * @internal
 */
export class TrialDeployer {
  private readonly host: LoopHost;
  /** When trials were last deployed (clock ms), for `minSecondsBeforePoll`. */
  lastDeployMs: number | null = null;

  constructor(host: LoopHost) {
    this.host = host;
  }

  /**
   * Deploys as many trials as capacity, `maxPendingTrials`, `totalTrials`, the run's `maxTrials` and
   * the generation strategy allow.
   */
  async deployRound(run: RunState): Promise<DeployOutcome> {
    const { experiment, options } = this.host;
    const capacity = await this.pollCapacity(run.signal);
    if (capacity !== -1 && capacity < 1) return { deployed: 0, blockedBy: "capacity" };
    const inFlight =
      experiment.countTrialsWithStatus(TrialStatus.RUNNING) +
      experiment.countTrialsWithStatus(TrialStatus.STAGED);
    const pendingRoom = options.maxPendingTrials - inFlight;
    if (pendingRoom < 1) return { deployed: 0, blockedBy: "maxPending" };
    const slots = Math.min(pendingRoom, run.remaining, capacity === -1 ? Number.POSITIVE_INFINITY : capacity);
    if (slots < 1) return { deployed: 0, blockedBy: "limit" };
    const candidates = this.candidates(slots);
    const totalLeft =
      options.totalTrials === null ? Number.POSITIVE_INFINITY : options.totalTrials - experiment.numTrials;
    const wanted = Math.min(slots - candidates.length, totalLeft);
    const outcome = options.runTrialsInBatches
      ? await this.deployGroupRound(candidates, wanted, run)
      : await this.deploySequentialRound(candidates, wanted, run);
    if (outcome.deployed > 0) {
      run.logNoTrialsReason = true;
      this.lastDeployMs = this.host.clock.now();
    }
    return outcome;
  }

  /** Generates all new trials of the round at once and deploys them with the candidates in one `runTrials` call. */
  private async deployGroupRound(
    candidates: BaseTrial[],
    wanted: number,
    run: RunState,
  ): Promise<DeployOutcome> {
    const generated = wanted > 0 ? await this.generate(wanted, run) : { trials: [], blockedBy: null };
    const trials = [...candidates, ...generated.trials];
    if (trials.length === 0) return { deployed: 0, blockedBy: generated.blockedBy ?? "limit" };
    return { deployed: await this.deployGroup(trials, run), blockedBy: generated.blockedBy };
  }

  /**
   * Deploys the candidates, then generates and deploys one trial at a time (as Ax's `run()` does), so
   * that an abort, a timeout or too many failures stop the round without leaving undeployed trials.
   */
  private async deploySequentialRound(
    candidates: BaseTrial[],
    wanted: number,
    run: RunState,
  ): Promise<DeployOutcome> {
    let deployed = await this.deployOneByOne(candidates, run);
    for (let k = 0; k < wanted && !this.mustPause(run); k++) {
      const generated = await this.generate(1, run);
      if (generated.trials.length === 0) {
        return { deployed, blockedBy: generated.blockedBy ?? "limit" };
      }
      deployed += await this.deployOneByOne(generated.trials, run, true);
    }
    return { deployed, blockedBy: deployed === 0 ? "limit" : null };
  }

  /** Between deployments, as between Ax's `run()` calls: an abort, a timeout or too many failures stop the round. */
  private mustPause(run: RunState): boolean {
    return (
      run.signal.aborted || run.isTimeoutReached(this.host.clock.now()) || this.host.failures.isExceeded()
    );
  }

  /**
   * Asks the generation strategy for up to `numTrials` trials and adds them as CANDIDATE trials.
   * Waiting conditions (max parallelism, data required) and exhaustion come back as `blockedBy`.
   * @throws other generation errors, and SchedulerError when a Trial would get several arms.
   */
  async generate(numTrials: number, run: RunState | null): Promise<GenerateOutcome> {
    const { experiment, generationStrategy: gs, options, sync } = this.host;
    const available = gs.numTrialsAvailable(experiment);
    // With none available, one attempt tells why (the strategy throws a typed error).
    const n = available === 0 ? 1 : Math.min(numTrials, available);
    const armsPerTrial = options.trialType === TrialType.BATCH_TRIAL ? (options.batchSize ?? 1) : 1;
    let runs: GeneratorRun[];
    try {
      runs = await gs.genForTrials({ experiment, numTrials: n, armsPerTrial });
    } catch (error) {
      return { trials: [], blockedBy: this.explainNoTrials(error, run) };
    }
    const trials = runs.map((r) => this.newTrial(r));
    for (const t of trials) {
      sync.trialChanged(t);
      run?.added.push(t.index);
    }
    sync.generationStateUpdated();
    return { trials, blockedBy: null };
  }

  private newTrial(generatorRun: GeneratorRun): BaseTrial {
    const { experiment, options } = this.host;
    const ttlSeconds = options.ttlSecondsForTrials;
    if (options.trialType === TrialType.BATCH_TRIAL) {
      return experiment.newBatchTrial({ generatorRuns: [generatorRun], ttlSeconds });
    }
    if (generatorRun.arms.length !== 1) {
      throw new SchedulerError(
        `The generation strategy produced ${generatorRun.arms.length} arms for a one-arm Trial; ` +
          'use trialType "BatchTrial" for several arms per trial.',
      );
    }
    return experiment.newTrial({ generatorRun, ttlSeconds });
  }

  /**
   * Logs (once per wait) why no trial can be generated now. Unexpected errors are kept on the run for
   * the loop to decide about (outside a run, they are thrown).
   */
  private explainNoTrials(error: unknown, run: RunState | null): DeployBlock {
    const { logger } = this.host;
    const once = (message: string): void => {
      if (run === null || run.logNoTrialsReason) logger.info(message);
      if (run) run.logNoTrialsReason = false;
      logger.debug(`Message from generation strategy: ${errorMessage(error)}`);
    };
    if (error instanceof MaxParallelismReachedError) {
      once("Generated all trials that can be generated currently. Max parallelism currently reached.");
      return "parallelism";
    }
    if (error instanceof DataRequiredError) {
      once(
        "Generated all trials that can be generated currently. Model requires more data to generate more trials.",
      );
      return "data";
    }
    if (error instanceof SearchSpaceExhaustedError || error instanceof GenerationStrategyCompletedError) {
      if (!run?.generationExhausted) logger.info(`Optimization complete: ${errorMessage(error)}`);
      if (run) run.generationExhausted = true;
      return "exhausted";
    }
    if (run === null) throw error;
    run.generationError = error;
    logger.debug(
      `Generation error: ${error instanceof Error ? (error.stack ?? error.message) : errorMessage(error)}`,
    );
    return "error";
  }

  /** Earliest CANDIDATE trials (those whose deployment did not happen yet), at most `limit`. */
  private candidates(limit: number): BaseTrial[] {
    const { experiment } = this.host;
    if (experiment.countTrialsWithStatus(TrialStatus.CANDIDATE) === 0) return [];
    const indices = [...experiment.trialIndicesWithStatus(TrialStatus.CANDIDATE)].sort((a, b) => a - b);
    return indices.slice(0, limit).map((i) => experiment.getTrial(i));
  }

  /**
   * Deploys `trials` in order until the run must pause. Trials generated just after such a check are
   * deployed unless the run was aborted, as Ax's `run()` deploys what it generated: a timeout passing
   * during a slow generation (model fitting) must not leave them CANDIDATE.
   */
  private async deployOneByOne(
    trials: readonly BaseTrial[],
    run: RunState,
    justGenerated = false,
  ): Promise<number> {
    let n = 0;
    for (const trial of trials) {
      if (justGenerated ? run.signal.aborted : this.mustPause(run)) break;
      this.host.logger.info(`Running trials ${formatIndexList([trial.index])}...`);
      this.attempted(trial, run);
      n++;
      try {
        const metadata = await this.retry(
          () => this.host.runTrial(trial),
          `run trial ${trial.index}`,
          run.signal,
        );
        this.markRunning(trial, metadata);
      } catch (error) {
        this.markRunFailed(trial, error);
        await this.stopRejectedJob(trial, error);
      }
    }
    return n;
  }

  private async deployGroup(trials: readonly BaseTrial[], run: RunState): Promise<number> {
    const indices = trials.map((t) => t.index);
    this.host.logger.info(`Running trials ${formatIndexList(indices)}...`);
    let metadata: Map<number, RunMetadata>;
    try {
      metadata = toMetadataMap(await this.retry(() => this.host.runTrials(trials), "run trials", run.signal));
    } catch (error) {
      for (const trial of trials) {
        this.attempted(trial, run);
        this.markRunFailed(trial, error);
      }
      return trials.length;
    }
    let n = 0;
    for (const trial of trials) {
      const meta = metadata.get(trial.index);
      if (meta === undefined) {
        this.host.logger.debug(`Trial ${trial.index} did not deploy; it stays CANDIDATE.`);
        continue;
      }
      this.attempted(trial, run);
      n++;
      try {
        this.markRunning(trial, meta);
      } catch (error) {
        this.markRunFailed(trial, error);
        await this.stopRejectedJob(trial, error);
      }
    }
    return n;
  }

  private attempted(trial: BaseTrial, run: RunState): void {
    run.deployed.add(trial.index);
    this.host.failures.recordRan(trial.index);
  }

  private markRunning(trial: BaseTrial, metadata: unknown): void {
    trial.updateRunMetadata(checkRunMetadata(trial.index, metadata));
    trial.markRunning();
    this.host.sync.trialChanged(trial);
  }

  private markRunFailed(trial: BaseTrial, error: unknown): void {
    const reason = errorMessage(error);
    this.host.logger.warn(`Running trial ${trial.index} failed: ${reason}. Marking it FAILED.`);
    if (trial.status === TrialStatus.CANDIDATE || trial.status === TrialStatus.STAGED)
      trial.markFailed(reason);
    this.host.failures.recordFailure(trial.index, "run", reason);
    this.host.sync.trialChanged(trial);
  }

  /**
   * A trial whose run metadata was refused is FAILED, but its job was started: ask the runner to stop it
   * (once, bounded like every user call), so that nothing runs for a trial the experiment gave up.
   */
  private async stopRejectedJob(trial: BaseTrial, error: unknown): Promise<void> {
    const runner = this.host.experiment.runner;
    if (!(error instanceof RunMetadataError) || !isTrialStopper(runner)) return;
    try {
      await this.host.callUser(
        `stop of trial ${trial.index}`,
        () => runner.stop(trial, "its run metadata could not be stored"),
        trial.index,
      );
    } catch (stopError) {
      this.host.logger.warn(
        `Could not stop the job of trial ${trial.index} on the runner: ${errorMessage(stopError)}.`,
      );
    }
  }

  private async pollCapacity(signal: AbortSignalLike): Promise<number> {
    let capacity: unknown;
    try {
      capacity = await this.retry(() => this.host.pollAvailableCapacity(), "poll available capacity", signal);
    } catch (error) {
      if (error instanceof SchedulerError) throw error;
      // Aborted while asking: deploy nothing; the loop sees the abort next.
      if (error instanceof UserCallInterruptedError) return 0;
      throw new UserCodeError(
        `pollAvailableCapacity failed after ${USER_CODE_ATTEMPTS} attempts: ${errorMessage(error)}`,
        {
          operation: "pollAvailableCapacity",
          cause: error,
        },
      );
    }
    if (typeof capacity !== "number" || Number.isNaN(capacity)) {
      throw new SchedulerError(
        `pollAvailableCapacity must return a number of trials (-1 for unlimited), got ${String(capacity)}.`,
      );
    }
    return capacity === -1 || capacity === Number.POSITIVE_INFINITY ? -1 : Math.floor(capacity);
  }

  private retry<T>(fn: () => Promise<T>, what: string, signal: AbortSignalLike): Promise<T> {
    return withRetries(fn, {
      attempts: USER_CODE_ATTEMPTS,
      clock: this.host.clock,
      initialDelayMs: USER_CODE_RETRY_DELAY_MS,
      signal,
      onRetry: (error, attempt) =>
        this.host.logger.warn(
          `Failed to ${what} (attempt ${attempt} of ${USER_CODE_ATTEMPTS}): ${errorMessage(error)}; retrying.`,
        ),
    });
  }
}

/** Accepts the Map that `runTrials` should return, or a plain object keyed by trial index. */
function toMetadataMap(value: unknown): Map<number, RunMetadata> {
  if (value instanceof Map) return value as Map<number, RunMetadata>;
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return new Map(Object.entries(value).map(([k, v]) => [Number(k), v as RunMetadata]));
  }
  throw new SchedulerError(`runTrials must return a Map<trialIndex, RunMetadata>, got ${String(value)}.`);
}
