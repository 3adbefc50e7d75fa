import type { BaseTrial, RunMetadata } from "../../core/base-trial.js";
import type { JsonObject } from "../../core/json.js";
import { type ProgressRecord, progressRecordFromReport } from "../../core/progress-record.js";
import {
  type CapacityReporter,
  type MultiTrialRunner,
  type ProgressSource,
  Runner,
  type TrialChangeNotifier,
  type TrialFailureReporter,
  type TrialResultReporter,
  type TrialStatusMap,
  type TrialStatusPoller,
  type TrialStopper,
} from "../../core/runner.js";
import { Logger } from "../../util/logger.js";
import { experimentKey, jobIdOf, trialJobId } from "./job-id.js";
import { payloadForTrial } from "./job-payload.js";
import { JobPoller } from "./job-poller.js";
import { QueueConnection } from "./queue-connection.js";
import { QueueKeys } from "./queue-keys.js";
import {
  type QueueRunnerOptions,
  type QueueRunnerSettings,
  queueRunnerSettings,
  storedSettings,
} from "./queue-runner-options.js";
import { isRedisUnavailable } from "./redis-connection.js";
import { redactRedisUrl } from "./redis-url.js";
import { TrialChangeEvents } from "./trial-change-events.js";
import { TrialLeases } from "./trial-leases.js";
import { readWorkerSlots } from "./worker-registry.js";

/** How long the live workers' slots are kept before they are read again, in ms. */
const SLOTS_CACHE_MS = 1_000;

/** Job states in which a stop removes the job instead of signalling its worker. */
const REMOVABLE_STATES = new Set(["waiting", "delayed", "prioritized", "waiting-children"]);

/** How long a deploy waits for an unreachable Redis before its trials fail (the Scheduler marks them FAILED). */
const DEPLOY_OUTAGE_WAIT_MS = 60_000;

/**
 * Runs each trial as one job of a BullMQ queue in Redis, evaluated by `ascent worker` processes (or
 * {@link QueueWorker}s) on any number of machines. The job id derives from the experiment name and trial
 * index, so a retried deploy never queues a second job; status comes from the job's state, the result
 * from its return value, and the reason of a failure from its failed reason. Stopping a trial removes
 * its waiting job or has its worker abort the evaluation. The capacity is the live workers' total
 * concurrency minus the queue's waiting and active jobs, so `runTrialsInBatches` fills free workers.
 *
 * Redis outages are not trial failures: polls during one report no change (and log it), capacity is 0,
 * and the run carries on when Redis is back. Call {@link QueueRunner.close} when done.
 * @example
 * const runner = new QueueRunner({ connection: { url: "redis://queue-host:6379" }, queueName: "trials" });
 * // on each worker machine: ascent worker --redis redis://queue-host:6379 --queue trials --module ./evaluate.js
 */
export class QueueRunner
  extends Runner
  implements
    TrialStatusPoller,
    TrialResultReporter,
    TrialFailureReporter,
    TrialStopper,
    CapacityReporter,
    MultiTrialRunner,
    TrialChangeNotifier,
    ProgressSource
{
  private readonly settings: QueueRunnerSettings;
  private readonly logger: Logger;
  private readonly leases: TrialLeases;
  private readonly events: TrialChangeEvents;
  private readonly poller: JobPoller;
  private connection: Promise<QueueConnection> | null = null;
  private warnedNoWorkers = false;
  private slots: { value: number; at: number } | null = null;
  /** Progress records read so far, by job id (where the next read starts in the job's progress list). */
  private readonly progressRead = new Map<string, number>();

  /**
   * @throws QueueRunnerError for a malformed URL, queue name or option (see {@link QueueRunnerOptions}).
   */
  constructor(options: QueueRunnerOptions) {
    super();
    this.settings = queueRunnerSettings(options);
    this.logger = options.logger ?? new Logger({ name: "QueueRunner" });
    const keys = new QueueKeys(this.settings.prefix, this.settings.queueName);
    this.leases = new TrialLeases(keys, this.settings.trialLeaseSeconds * 1000, this.logger);
    this.events = new TrialChangeEvents(
      this.settings.url,
      this.settings.queueName,
      this.settings.prefix,
      (jobId) => this.leases.has(jobId),
      this.logger,
    );
    this.poller = new JobPoller(this.settings, this.leases, this.logger);
  }

  /** The queue's name. */
  get queueName(): string {
    return this.settings.queueName;
  }

  /** What is stored with the experiment: the settings, and the Redis URL without its credentials. */
  storedFields(): JsonObject {
    return storedSettings(this.settings);
  }

  /**
   * Queues `trial` as one job (or finds the job a previous deploy queued).
   * @returns run metadata `{ jobId, queueName, queueEpoch }`, from which a resumed Scheduler re-attaches.
   * @throws QueueRunnerError for a trial with several arms, or a job id taken by another experiment.
   */
  async run(trial: BaseTrial): Promise<RunMetadata> {
    return (await this.runMultiple([trial])).get(trial.index)!;
  }

  /** Queues several trials in one round trip; see {@link QueueRunner.run}. */
  async runMultiple(trials: readonly BaseTrial[]): Promise<Map<number, RunMetadata>> {
    const jobs = trials.map((trial) => ({
      jobId: trialJobId(trial.experimentName, trial.index),
      payload: payloadForTrial(trial, this.settings.jobTimeoutSeconds),
    }));
    const epoch = await this.untilRedisAnswers(
      `queue trials ${trials.map((t) => t.index).join(", ")}`,
      async () => {
        const c = await this.connected();
        const [queueEpoch] = await Promise.all([c.epoch(), c.enqueue(jobs, this.leases)]);
        return queueEpoch;
      },
    );
    const out = new Map<number, RunMetadata>();
    for (const { jobId, payload } of jobs) {
      out.set(payload.trialIndex, { jobId, queueName: this.settings.queueName, queueEpoch: epoch });
    }
    return out;
  }

  /**
   * Runs `fn`, again while Redis cannot be reached (a restart, a lost connection), for up to
   * {@link DEPLOY_OUTAGE_WAIT_MS}: a deploy waits through an outage instead of failing its trials, as
   * polls do. Safe to repeat: queueing finds a job an earlier attempt queued.
   * @throws the last error once the wait is over, or at once for any other error.
   */
  private async untilRedisAnswers<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + DEPLOY_OUTAGE_WAIT_MS;
    for (let delay = 200, warned = false; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        return await fn();
      } catch (error) {
        if (!isRedisUnavailable(error) || Date.now() + delay > deadline) throw error;
        if (!warned) {
          this.logger.warn(
            `Could not ${what} on queue "${this.queueName}" at ${redactRedisUrl(this.settings.url)}: ` +
              `${(error as Error).message}; trying again until Redis answers (for up to ${DEPLOY_OUTAGE_WAIT_MS / 1000} s).`,
          );
          warned = true;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /**
   * Statuses of `trials` from their jobs' states, read in one round trip: waiting, delayed, prioritized
   * or active jobs are RUNNING, completed ones COMPLETED, failed ones (after all attempts) FAILED, and a
   * missing job FAILED ("job not found") unless Redis lost it in a restart, when it is queued again.
   * When Redis cannot be reached, reports no change and logs why.
   */
  async pollTrialStatus(trials: readonly BaseTrial[]): Promise<TrialStatusMap> {
    if (trials.length === 0) return new Map();
    try {
      return await this.poller.poll(await this.connected(), trials);
    } catch (error) {
      this.logger.warn(
        `Could not poll ${trials.length} trials on queue "${this.queueName}" at ` +
          `${redactRedisUrl(this.settings.url)}: ${(error as Error).message}; they stay RUNNING until Redis answers.`,
      );
      return new Map();
    }
  }

  /** The return value of `trial`'s job (what the worker's evaluation returned), or null. */
  async pollTrialResult(trial: BaseTrial): Promise<unknown> {
    return this.poller.result(await this.connected(), trial);
  }

  /**
   * The progress the worker's evaluation reported (`context.report`) since the last call: read from the
   * job's progress list in Redis, from where the last call stopped (from its start in a new runner: the
   * Scheduler skips what it already stored). Nothing while Redis cannot be reached.
   */
  async takeProgress(trial: BaseTrial): Promise<readonly ProgressRecord[]> {
    const jobId = jobIdOf(trial);
    const from = this.progressRead.get(jobId) ?? 0;
    let lines: string[];
    try {
      const c = await this.connected();
      lines = await c.client.lrange(c.keys.progress(jobId), from, -1);
    } catch (error) {
      this.logger.warn(`Could not read the progress of trial ${trial.index}: ${(error as Error).message}.`);
      return [];
    }
    this.progressRead.set(jobId, from + lines.length);
    const records: ProgressRecord[] = [];
    for (const line of lines) {
      let record: ProgressRecord | string;
      try {
        record = progressRecordFromReport(JSON.parse(line));
      } catch (error) {
        record = (error as Error).message;
      }
      if (typeof record === "string")
        this.logger.warn(`Skipping progress of trial ${trial.index}: ${record}.`);
      else records.push(record);
    }
    return records;
  }

  /** Why `trial`'s job failed (the last attempt's error, or "job not found"), or null. */
  async pollException(trial: BaseTrial): Promise<string | null> {
    return this.poller.failureReason(await this.connected(), trial);
  }

  /**
   * Stops `trial`: its job leaves the live set (a worker that has not started it discards it), a waiting
   * job is removed, and the workers are told to abort it if one is evaluating it.
   */
  async stop(trial: BaseTrial, reason: string | null): Promise<RunMetadata | undefined> {
    const c = await this.connected();
    const jobId = jobIdOf(trial);
    await this.leases.remove(c.client, experimentKey(trial.experimentName), [jobId]);
    const [state] = await c.getStates([jobId]);
    if (state !== undefined && REMOVABLE_STATES.has(state)) {
      // A job that became active meanwhile is locked and stays: the message below reaches its worker.
      await c.queue.remove(jobId).catch(() => undefined);
    }
    await c.client.publish(c.keys.stopChannel, JSON.stringify({ jobId, reason: reason ?? "stopped" }));
    return undefined;
  }

  /**
   * Trials that can start now: the live workers' total concurrency minus the queue's waiting, delayed,
   * prioritized and active jobs (of any experiment on the queue); 0 while Redis cannot be reached.
   */
  async pollAvailableCapacity(): Promise<number> {
    try {
      const c = await this.connected();
      const [slots, counts] = await Promise.all([
        this.workerSlots(c),
        c.queue.getJobCounts("waiting", "active", "delayed", "prioritized"),
      ]);
      this.warnIfNoWorkers(slots);
      const busy = Object.values(counts).reduce((a, b) => a + b, 0);
      return Math.max(0, slots - busy);
    } catch (error) {
      this.logger.warn(
        `Could not read the capacity of queue "${this.queueName}": ${(error as Error).message}.`,
      );
      return 0;
    }
  }

  /** Calls `listener` when one of this runner's jobs completed, failed or was removed. */
  onTrialChange(listener: () => void): () => void {
    return this.events.add(listener);
  }

  /** Closes the Redis connections and stops renewing the trials' leases. The runner reconnects if used again. */
  async close(): Promise<void> {
    this.leases.stop();
    await this.events.close();
    const connection = this.connection;
    this.connection = null;
    if (connection) await (await connection.catch(() => null))?.close();
  }

  private connected(): Promise<QueueConnection> {
    if (!this.connection) {
      const opening = QueueConnection.open(this.settings, this.logger).then((c) => {
        this.leases.start(c.client);
        return c;
      });
      // A failed connection attempt is not kept: the next call tries again.
      opening.catch(() => {
        if (this.connection === opening) this.connection = null;
      });
      this.connection = opening;
    }
    return this.connection;
  }

  /**
   * The live workers' slots, read at most once a second while there are some (heartbeats last seconds;
   * the loop asks before every deployment). None found is not kept: a worker that just started counts.
   */
  private async workerSlots(c: QueueConnection): Promise<number> {
    const now = Date.now();
    if (this.slots !== null && now - this.slots.at < SLOTS_CACHE_MS) return this.slots.value;
    const value = await readWorkerSlots(c.client, c.keys);
    this.slots = value > 0 ? { value, at: now } : null;
    return value;
  }

  private warnIfNoWorkers(slots: number): void {
    if (slots > 0) {
      this.warnedNoWorkers = false;
      return;
    }
    if (this.warnedNoWorkers) return;
    this.warnedNoWorkers = true;
    this.logger.warn(
      `No worker serves queue "${this.queueName}" at ${redactRedisUrl(this.settings.url)}; trials wait until ` +
        `one starts: ascent worker --redis ${redactRedisUrl(this.settings.url)} --queue ${this.queueName} ` +
        "--module ./evaluate.js",
    );
  }
}
