import type { Redis } from "ioredis";
import type { Logger } from "../../util/logger.js";
import type { QueueKeys } from "./queue-keys.js";

/**
 * The liveness of the trials a runner has in its queue: per experiment, a Redis set of the job ids of its
 * trials still alive, which expires unless renewed. The runner adds a job before queuing it, removes it
 * when the trial finished or is stopped, and renews the set every fifth of the lease while it is open
 * (and at every poll). A worker evaluates a job only while it is in the set: a stopped trial, or one whose
 * Scheduler went away for longer than the lease, is discarded instead of evaluated for nobody.
 */
export class TrialLeases {
  private readonly byExperiment = new Map<string, Set<string>>();
  private readonly jobIds = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly keys: QueueKeys,
    private readonly leaseMs: number,
    private readonly logger: Logger,
  ) {}

  /** Whether a job is one of this runner's live trials (events of other jobs are not ours). */
  has(jobId: string): boolean {
    return this.jobIds.has(jobId);
  }

  /** Marks jobs alive (in Redis and here); call it before queuing them. */
  async add(client: Redis, experimentKey: string, jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    this.remember(experimentKey, jobIds);
    const key = this.keys.live(experimentKey);
    await Promise.all([client.sadd(key, ...jobIds), client.pexpire(key, this.leaseMs)]);
  }

  /** Marks jobs no longer alive: their trials finished or were stopped. */
  async remove(client: Redis, experimentKey: string, jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    const set = this.byExperiment.get(experimentKey);
    for (const id of jobIds) {
      set?.delete(id);
      this.jobIds.delete(id);
    }
    if (set?.size === 0) this.byExperiment.delete(experimentKey);
    await client.srem(this.keys.live(experimentKey), ...jobIds);
  }

  /** Renews every live set now, and then every fifth of the lease until {@link TrialLeases.stop}. */
  start(client: Redis): void {
    this.stop();
    this.timer = setInterval(() => void this.renew(client), Math.max(1, this.leaseMs / 5));
    // The runner must not keep a finished program alive.
    this.timer.unref();
  }

  /** Stops renewing (the sets expire after the lease unless another runner renews them). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Re-adds the live jobs and pushes back the sets' expiry (re-adding restores them after Redis lost its
   * data). Failures are logged: the next renewal tries again well within the lease.
   */
  async renew(client: Redis): Promise<void> {
    const writes: Promise<unknown>[] = [];
    for (const [experimentKey, ids] of this.byExperiment) {
      const key = this.keys.live(experimentKey);
      writes.push(client.sadd(key, ...ids), client.pexpire(key, this.leaseMs));
    }
    try {
      await Promise.all(writes);
    } catch (error) {
      this.logger.debug(`Could not renew the trials' leases: ${(error as Error).message}.`);
    }
  }

  private remember(experimentKey: string, jobIds: readonly string[]): void {
    let set = this.byExperiment.get(experimentKey);
    if (!set) {
      set = new Set();
      this.byExperiment.set(experimentKey, set);
    }
    for (const id of jobIds) {
      set.add(id);
      this.jobIds.add(id);
    }
  }
}
