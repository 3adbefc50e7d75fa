import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { ProgressRecord } from "../../core/progress-record.js";
import { storableTrialResult } from "../../core/trial-result.js";
import { Logger } from "../../util/logger.js";
import { type EvaluationAbort, RunningEvaluation } from "./evaluate-job.js";
import { parseJobPayload, type QueueJobPayload } from "./job-payload.js";
import { QueueKeys } from "./queue-keys.js";
import {
  type QueueWorkerOptions,
  type QueueWorkerSettings,
  queueWorkerSettings,
} from "./queue-worker-options.js";
import {
  type BullMQModule,
  bullmqConnection,
  loadBullMQ,
  openRedis,
  untilReady,
  watchConnection,
} from "./redis-connection.js";
import { redactRedisUrl } from "./redis-url.js";
import { type WorkerAnnouncement, WorkerHeartbeat } from "./worker-registry.js";

/** How long a job's progress list is kept after its last record, in seconds (a week). */
const PROGRESS_TTL_SECONDS = 7 * 24 * 3600;

/** A job being evaluated by this worker. */
interface ActiveJob {
  readonly payload: QueueJobPayload;
  readonly evaluation: RunningEvaluation;
}

/** What this worker opened once started. */
interface Started {
  readonly bull: BullMQModule;
  readonly worker: Worker;
  readonly client: Redis;
  readonly subscriber: Redis;
  readonly heartbeat: WorkerHeartbeat;
  readonly livenessTimer: NodeJS.Timeout;
}

/**
 * Evaluates the jobs of a QueueRunner's queue: what `ascent worker` runs, usable from TypeScript too.
 * Each job is one trial; its evaluation returns the result (kept as the job's return value) or throws
 * (the failure reason; the job is retried while the runner's `attempts` allow). The worker announces its
 * concurrency (the runner's capacity), discards jobs whose trial no longer exists (stopped, or its
 * Scheduler went away) with a log line, aborts an evaluation when its trial is stopped, and on
 * {@link QueueWorker.close} finishes or hands back its active jobs. A worker that dies without closing
 * loses its jobs' locks, and another worker's stall check hands them out again.
 * @example
 * const worker = new QueueWorker({ queueName: "trials", concurrency: 4, evaluate: async ({ x }) => (Number(x) - 1) ** 2 });
 * await worker.start();
 * process.on("SIGTERM", () => void worker.close());
 */
export class QueueWorker {
  /** This worker's id (also its BullMQ worker name). */
  readonly id: string;
  private readonly settings: QueueWorkerSettings;
  private readonly logger: Logger;
  private readonly keys: QueueKeys;
  private readonly active = new Map<string, ActiveJob>();
  private started: Started | null = null;
  private closing: Promise<void> | null = null;

  /** @throws QueueRunnerError for malformed options (see {@link QueueWorkerOptions}). */
  constructor(options: QueueWorkerOptions) {
    this.settings = queueWorkerSettings(options);
    this.logger = options.logger ?? new Logger({ name: "QueueWorker" });
    this.keys = new QueueKeys(this.settings.prefix, this.settings.queueName);
    this.id = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  }

  /** Number of jobs being evaluated now. */
  get activeJobs(): number {
    return this.active.size;
  }

  /** Connects (waiting for Redis if need be), announces the worker and starts taking jobs. */
  async start(): Promise<void> {
    if (this.started) return;
    const s = this.settings;
    const bull = await loadBullMQ();
    const client = await openRedis(s.url, `ascent-worker:${this.id}`, this.logger);
    const subscriber = await openRedis(s.url, `ascent-worker-stops:${this.id}`, this.logger);
    await Promise.all([untilReady(client, s.url, this.logger), untilReady(subscriber, s.url, this.logger)]);
    subscriber.on("message", (_channel: string, message: string) => this.onStopMessage(message));
    await subscriber.subscribe(this.keys.stopChannel);
    const worker = this.createWorker(bull, client);
    const heartbeat = new WorkerHeartbeat(
      client,
      this.keys,
      this.id,
      this.announcement(),
      s.heartbeatMs,
      this.logger,
    );
    await heartbeat.start();
    const livenessTimer = setInterval(() => void this.checkLiveness(client), s.livenessCheckMs);
    livenessTimer.unref();
    this.started = { bull, worker, client, subscriber, heartbeat, livenessTimer };
    // Taking jobs starts only now, with everything a job needs in place.
    worker.run().catch((error: Error) => this.logger.error(`The worker stopped: ${error.message}`));
    await worker.waitUntilReady();
    this.logger.info(
      `Serving queue "${s.queueName}" at ${redactRedisUrl(s.url)} with concurrency ${s.concurrency} (worker ${this.id}).`,
    );
  }

  /** BullMQ's worker on the queue, not yet running. */
  private createWorker(bull: BullMQModule, client: Redis): Worker {
    const s = this.settings;
    const worker = new bull.Worker(
      s.queueName,
      (job: Job, token?: string) => this.process(bull, client, job, token),
      {
        connection: bullmqConnection(s.url),
        prefix: s.prefix,
        name: this.id,
        autorun: false,
        concurrency: s.concurrency,
        lockDuration: s.lockDurationMs,
        stalledInterval: s.stalledIntervalMs,
        maxStalledCount: s.maxStalledCount,
      },
    );
    watchConnection(worker, s.url, this.logger);
    worker.on("lockRenewalFailed", (jobIds: string[]) => {
      for (const id of jobIds) {
        this.abortJob(id, { kind: "lockLost", reason: "the worker lost the job's lock (Redis unreachable)" });
      }
    });
    return worker;
  }

  private announcement(): WorkerAnnouncement {
    return {
      concurrency: this.settings.concurrency,
      host: hostname(),
      pid: process.pid,
      startedAt: new Date().toISOString(),
    };
  }

  /**
   * Stops taking jobs; active jobs get `shutdownGraceSeconds` to finish, then go back to the queue for
   * another worker (without counting as a failed attempt); then closes the connections. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** Hands every active job back to the queue now (a second SIGTERM). */
  returnActiveJobs(): void {
    for (const id of this.active.keys()) {
      this.abortJob(id, { kind: "shutdown", reason: "the worker is shutting down" });
    }
  }

  private async shutdown(): Promise<void> {
    const started = this.started;
    if (!started) return;
    if (this.active.size > 0) {
      this.logger.info(
        `Shutting down: ${this.active.size} active jobs get ${this.settings.shutdownGraceMs / 1000} s to finish.`,
      );
    }
    const grace = setTimeout(() => this.returnActiveJobs(), this.settings.shutdownGraceMs);
    try {
      await started.worker.close();
    } finally {
      clearTimeout(grace);
      clearInterval(started.livenessTimer);
      await started.heartbeat.stop();
      await started.subscriber.quit().catch(() => started.subscriber.disconnect());
      await started.client.quit().catch(() => started.client.disconnect());
      this.started = null;
      this.logger.info(`Worker ${this.id} closed.`);
    }
  }

  /** BullMQ's processor: checks the job, evaluates it, maps aborts to what they mean for the job. */
  private async process(
    bull: BullMQModule,
    client: Redis,
    job: Job,
    token: string | undefined,
  ): Promise<unknown> {
    const jobId = job.id ?? "";
    const payload = parseJobPayload(job.data);
    if (typeof payload === "string") {
      this.logger.warn(`Discarding job ${jobId}: ${payload}.`);
      throw new bull.UnrecoverableError(`Malformed job: ${payload}`);
    }
    if (!(await this.isAlive(client, payload, jobId))) {
      const why = "its trial no longer exists (stopped, or its Scheduler stopped renewing it)";
      this.logger.info(
        `Discarding job ${jobId} (trial ${payload.trialIndex} of "${payload.experimentName}"): ${why}.`,
      );
      throw new bull.UnrecoverableError(`Discarded: ${why}`);
    }
    const evaluation = new RunningEvaluation(
      this.settings.evaluator,
      {
        jobId,
        experimentName: payload.experimentName,
        trialIndex: payload.trialIndex,
        parameters: payload.parameters,
        timeoutSeconds: payload.timeoutSeconds,
        attempt: job.attemptsMade + 1,
      },
      (record) => this.deliverProgress(client, job, record),
    );
    this.active.set(jobId, { payload, evaluation });
    try {
      return storableTrialResult(await evaluation.result());
    } catch (error) {
      throw await this.failure(bull, job, token, evaluation.abortedAs, error);
    } finally {
      this.active.delete(jobId);
    }
  }

  /**
   * Sends a progress record to the runner: appended to the job's progress list (every step is kept,
   * where BullMQ keeps only a job's latest progress) and set as the job's BullMQ progress (what queue
   * dashboards show). A failed write is logged: the evaluation goes on without that step.
   */
  private async deliverProgress(client: Redis, job: Job, record: ProgressRecord): Promise<void> {
    const key = this.keys.progress(job.id ?? "");
    try {
      await client.multi().rpush(key, JSON.stringify(record)).expire(key, PROGRESS_TTL_SECONDS).exec();
      await job.updateProgress({ progression: record.progression, values: record.values });
    } catch (error) {
      this.logger.warn(`Could not deliver progress of job ${job.id}: ${(error as Error).message}.`);
    }
  }

  /** The error to end a job's attempt with, given why (if at all) its evaluation was aborted. */
  private async failure(
    bull: BullMQModule,
    job: Job,
    token: string | undefined,
    aborted: EvaluationAbort | null,
    error: unknown,
  ): Promise<Error> {
    if (aborted?.kind === "stop" || aborted?.kind === "discard") {
      this.logger.info(`Job ${job.id} aborted: ${aborted.reason}.`);
      return new bull.UnrecoverableError(
        aborted.kind === "stop" ? `Stopped: ${aborted.reason}` : aborted.reason,
      );
    }
    if (aborted?.kind === "shutdown") {
      // Back to the queue, as if never taken: another worker evaluates it from the start.
      await job.moveToWait(token);
      this.logger.info(`Job ${job.id} handed back to the queue: ${aborted.reason}.`);
      return new bull.WaitingError();
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  /** Whether the job's trial is still alive; an unreachable Redis counts as alive (nothing is lost). */
  private async isAlive(client: Redis, payload: QueueJobPayload, jobId: string): Promise<boolean> {
    try {
      return (await client.sismember(this.keys.live(payload.experimentKey), jobId)) === 1;
    } catch {
      return true;
    }
  }

  /** Aborts active jobs whose trial was stopped or whose experiment went away (a lost stop message). */
  private async checkLiveness(client: Redis): Promise<void> {
    const entries = [...this.active];
    if (entries.length === 0) return;
    try {
      const alive = await Promise.all(
        entries.map(([id, job]) => client.sismember(this.keys.live(job.payload.experimentKey), id)),
      );
      entries.forEach(([id], i) => {
        if (alive[i] === 0) this.abortJob(id, { kind: "discard", reason: "its trial no longer exists" });
      });
    } catch {
      // Redis unreachable: checked again at the next tick.
    }
  }

  private onStopMessage(message: string): void {
    try {
      const { jobId, reason } = JSON.parse(message) as { jobId?: unknown; reason?: unknown };
      if (typeof jobId !== "string") return;
      this.abortJob(jobId, { kind: "stop", reason: typeof reason === "string" ? reason : "stopped" });
    } catch {
      this.logger.debug(`Ignoring a malformed stop message: ${message.slice(0, 200)}`);
    }
  }

  private abortJob(jobId: string, abort: EvaluationAbort): void {
    this.active.get(jobId)?.evaluation.abort(abort);
  }
}
