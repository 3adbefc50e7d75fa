import type { BaseTrial } from "../core/base-trial.js";
import { describeKind } from "../core/json.js";
import { isTrialFailureReporter, isTrialStopper, type TrialStatusMap } from "../core/runner.js";
import { isTrialStatus, TrialStatus } from "../core/trial-status.js";
import { SchedulerError, UserCallInterruptedError, UserCallTimeoutError } from "../errors.js";
import type { AbortSignalLike } from "../util/abort-signal.js";
import { DataFetcher } from "./data-fetcher.js";
import type { FailureKind } from "./failure-accounting.js";
import { errorMessage, formatIndexSet } from "./format.js";
import type { LoopHost } from "./loop-host.js";
import { ProgressCollector } from "./progress-collector.js";
import { USER_CODE_ATTEMPTS, USER_CODE_RETRY_DELAY_MS, withRetries } from "./retry.js";
import { RunnerResults } from "./runner-results.js";

/**
 * Poll rounds at which a trial that finished may fail to fetch an objective or constraint recoverably
 * before it is given its status without that metric's data (Ax does so at once; a few polls give late
 * results a chance without keeping a trial RUNNING for ever).
 */
export const RECOVERABLE_FETCH_ATTEMPTS = 3;

/** Terminal statuses in the order their "Retrieved ..." lines are logged. */
const TERMINAL_ORDER: readonly TrialStatus[] = [
  TrialStatus.COMPLETED,
  TrialStatus.FAILED,
  TrialStatus.ABANDONED,
  TrialStatus.EARLY_STOPPED,
];

/**
 * One poll round over the RUNNING trials: poll statuses (all at once, or one by one when
 * that fails), fetch data of trials  that finished before giving them their terminal status, expire
 * TTLs of the trials still running, fetch partial data and apply the early-stopping strategy. Costs O(running trials).
 * @internal
 */
export class PollProcessor {
  private readonly host: LoopHost;
  private readonly fetcher: DataFetcher;
  private readonly results: RunnerResults;
  private readonly progress: ProgressCollector;
  /** Fetches of trials that failed recoverably so far, by trial index (bounded by RECOVERABLE_FETCH_ATTEMPTS). */
  private readonly fetchAttempts = new Map<number, number>();
  /** Trials being finished now (their data being fetched), by index. */
  private readonly finishing = new Map<number, Promise<TrialStatus | null>>();

  constructor(host: LoopHost) {
    this.host = host;
    this.fetcher = new DataFetcher(host);
    this.results = new RunnerResults(host);
    this.progress = new ProgressCollector(host);
  }

  /**
   * Runs one poll round.
   * @returns whether any trial left RUNNING.
   * @throws SchedulerError when polling is not possible (no poller) or returns a malformed map.
   */
  async pollRound(signal?: AbortSignalLike): Promise<boolean> {
    const { experiment } = this.host;
    const before = experiment.countTrialsWithStatus(TrialStatus.RUNNING);
    if (before === 0) return false;
    // Poll first, then expire TTLs of the trials still RUNNING: a trial that finished while the loop
    // was busy (deploying others, fitting a model) is not failed for the loop's delay.
    const statuses = await this.pollStatuses(experiment.runningTrials, signal);
    await this.applyStatuses(statuses);
    const stillRunning = await this.expireTtls(experiment.runningTrials, signal);
    if (stillRunning.length > 0) await this.earlyStop(signal);
    return experiment.countTrialsWithStatus(TrialStatus.RUNNING) < before;
  }

  /**
   * Moves a RUNNING trial to a terminal status. COMPLETED and EARLY_STOPPED trials get their data first:
   * when an objective or constraint metric fails, the trial is ABANDONED instead; when the failure is
   * recoverable and `allowDefer`, the trial stays RUNNING (to be fetched again at the next poll).
   * @returns the status the trial ended in, or null when it stays RUNNING.
   */
  async finishTrial(
    trial: BaseTrial,
    status: TrialStatus,
    reason: string | null,
    allowDefer: boolean,
  ): Promise<TrialStatus | null> {
    // A stop (stopTrialRuns) can arrive while a poll round is finishing the same trial, between its awaits:
    // the second waits for the first, and leaves a trial that ended meanwhile as it ended.
    const earlier = this.finishing.get(trial.index);
    if (earlier) await earlier.catch(() => undefined);
    if (trial.status !== TrialStatus.RUNNING) return null;
    const finishing = this.finishRunningTrial(trial, status, reason, allowDefer);
    this.finishing.set(trial.index, finishing);
    try {
      const final = await finishing;
      if (final !== null) this.progress.forget(trial.index);
      return final;
    } finally {
      if (this.finishing.get(trial.index) === finishing) this.finishing.delete(trial.index);
    }
  }

  private async finishRunningTrial(
    trial: BaseTrial,
    status: TrialStatus,
    reason: string | null,
    allowDefer: boolean,
  ): Promise<TrialStatus | null> {
    const { logger, failures, sync } = this.host;
    // What the trial reported since the last round (e.g. its last steps) is stored before it ends.
    await this.progress.collect([trial]);
    if (status === TrialStatus.COMPLETED || status === TrialStatus.EARLY_STOPPED) {
      await this.results.collect(trial, status === TrialStatus.EARLY_STOPPED);
      const attempt = (this.fetchAttempts.get(trial.index) ?? 0) + 1;
      const mayDefer = allowDefer && attempt < RECOVERABLE_FETCH_ATTEMPTS;
      const outcome = await this.fetcher.fetchForCompletion(trial, mayDefer);
      if (outcome.kind === "deferred") {
        this.fetchAttempts.set(trial.index, attempt);
        logger.warn(
          `Failed to fetch ${outcome.metricName} for trial ${trial.index} (recoverable): ${outcome.message}; ` +
            "keeping it RUNNING and fetching again at the next poll.",
        );
        return null;
      }
      this.fetchAttempts.delete(trial.index);
      if (outcome.kind === "failed") {
        const why = `Failed to fetch ${outcome.metricName}: ${outcome.message}`;
        logger.warn(
          `${why}. Because ${outcome.metricName} is an objective or constraint, marking trial ${trial.index} as ABANDONED.`,
        );
        return this.markBad(trial, TrialStatus.ABANDONED, why, "fetch");
      }
      if (outcome.kind === "incomplete") {
        logger.warn(
          allowDefer
            ? `Failed to fetch ${outcome.metricName} for trial ${trial.index} (recoverable) at ${attempt} polls: ` +
                `${outcome.message}; marking it ${status} without ${outcome.metricName} data and continuing.`
            : `Could not fetch ${outcome.metricName} for stopped trial ${trial.index}: ${outcome.message}.`,
        );
      }
      trial.markAs(status, reason);
      sync.trialChanged(trial);
      if (status === TrialStatus.COMPLETED) this.host.best.onTrialCompleted(trial);
      return status;
    }
    const why = reason ?? (await this.reportedFailureReason(trial, status));
    const message = why ?? trial.failureReason ?? `pollTrialStatus reported ${status}`;
    failures.recordFailure(trial.index, "run", message);
    trial.markAs(status, why);
    sync.trialChanged(trial);
    return status;
  }

  /**
   * Why a trial that a poll reported FAILED or ABANDONED ended so, when the runner can tell (Ax's
   * `poll_exception`); null otherwise. A runner that throws here (or does not answer within
   * `userCallTimeoutSeconds`) only costs the reason.
   */
  private async reportedFailureReason(trial: BaseTrial, status: TrialStatus): Promise<string | null> {
    const runner = this.host.experiment.runner;
    if (!isTrialFailureReporter(runner)) return null;
    try {
      const reason: unknown = await this.host.callUser(
        `pollException of trial ${trial.index}`,
        () => runner.pollException(trial),
        trial.index,
      );
      if (reason === null || reason === undefined) return null;
      if (typeof reason === "string") return reason;
      this.host.logger.warn(
        `pollException for trial ${trial.index} returned ${describeKind(reason)}, not a string; ignoring it.`,
      );
    } catch (error) {
      this.host.logger.warn(
        `Could not get the reason why trial ${trial.index} is ${status} from the runner: ${errorMessage(error)}.`,
      );
    }
    return null;
  }

  /**
   * Stops RUNNING trials: asks the runner (when it can stop trials), then fetches their data and marks
   * them EARLY_STOPPED. A trial the runner failed to stop stays RUNNING.
   * @returns the trials that were stopped.
   */
  async stopTrials(
    trials: readonly BaseTrial[],
    reasons: readonly (string | null)[] | undefined,
    signal?: AbortSignalLike,
  ): Promise<BaseTrial[]> {
    const stopped: BaseTrial[] = [];
    for (const [k, trial] of trials.entries()) {
      const reason = reasons?.[k] ?? null;
      if (trial.status !== TrialStatus.RUNNING) {
        this.host.logger.warn(`Trial ${trial.index} is ${trial.status}, not RUNNING; not stopping it.`);
        continue;
      }
      if (!(await this.stopOnRunner(trial, reason, signal))) continue;
      const final = await this.finishTrial(trial, TrialStatus.EARLY_STOPPED, reason, false);
      if (final !== null) stopped.push(trial);
    }
    return stopped;
  }

  /** Marks RUNNING trials past their TTL FAILED (stopping them on the runner first); returns the others. */
  private async expireTtls(running: BaseTrial[], signal?: AbortSignalLike): Promise<BaseTrial[]> {
    const now = this.host.clock.now();
    if (!running.some((t) => t.isTtlExpired(now))) return running;
    const alive: BaseTrial[] = [];
    for (const trial of running) {
      if (!trial.isTtlExpired(now)) {
        alive.push(trial);
        continue;
      }
      const reason = `Trial exceeded its TTL of ${trial.ttlSeconds} seconds.`;
      this.host.logger.warn(
        `Trial ${trial.index} exceeded its TTL of ${trial.ttlSeconds} seconds; marking it FAILED.`,
      );
      await this.stopOnRunner(trial, reason, signal);
      this.markBad(trial, TrialStatus.FAILED, reason, "run");
    }
    return alive;
  }

  /** Polls all running trials at once; when that keeps failing, each alone, abandoning those that still fail. */
  private async pollStatuses(
    running: readonly BaseTrial[],
    signal?: AbortSignalLike,
  ): Promise<TrialStatusMap> {
    try {
      return await this.pollWithRetries(signal);
    } catch (error) {
      if (error instanceof SchedulerError) throw error;
      // The run was aborted while polling: nothing is known, nothing changes.
      if (error instanceof UserCallInterruptedError) return new Map();
      if (running.length === 1) {
        this.abandonUnpollable(running[0]!, error);
        return new Map();
      }
      this.host.logger.warn(
        `Polling the ${running.length} running trials failed after ${USER_CODE_ATTEMPTS} attempts ` +
          `(${errorMessage(error)}); polling each trial alone.`,
      );
    }
    const merged: TrialStatusMap = new Map();
    for (const trial of running) {
      try {
        const map = await this.host.withPollScope([trial], () => this.pollWithRetries(signal));
        for (const [status, indices] of map) {
          const into = merged.get(status) ?? new Set<number>();
          for (const i of indices) into.add(i);
          merged.set(status, into);
        }
      } catch (error) {
        if (error instanceof SchedulerError) throw error;
        if (error instanceof UserCallInterruptedError) break;
        this.abandonUnpollable(trial, error);
      }
    }
    return merged;
  }

  private pollWithRetries(signal?: AbortSignalLike): Promise<TrialStatusMap> {
    return withRetries(async () => normalizeStatusMap(await this.host.pollTrialStatus()), {
      attempts: USER_CODE_ATTEMPTS,
      clock: this.host.clock,
      initialDelayMs: USER_CODE_RETRY_DELAY_MS,
      ...(signal ? { signal } : {}),
      onRetry: (error, attempt) =>
        this.host.logger.warn(
          `pollTrialStatus failed (attempt ${attempt} of ${USER_CODE_ATTEMPTS}): ${errorMessage(error)}; retrying.`,
        ),
    });
  }

  /** Asks the runner to stop a trial when it can (retried); true when stopped or when it cannot stop trials. */
  private async stopOnRunner(
    trial: BaseTrial,
    reason: string | null,
    signal?: AbortSignalLike,
  ): Promise<boolean> {
    const runner = this.host.experiment.runner;
    if (!isTrialStopper(runner)) return true;
    try {
      const stop = (): Promise<unknown> =>
        this.host.callUser(`stop of trial ${trial.index}`, () => runner.stop(trial, reason), trial.index);
      await withRetries(stop, {
        attempts: USER_CODE_ATTEMPTS,
        clock: this.host.clock,
        initialDelayMs: USER_CODE_RETRY_DELAY_MS,
        ...(signal ? { signal } : {}),
      });
      return true;
    } catch (error) {
      this.host.logger.warn(`Could not stop trial ${trial.index} on the runner: ${errorMessage(error)}.`);
      return false;
    }
  }

  private abandonUnpollable(trial: BaseTrial, error: unknown): void {
    const reason = `Polling trial status failed: ${errorMessage(error)}`;
    this.host.logger.warn(`${reason}. Marking trial ${trial.index} as ABANDONED.`);
    this.markBad(trial, TrialStatus.ABANDONED, reason, "run");
  }

  private markBad(trial: BaseTrial, status: TrialStatus, reason: string, kind: FailureKind): TrialStatus {
    trial.markAs(status, reason);
    this.fetchAttempts.delete(trial.index); // a trial that ended is never fetched again
    this.host.failures.recordFailure(trial.index, kind, reason);
    this.host.sync.trialChanged(trial);
    return status;
  }

  /** Applies polled terminal statuses to RUNNING trials and logs `Retrieved <STATUS> trials: {...}.` lines. */
  private async applyStatuses(statuses: TrialStatusMap): Promise<void> {
    const ended = new Map<TrialStatus, number[]>();
    for (const status of TERMINAL_ORDER) {
      const indices = statuses.get(status);
      if (!indices || indices.size === 0) continue;
      for (const index of [...indices].sort((a, b) => a - b)) {
        const trial = this.host.experiment.trials.get(index);
        // Polls may echo trials that already ended or were never deployed; only RUNNING ones move.
        if (trial?.status !== TrialStatus.RUNNING) continue;
        const final = await this.finishTrial(trial, status, null, true);
        if (final === null) continue;
        const list = ended.get(final) ?? [];
        list.push(index);
        ended.set(final, list);
      }
    }
    for (const status of TERMINAL_ORDER) {
      const list = ended.get(status);
      if (list) this.host.logger.info(`Retrieved ${status} trials: ${formatIndexSet(list)}.`);
    }
  }

  /**
   * Takes the progress runners report, fetches partial data and asks the early-stopping strategy about
   * the trials still running.
   */
  private async earlyStop(signal?: AbortSignalLike): Promise<void> {
    const { experiment, options } = this.host;
    const whileRunning = experiment.metrics.filter((m) => m.isAvailableWhileRunning());
    const strategy = options.earlyStoppingStrategy;
    if (this.progress.active) await this.progress.collect(experiment.runningTrials);
    if (whileRunning.length === 0 && strategy === null) return;
    const running = experiment.runningTrials;
    if (running.length === 0) return;
    if (whileRunning.length > 0) await this.fetcher.fetchWhileRunning(running, whileRunning);
    if (strategy === null) return;
    const ask = () =>
      strategy.shouldStopTrialsEarly({ trialIndices: new Set(running.map((t) => t.index)), experiment });
    let decisions: Map<number, string | null>;
    try {
      decisions = await this.host.callUser("shouldStopTrialsEarly", ask);
    } catch (error) {
      // A strategy that hung (or a wait cut short by an abort) stops nothing this round.
      if (!(error instanceof UserCallTimeoutError || error instanceof UserCallInterruptedError)) throw error;
      this.host.logger.warn(`${errorMessage(error)} No trial is stopped early this round.`);
      return;
    }
    const toStop = running.filter((t) => decisions.has(t.index));
    if (toStop.length === 0) return;
    const stopped = await this.stopTrials(
      toStop,
      toStop.map((t) => decisions.get(t.index) ?? null),
      signal,
    );
    if (stopped.length > 0) {
      this.host.logger.info(
        `Retrieved EARLY_STOPPED trials: ${formatIndexSet(stopped.map((t) => t.index))}.`,
      );
    }
  }
}

/**
 * Checks and copies what `pollTrialStatus` returned: a Map (or plain object) from TrialStatus to a Set
 * (or array) of trial indices.
 * @throws SchedulerError for anything else, or an unknown status.
 */
export function normalizeStatusMap(value: unknown): TrialStatusMap {
  let entries: [unknown, unknown][];
  if (value instanceof Map) entries = [...value.entries()];
  else if (value !== null && typeof value === "object" && !Array.isArray(value))
    entries = Object.entries(value);
  else {
    throw new SchedulerError(
      `pollTrialStatus must return a Map<TrialStatus, Set<number>>, got ${Array.isArray(value) ? "an array" : value === null ? "null" : typeof value}.`,
    );
  }
  const out: TrialStatusMap = new Map();
  for (const [status, indices] of entries) {
    if (!isTrialStatus(status)) {
      throw new SchedulerError(
        `pollTrialStatus returned unknown status ${JSON.stringify(status)}; use TrialStatus values such as "COMPLETED".`,
      );
    }
    const list = indices instanceof Set ? [...indices] : Array.isArray(indices) ? indices : null;
    if (list === null || !list.every((i) => Number.isInteger(i))) {
      throw new SchedulerError(
        `pollTrialStatus returned a non-integer trial index or a non-Set for ${status}.`,
      );
    }
    out.set(status, new Set(list as number[]));
  }
  return out;
}
