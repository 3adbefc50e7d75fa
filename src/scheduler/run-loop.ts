import { TrialStatus } from "../core/trial-status.js";
import { SchedulerError, UserCallInterruptedError, UserCallTimeoutError, UserHookError } from "../errors.js";
import { errorMessage, formatIndexList, formatPollSeconds, formatPythonNumber } from "./format.js";
import type { LoopHost } from "./loop-host.js";
import type { PollBackoff } from "./poll-backoff.js";
import type { PollProcessor } from "./poll-processor.js";
import type { RunState } from "./run-state.js";
import { TrialChangeWake } from "./trial-change-wake.js";
import type { TrialDeployer } from "./trial-deployer.js";

/**
 * The Scheduler's loop over one run: poll once, then deploy as much as allowed, wait for a status change
 * with backoff, report, and repeat until launching ends; then drain the running trials and check the
 * failure rate. Yields `reportResults()` whenever trials finished.
 * @internal
 */
export class RunLoop {
  private readonly host: LoopHost;
  private readonly deployer: TrialDeployer;
  private readonly poller: PollProcessor;
  private readonly backoff: PollBackoff;
  /** Listens to the runner during a run (a runner that says when trials change gets polled at once). */
  private wake: TrialChangeWake = new TrialChangeWake(null);

  constructor(host: LoopHost, deployer: TrialDeployer, poller: PollProcessor, backoff: PollBackoff) {
    this.host = host;
    this.deployer = deployer;
    this.poller = poller;
    this.backoff = backoff;
  }

  /**
   * Runs the loop.
   * @throws FailureRateExceededError (after draining) when too many trials failed.
   */
  async *run(run: RunState): AsyncGenerator<unknown, void, undefined> {
    this.wake = new TrialChangeWake(this.host.experiment.runner);
    try {
      yield* this.loop(run);
    } catch (error) {
      // A hook that ends the run leaves the record as the run left it: save what changed first.
      if (error instanceof UserHookError) await this.host.sync.flush();
      // With suppressed storage errors, an error must not also cost what is still queued.
      await this.host.sync.flushBeforeThrowing();
      throw error;
    } finally {
      this.wake.dispose();
    }
  }

  private async *loop(run: RunState): AsyncGenerator<unknown, void, undefined> {
    const { host } = this;
    if (host.experiment.countTrialsWithStatus(TrialStatus.RUNNING) > 0) await this.sleepIfTooEarlyToPoll(run);
    if (await this.pollAndSave(run)) yield* this.report();
    while (!(await this.shouldStopLaunching(run))) {
      // Deploying is a status change too: the next wait starts from the initial interval, as in Ax.
      if ((await this.deployWhilePossible(run)) > 0) this.backoff.reset();
      await host.sync.flush();
      if (this.mustHalt(run) || (run.remaining <= 0 && !host.options.waitForRunningTrials)) break;
      // As in Ax, every deployment round is followed by a wait, even the last one of the run.
      if (await this.waitForChange(run)) yield* this.report();
    }
    yield* this.drain(run);
    await host.sync.flushAll();
    if (run.failureRateExceeded || (!run.aborted && !run.timedOut && host.failures.isExceeded(true))) {
      run.failureRateExceeded = true;
      throw host.failures.toError();
    }
    if (!run.aborted && !run.timedOut) this.warnIfNonTerminalTrials();
    // As Ax, the completion (or abort) report is always the last thing yielded.
    yield* this.report();
  }

  /**
   * Yields `reportResults()`. A report that throws is logged and skipped: reporting is for observers,
   * and the run (and the experiment it records) goes on without it.
   */
  private async *report(): AsyncGenerator<unknown, void, undefined> {
    let value: unknown;
    try {
      value = await this.host.reportResults();
    } catch (error) {
      this.host.logger.error(`reportResults threw: ${errorMessage(error)}; continuing the run.`);
      return;
    }
    yield value;
  }

  /** The completion criterion; one that throws ends the run, since whether to go on is unknown. */
  private completion(): { readonly shouldStop: boolean; readonly message: string } {
    try {
      return this.host.completionCriterion();
    } catch (error) {
      this.host.logger.error(
        `completionCriterion threw: ${errorMessage(error)}; ending the run (running trials stay RUNNING).`,
      );
      throw new UserHookError(
        `completionCriterion threw: ${errorMessage(error)}. The run ended with its trials saved as they were ` +
          "(running ones stay RUNNING, a later run picks them up); fix completionCriterion and run again.",
        { hook: "completionCriterion", cause: error },
      );
    }
  }

  /** Logs the trials that the run leaves CANDIDATE, STAGED or RUNNING (as Ax does at the end of a run). */
  private warnIfNonTerminalTrials(): void {
    const { experiment, logger } = this.host;
    const left = NON_TERMINAL.flatMap((s) =>
      experiment.countTrialsWithStatus(s) > 0 ? [...experiment.trialIndicesWithStatus(s)] : [],
    );
    if (left.length === 0) return;
    logger.warn(`Found ${left.length} non-terminal trials on ${experiment.name}: ${formatIndexList(left)}.`);
  }

  /** Whether to launch no more trials in this run; logs the reason the first time. */
  private async shouldStopLaunching(run: RunState): Promise<boolean> {
    if (this.mustHalt(run)) return true;
    // As Ax, the global stopping strategy is asked before the completion criterion.
    if (await this.isGloballyStopped(run)) return true;
    const completion = this.completion();
    if (completion.shouldStop) {
      if (!run.completionCriterionMet && run.remaining > 0) {
        this.host.logger.info(
          `${completion.message} \`completionCriterion\` is \`true\`, not running more trials.`,
        );
      }
      run.completionCriterionMet = true;
      return true;
    }
    return run.remaining <= 0;
  }

  /**
   * Asks the global stopping strategy, while the run may still launch trials and does not ignore it.
   * Once it said stop, the run stays stopped. A strategy that hangs (or a wait cut short by an abort)
   * stops nothing this time; one that throws ends the run, as the completion criterion does.
   */
  private async isGloballyStopped(run: RunState): Promise<boolean> {
    if (run.globalStoppingReason !== null) return true;
    const { experiment, logger, options } = this.host;
    const strategy = options.globalStoppingStrategy;
    if (strategy === null || run.ignoreGlobalStoppingStrategy || run.remaining <= 0) return false;
    let decision: unknown;
    try {
      decision = await this.host.callUser("shouldStopOptimization", () =>
        strategy.shouldStopOptimization(experiment),
      );
    } catch (error) {
      if (error instanceof UserCallTimeoutError || error instanceof UserCallInterruptedError) {
        // An abort cut the call short: the run ends by the abort, nothing to warn about.
        if (!run.signal.aborted) logger.warn(`${errorMessage(error)} The optimization goes on this time.`);
        return false;
      }
      throw new UserHookError(
        `globalStoppingStrategy.shouldStopOptimization threw: ${errorMessage(error)}. The run ended with its ` +
          "trials saved as they were (running ones stay RUNNING); fix the strategy (or pass " +
          "ignoreGlobalStoppingStrategy: true) and run again.",
        { hook: "globalStoppingStrategy", cause: error },
      );
    }
    const { stop, reason } = checkDecision(decision);
    if (!stop) return false;
    run.globalStoppingReason = reason;
    logger.info(`Global stopping strategy: ${reason} Not running more trials.`);
    return true;
  }

  /** Whether the run must stop launching for good: aborted, timed out, too many failures, nothing left to generate. */
  private mustHalt(run: RunState): boolean {
    if (run.signal.aborted) run.aborted = true;
    if (run.aborted) return true;
    this.checkTimeout(run);
    if (run.timedOut) return true;
    if (run.failureRateExceeded || this.host.failures.isExceeded()) {
      if (!run.failureRateExceeded) {
        this.host.logger.error(
          `Failure rate exceeded (${this.host.failures.numFailed} of ${this.host.failures.numRan} trials failed); ` +
            "not running more trials, waiting for the running ones to finish.",
        );
      }
      run.failureRateExceeded = true;
      return true;
    }
    return run.generationExhausted;
  }

  private checkTimeout(run: RunState): void {
    if (run.timedOut || !run.isTimeoutReached(this.host.clock.now())) return;
    run.timedOut = true;
    this.host.logger.error(timeoutMessage(run));
    this.host.logger.info("`shouldAbort` is `true`, not running more trials.");
  }

  /** Deploys rounds of trials until nothing more can start now; returns how many were deployed. */
  private async deployWhilePossible(run: RunState): Promise<number> {
    let total = 0;
    for (;;) {
      const outcome = await this.deployer.deployRound(run);
      total += outcome.deployed;
      if (outcome.blockedBy === "error") {
        this.onGenerationError(run);
        return total;
      }
      const waiting = outcome.blockedBy === "data" || outcome.blockedBy === "parallelism";
      if (waiting && !this.host.experiment.hasPendingTrials) {
        throw new SchedulerError(
          `The generation strategy cannot generate trials now (${outcome.blockedBy === "data" ? "it needs more data" : "max parallelism reached"}) ` +
            "but no trial is pending, so nothing can change that. Check the strategy's minTrialsObserved and maxParallelism.",
        );
      }
      if (outcome.deployed === 0 || outcome.blockedBy !== null || (await this.shouldStopLaunching(run)))
        return total;
    }
  }

  /**
   * As Ax: a generation error while trials run is logged, and generation is tried again after the next
   * wait (the running trials bring new data); with nothing running, nothing can change, so it is thrown.
   */
  private onGenerationError(run: RunState): void {
    const error = run.generationError;
    run.generationError = null;
    const running = this.host.experiment.countTrialsWithStatus(TrialStatus.RUNNING);
    if (running === 0) throw error;
    this.host.logger.error(
      `Generating trials failed: ${errorMessage(error).replace(/\.$/, "")}. Waiting for the ${running} running trials and trying again.`,
    );
  }

  /**
   * Polls with backoff until a trial leaves RUNNING (true), or returns false when there is nothing to
   * wait for, the run was aborted, or its timeout passed.
   */
  private async waitForChange(run: RunState): Promise<boolean> {
    let waitedSeconds = 0;
    for (;;) {
      await this.sleepIfTooEarlyToPoll(run);
      const changed = await this.pollAndSave(run);
      await this.host.callIdleCallback();
      if (changed) {
        this.backoff.reset();
        return true;
      }
      if (run.signal.aborted || (!run.timedOut && run.isTimeoutReached(this.host.clock.now()))) return false;
      if (waitedSeconds > MAX_SECONDS_BETWEEN_REPORTS) {
        // As Ax: report anyway, and let the caller check its stopping rules and deploy again.
        this.backoff.reset();
        return true;
      }
      const running = this.host.experiment.countTrialsWithStatus(TrialStatus.RUNNING);
      const seconds = this.host.options.earlyStoppingStrategy?.secondsBetweenPolls ?? this.backoff.next();
      this.host.logger.info(
        `Waiting for completed trials (for ${formatPollSeconds(seconds)} sec, currently running trials: ${running}).`,
      );
      await this.host.sync.keepLease(seconds * 1000);
      await this.wake.sleep(this.host.clock, seconds * 1000, run.signal);
      waitedSeconds += seconds;
      if (running === 0) return false;
    }
  }

  /**
   * After launching ends: waits for the running trials, unless the run was aborted, timed out (Ax
   * returns at once, leaving them RUNNING for a later run) or told not to wait.
   */
  private async *drain(run: RunState): AsyncGenerator<unknown, void, undefined> {
    if (run.aborted || run.timedOut || !this.host.options.waitForRunningTrials) return;
    const running = this.host.experiment.countTrialsWithStatus(TrialStatus.RUNNING);
    if (running > 0 && !run.failureRateExceeded) {
      this.host.logger.info(`Done submitting trials, waiting for remaining ${running} running trials...`);
    }
    while (this.host.experiment.countTrialsWithStatus(TrialStatus.RUNNING) > 0) {
      if (run.signal.aborted) {
        run.aborted = true;
        return;
      }
      this.checkTimeout(run);
      if (run.timedOut) return;
      if (await this.waitForChange(run)) yield* this.report();
    }
  }

  private async sleepIfTooEarlyToPoll(run: RunState): Promise<void> {
    const last = this.deployer.lastDeployMs;
    if (last === null) return;
    const waitMs = this.host.options.minSecondsBeforePoll * 1000 - (this.host.clock.now() - last);
    if (waitMs > 0) await this.wake.sleep(this.host.clock, waitMs, run.signal);
  }

  private async pollAndSave(run: RunState): Promise<boolean> {
    this.wake.beforePoll();
    const changed = await this.poller.pollRound(run.signal);
    await this.host.sync.flush();
    return changed;
  }
}

/** Longest wait without a report, in seconds (Ax's MAX_SECONDS_BETWEEN_REPORTS). */
export const MAX_SECONDS_BETWEEN_REPORTS = 900;

const NON_TERMINAL: readonly TrialStatus[] = [TrialStatus.CANDIDATE, TrialStatus.STAGED, TrialStatus.RUNNING];

/**
 * A strategy's answer as `{ stop, reason }`; an empty reason gets a generic one.
 * @throws SchedulerError for anything else (the run ends: whether to go on is unknown).
 */
function checkDecision(value: unknown): { stop: boolean; reason: string } {
  const decision = value as { stop?: unknown; reason?: unknown } | null;
  if (decision === null || typeof decision !== "object" || typeof decision.stop !== "boolean") {
    throw new SchedulerError(
      `globalStoppingStrategy.shouldStopOptimization must return { stop: boolean, reason: string }, got ${JSON.stringify(value) ?? String(value)}.`,
    );
  }
  const reason = typeof decision.reason === "string" && decision.reason !== "" ? decision.reason : null;
  return { stop: decision.stop, reason: reason ?? "The global stopping strategy said stop." };
}

function timeoutMessage(run: RunState): string {
  return `Optimization timed out (timeout hours: ${formatPythonNumber(run.timeoutHours ?? 0)})!`;
}
