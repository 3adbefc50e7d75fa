import type { JsonObject } from "../../core/json.js";
import { QueueRunnerError } from "../../errors.js";
import type { Logger } from "../../util/logger.js";
import { redactRedisUrl, resolveRedisUrl } from "./redis-url.js";

/** Where the queue's Redis is. */
export interface QueueConnectionOptions {
  /**
   * `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. Default: `ASCENT_REDIS_URL`, else
   * `redis://127.0.0.1:6379`. A URL without credentials takes those of `ASCENT_REDIS_URL` for the same
   * host and port, so credentials can stay in the environment.
   */
  readonly url?: string;
}

/** Options of a {@link QueueRunner}. */
export interface QueueRunnerOptions {
  /** The Redis server; see {@link QueueConnectionOptions}. */
  readonly connection?: QueueConnectionOptions;
  /** The BullMQ queue the workers serve (`ascent worker --queue NAME`). No `:`. */
  readonly queueName: string;
  /** Evaluations a trial gets before it is FAILED (a failed attempt is retried after a backoff). Default 1. */
  readonly attempts?: number;
  /** Wait before the first retry of a failed attempt, doubled for each further one, in seconds. Default 5. */
  readonly backoffSeconds?: number;
  /** Seconds an evaluation may run before the worker aborts it (a failed attempt); null (default) for no limit. */
  readonly jobTimeoutSeconds?: number | null;
  /**
   * Seconds the trials stay alive in the queue without this runner renewing them (it does so while it is
   * open, every fifth of this). A worker discards a job whose trial is no longer alive: stopped, or whose
   * Scheduler went away for longer than this. Default 900.
   */
  readonly trialLeaseSeconds?: number;
  /** Seconds finished jobs (and their results) are kept in Redis. Default 7 days. */
  readonly keepJobsSeconds?: number;
  /** BullMQ's key prefix. Default "bull". */
  readonly prefix?: string;
  /** Where the runner logs connection trouble. Default: a console logger named "QueueRunner". */
  readonly logger?: Logger;
}

/** A QueueRunner's settings, checked and with defaults filled in. */
export interface QueueRunnerSettings {
  /** The URL connected to (with credentials). */
  readonly url: string;
  readonly queueName: string;
  readonly attempts: number;
  readonly backoffSeconds: number;
  readonly jobTimeoutSeconds: number | null;
  readonly trialLeaseSeconds: number;
  readonly keepJobsSeconds: number;
  readonly prefix: string;
}

const WEEK_SECONDS = 7 * 24 * 3600;

/**
 * Checks a QueueRunner's options and fills in defaults.
 * @throws QueueRunnerError naming the option at fault.
 */
export function queueRunnerSettings(options: QueueRunnerOptions): QueueRunnerSettings {
  if (options === null || typeof options !== "object") {
    throw new QueueRunnerError(
      'new QueueRunner takes an options object, e.g. new QueueRunner({ queueName: "trials" }).',
    );
  }
  const queueName = checkQueueName(options.queueName);
  const fail = (what: string): never => {
    throw new QueueRunnerError(`QueueRunner option ${what}.`, { queueName });
  };
  const attempts = options.attempts ?? 1;
  if (!Number.isSafeInteger(attempts) || attempts < 1)
    fail(`attempts must be an integer ≥ 1, got ${attempts}`);
  const positive = (name: string, value: number): number => {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      fail(`${name} must be a positive number of seconds, got ${String(value)}`);
    }
    return value;
  };
  const timeout = options.jobTimeoutSeconds ?? null;
  const prefix = options.prefix ?? "bull";
  if (typeof prefix !== "string" || prefix === "" || prefix.includes(":")) {
    fail(`prefix must be a non-empty string without ":", got ${JSON.stringify(prefix)}`);
  }
  return {
    url: resolveRedisUrl(options.connection?.url),
    queueName,
    attempts,
    backoffSeconds: positive("backoffSeconds", options.backoffSeconds ?? 5),
    jobTimeoutSeconds: timeout === null ? null : positive("jobTimeoutSeconds", timeout),
    trialLeaseSeconds: positive("trialLeaseSeconds", options.trialLeaseSeconds ?? 900),
    keepJobsSeconds: positive("keepJobsSeconds", options.keepJobsSeconds ?? WEEK_SECONDS),
    prefix,
  };
}

/**
 * Checks a queue name (shared with workers).
 * @throws QueueRunnerError when it is not a non-empty string without `:`.
 */
export function checkQueueName(queueName: unknown): string {
  if (typeof queueName !== "string" || queueName === "" || queueName.includes(":")) {
    throw new QueueRunnerError(
      `The queue name must be a non-empty string without ":" (BullMQ's key separator), got ` +
        `${JSON.stringify(queueName)}; e.g. queueName: "trials".`,
    );
  }
  return queueName;
}

/** What is stored of a QueueRunner: its settings, with the URL's credentials left out. */
export function storedSettings(settings: QueueRunnerSettings): JsonObject {
  return {
    connection: { url: redactRedisUrl(settings.url) },
    queueName: settings.queueName,
    attempts: settings.attempts,
    backoffSeconds: settings.backoffSeconds,
    jobTimeoutSeconds: settings.jobTimeoutSeconds,
    trialLeaseSeconds: settings.trialLeaseSeconds,
    keepJobsSeconds: settings.keepJobsSeconds,
    prefix: settings.prefix,
  };
}
