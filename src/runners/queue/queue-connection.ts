import { randomUUID } from "node:crypto";
import type { Job, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { QueueRunnerError } from "../../errors.js";
import type { Logger } from "../../util/logger.js";
import { parseJobPayload, type QueueJobPayload, samePayload } from "./job-payload.js";
import { QueueKeys } from "./queue-keys.js";
import type { QueueRunnerSettings } from "./queue-runner-options.js";
import { loadBullMQ, openRedis, watchConnection } from "./redis-connection.js";
import type { TrialLeases } from "./trial-leases.js";

/** A job to queue: its id and what it carries. */
export interface JobToQueue {
  readonly jobId: string;
  readonly payload: QueueJobPayload;
}

/**
 * A QueueRunner's open connection: one Redis client (auto-pipelined: the commands of a batch go out in
 * one round trip) and the BullMQ queue on it.
 * @internal
 */
export class QueueConnection {
  readonly keys: QueueKeys;

  private constructor(
    readonly client: Redis,
    readonly queue: Queue,
    private readonly settings: QueueRunnerSettings,
  ) {
    this.keys = new QueueKeys(settings.prefix, settings.queueName);
  }

  /** Connects (loading BullMQ and ioredis on first use). */
  static async open(settings: QueueRunnerSettings, logger: Logger): Promise<QueueConnection> {
    const { Queue } = await loadBullMQ();
    const client = await openRedis(settings.url, `ascent-runner:${settings.queueName}`, logger);
    const queue = new Queue(settings.queueName, { connection: client, prefix: settings.prefix });
    watchConnection(queue, settings.url, logger);
    return new QueueConnection(client, queue, settings);
  }

  /**
   * The queue's epoch: a random value kept in Redis, written by the first runner that finds none. When
   * Redis restarts without persistence it is gone with the jobs, so a job missing under another epoch
   * than the one it was queued under was lost, not removed.
   */
  async epoch(): Promise<string> {
    const current = await this.client.get(this.keys.epoch);
    if (current !== null) return current;
    await this.client.set(this.keys.epoch, randomUUID(), "NX");
    return (await this.client.get(this.keys.epoch)) ?? "";
  }

  /**
   * Queues jobs that are not queued yet, after marking them alive. A job already in the queue for the
   * same trial and parameters is kept (a retried deploy); one for other parameters is refused.
   * @throws QueueRunnerError when a job id is taken by another experiment's job of the same name.
   */
  async enqueue(jobs: readonly JobToQueue[], leases: TrialLeases): Promise<void> {
    const byExperiment = new Map<string, string[]>();
    for (const { jobId, payload } of jobs) {
      const list = byExperiment.get(payload.experimentKey) ?? [];
      list.push(jobId);
      byExperiment.set(payload.experimentKey, list);
    }
    // Alive before queued (a worker never sees a job whose trial it cannot find), in the same round trip
    // as the look-up of jobs already queued.
    const [existing] = await Promise.all([
      Promise.all(jobs.map((j) => this.queue.getJob(j.jobId))),
      ...[...byExperiment].map(([key, ids]) => leases.add(this.client, key, ids)),
    ]);
    const missing = jobs.filter((job, i) => !this.isSameJob(job, existing[i]));
    if (missing.length === 0) return;
    await this.queue.addBulk(
      missing.map((j) => ({ name: "trial", data: j.payload, opts: this.jobOptions(j) })),
    );
  }

  /** Reads jobs by id (one round trip for all). */
  getJobs(jobIds: readonly string[]): Promise<(Job | undefined)[]> {
    return Promise.all(jobIds.map((id) => this.queue.getJob(id)));
  }

  /** Reads job states by id (one round trip for all); "unknown" for a job that does not exist. */
  getStates(jobIds: readonly string[]): Promise<string[]> {
    return Promise.all(jobIds.map((id) => this.queue.getJobState(id)));
  }

  /** Closes the queue and the connection. */
  async close(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private isSameJob(job: JobToQueue, found: Job | undefined): boolean {
    if (found === undefined) return false;
    const payload = parseJobPayload(found.data);
    if (typeof payload !== "string" && samePayload(payload, job.payload)) return true;
    throw new QueueRunnerError(
      `Queue "${this.settings.queueName}" already holds job ${job.jobId} for trial ${job.payload.trialIndex} ` +
        `of an experiment named ${JSON.stringify(job.payload.experimentName)}, with other parameters: an ` +
        "earlier experiment of that name used this queue. Use another queueName, or empty the queue of its " +
        "jobs (BullMQ's queue.obliterate()) if that experiment is gone.",
      { queueName: this.settings.queueName, trialIndex: job.payload.trialIndex },
    );
  }

  private jobOptions(job: JobToQueue) {
    const s = this.settings;
    return {
      jobId: job.jobId,
      attempts: s.attempts,
      backoff: { type: "exponential", delay: s.backoffSeconds * 1000 },
      removeOnComplete: { age: s.keepJobsSeconds },
      removeOnFail: { age: s.keepJobsSeconds },
    };
  }
}
