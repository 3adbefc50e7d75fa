/** Runs trials as BullMQ jobs in Redis, evaluated by workers on any number of machines. */
export {
  type AbortKind,
  commandEvaluator,
  type EvaluationAbort,
  functionEvaluator,
  type JobEvaluator,
  type QueueEvaluateFunction,
  type QueueEvaluationContext,
  type WorkerCommandOptions,
  type WorkerJob,
} from "./evaluate-job.js";
export { experimentKey, jobIdOf, trialJobId } from "./job-id.js";
export { JOB_PAYLOAD_FORMAT, parseJobPayload, type QueueJobPayload } from "./job-payload.js";
export { QueueRunner } from "./queue-runner.js";
export type { QueueConnectionOptions, QueueRunnerOptions } from "./queue-runner-options.js";
export { QueueWorker } from "./queue-worker.js";
export type { QueueWorkerOptions } from "./queue-worker-options.js";
export { DEFAULT_REDIS_URL, REDIS_URL_ENV, redactRedisUrl, resolveRedisUrl } from "./redis-url.js";
