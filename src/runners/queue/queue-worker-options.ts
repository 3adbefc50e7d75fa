import { QueueRunnerError } from "../../errors.js";
import { Logger } from "../../util/logger.js";
import {
  commandEvaluator,
  functionEvaluator,
  type JobEvaluator,
  type QueueEvaluateFunction,
  type WorkerCommandOptions,
} from "./evaluate-job.js";
import type { QueueConnectionOptions } from "./queue-runner-options.js";
import { checkQueueName } from "./queue-runner-options.js";
import { resolveRedisUrl } from "./redis-url.js";

/** Options of a {@link QueueWorker}: where to take jobs from, and how to evaluate them (one of three forms). */
export interface QueueWorkerOptions {
  /** The Redis server (as for QueueRunner; default `ASCENT_REDIS_URL`, else `redis://127.0.0.1:6379`). */
  readonly connection?: QueueConnectionOptions;
  /** The queue to serve: the QueueRunner's `queueName`. */
  readonly queueName: string;
  /** Module form: `evaluate(parameters, ctx)`, as a FunctionRunner calls it. */
  readonly evaluate?: QueueEvaluateFunction;
  /** Command form: one process per job, with CommandRunner's rules. */
  readonly command?: WorkerCommandOptions;
  /** Any other evaluation: called with the job and an AbortSignal. */
  readonly evaluator?: JobEvaluator;
  /** Jobs evaluated at once by this worker. Default 1. */
  readonly concurrency?: number;
  /** BullMQ's key prefix (the runner's `prefix`). Default "bull". */
  readonly prefix?: string;
  /**
   * Seconds a job's lock lasts unless renewed (every half of it while the job runs). A worker that dies
   * holds its jobs this long at most before another worker's stall check hands them out again. Default 30.
   */
  readonly lockDurationSeconds?: number;
  /** Seconds between this worker's checks for stalled jobs (jobs of dead workers). Default 30. */
  readonly stalledIntervalSeconds?: number;
  /** Times a job may stall (its worker died) and be handed out again before it FAILs. Default 1. */
  readonly maxStalledCount?: number;
  /** On close, seconds active jobs get to finish before they go back to the queue for another worker. Default 30. */
  readonly shutdownGraceSeconds?: number;
  /** Seconds between checks that the trials being evaluated still exist. Default 5. */
  readonly livenessCheckSeconds?: number;
  /** Seconds the worker's announcement (and concurrency) outlives it without renewal. Default 15. */
  readonly heartbeatSeconds?: number;
  /** Where the worker logs. Default: a console logger named "QueueWorker". */
  readonly logger?: Logger;
}

/** A QueueWorker's settings, checked, with defaults filled in. */
export interface QueueWorkerSettings {
  readonly url: string;
  readonly queueName: string;
  readonly evaluator: JobEvaluator;
  readonly concurrency: number;
  readonly prefix: string;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  readonly maxStalledCount: number;
  readonly shutdownGraceMs: number;
  readonly livenessCheckMs: number;
  readonly heartbeatMs: number;
}

/**
 * Checks a QueueWorker's options and fills in defaults.
 * @throws QueueRunnerError naming the option at fault, or when not exactly one of `evaluate`, `command`
 * and `evaluator` is given.
 */
export function queueWorkerSettings(options: QueueWorkerOptions): QueueWorkerSettings {
  const queueName = checkQueueName(options?.queueName);
  const fail = (what: string): never => {
    throw new QueueRunnerError(`QueueWorker option ${what}.`, { queueName });
  };
  const forms = [options.evaluate, options.command, options.evaluator].filter((f) => f !== undefined);
  if (forms.length !== 1) {
    fail(
      `needs exactly one of evaluate (a function), command (a program to run) or evaluator; got ${forms.length}`,
    );
  }
  if (options.evaluate !== undefined && typeof options.evaluate !== "function")
    fail("evaluate must be a function");
  const evaluator =
    options.evaluator ??
    (options.evaluate
      ? functionEvaluator(options.evaluate)
      : commandEvaluator(options.command!, (line) =>
          (options.logger ?? new Logger({ name: "QueueWorker" })).warn(line),
        ));
  const int = (name: string, value: number, min: number): number => {
    if (!Number.isSafeInteger(value) || value < min)
      fail(`${name} must be an integer ≥ ${min}, got ${value}`);
    return value;
  };
  const ms = (name: string, seconds: number): number => {
    if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds <= 0) {
      fail(`${name} must be a positive number of seconds, got ${String(seconds)}`);
    }
    return Math.max(1, Math.round(seconds * 1000));
  };
  const grace = options.shutdownGraceSeconds ?? 30;
  if (typeof grace !== "number" || !(grace >= 0)) fail(`shutdownGraceSeconds must be ≥ 0, got ${grace}`);
  return {
    url: resolveRedisUrl(options.connection?.url),
    queueName,
    evaluator,
    concurrency: int("concurrency", options.concurrency ?? 1, 1),
    prefix: options.prefix ?? "bull",
    lockDurationMs: ms("lockDurationSeconds", options.lockDurationSeconds ?? 30),
    stalledIntervalMs: ms("stalledIntervalSeconds", options.stalledIntervalSeconds ?? 30),
    maxStalledCount: int("maxStalledCount", options.maxStalledCount ?? 1, 0),
    shutdownGraceMs: grace * 1000,
    livenessCheckMs: ms("livenessCheckSeconds", options.livenessCheckSeconds ?? 5),
    heartbeatMs: ms("heartbeatSeconds", options.heartbeatSeconds ?? 15),
  };
}
