/**
 * Names of the Redis keys and channel that runners and workers of one queue share besides BullMQ's own.
 * They live under BullMQ's prefix and queue name (`bull:<queue>:ascent:...`), so removing a queue's keys
 * removes them too; job ids never contain `:`, so they cannot clash with a job's keys.
 */
export class QueueKeys {
  /** `<prefix>:<queue>`, as BullMQ names the queue's keys. */
  readonly base: string;

  constructor(prefix: string, queueName: string) {
    this.base = `${prefix}:${queueName}:ascent`;
  }

  /** Set of the job ids of an experiment whose trials are alive; expires when no runner renews it. */
  live(experimentKey: string): string {
    return `${this.base}:live:${experimentKey}`;
  }
  /** Set of the ids of workers that announced themselves. */
  get workers(): string {
    return `${this.base}:workers`;
  }
  /** A worker's heartbeat (its concurrency, host and pid as JSON), expiring unless renewed. */
  worker(workerId: string): string {
    return `${this.base}:worker:${workerId}`;
  }
  /** A value that changes when Redis loses the queue's data (a restart without persistence). */
  get epoch(): string {
    return `${this.base}:epoch`;
  }
  /**
   * List of a job's progress records (JSON), appended by its worker as the evaluation reports them, read
   * by the runner from where it last stopped; expires when no progress comes for a week.
   */
  progress(jobId: string): string {
    return `${this.base}:progress:${jobId}`;
  }
  /** Pub/sub channel on which runners ask workers to stop a job (`{"jobId","reason"}`). */
  get stopChannel(): string {
    return `${this.base}:stop`;
  }
}
