import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { ExperimentStore } from "../core/experiment-store.js";
import { ExperimentLockedError } from "../errors.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import { errorMessage } from "./format.js";

/** How long a lease lasts without a heartbeat, unless `leaseTtlSeconds` says otherwise. */
export const DEFAULT_LEASE_TTL_MS = 60_000;

/**
 * Holds a Scheduler's lease on its experiment while a run is in progress, so that a second Scheduler
 * on the same experiment is refused. The lease is renewed as the loop goes (always for longer than the
 * next wait), and released when the run ends. A lease left behind by a process that died on this host
 * is taken over at once; one from another host is taken over once it has expired.
 * @internal
 */
export class LeaseKeeper {
  /** `host:pid:random`: unique per Scheduler instance, and tells whether the holder is still alive. */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  private expiresAt = 0;
  private held = false;
  /** Renewals that failed in a row (the store was unreachable). */
  private failedRenewals = 0;

  constructor(
    private readonly experimentName: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly ttlMs = DEFAULT_LEASE_TTL_MS,
  ) {}

  /**
   * Takes the lease.
   * @throws ExperimentLockedError when another live Scheduler holds it.
   */
  async acquire(store: ExperimentStore): Promise<void> {
    const now = this.clock.now();
    try {
      await store.acquireLease(this.experimentName, this.owner, this.ttlMs, now);
    } catch (error) {
      if (!(error instanceof ExperimentLockedError) || !isDeadLocalProcess(error.owner)) throw error;
      this.logger.warn(
        `Taking over the lease of experiment "${this.experimentName}" from ${error.owner}, a process on this host that no longer runs.`,
      );
      await store.releaseLease(this.experimentName, error.owner);
      await store.acquireLease(this.experimentName, this.owner, this.ttlMs, now);
    }
    this.held = true;
    this.expiresAt = now + this.ttlMs;
  }

  /**
   * Renews the lease when less than `aheadMs` (plus half the TTL) is left, so that it outlives the next
   * wait of the loop. With `tolerateFailures`, a renewal that fails for another reason than a takeover
   * (the store is down) is logged and tried again at the next call, instead of ending the run.
   * @throws ExperimentLockedError when another Scheduler took the lease over.
   */
  async keep(store: ExperimentStore, aheadMs = 0, tolerateFailures = false): Promise<void> {
    if (!this.held) return;
    const now = this.clock.now();
    const ttl = Math.max(this.ttlMs, aheadMs + this.ttlMs / 2);
    if (this.expiresAt - now > aheadMs + this.ttlMs / 2) return;
    try {
      await store.renewLease(this.experimentName, this.owner, ttl, now);
    } catch (error) {
      if (error instanceof ExperimentLockedError || !tolerateFailures) throw error;
      this.failedRenewals++;
      if (this.failedRenewals === 1) {
        this.logger.error(
          `Renewing the lease of experiment "${this.experimentName}" failed: ${errorMessage(error)}; ` +
            `retrying at every step. Unless renewed, it expires at ${new Date(this.expiresAt).toISOString()}, ` +
            "after which another Scheduler may take the experiment over.",
        );
      }
      return;
    }
    if (this.failedRenewals > 0) {
      this.logger.info(
        `Renewed the lease of experiment "${this.experimentName}" after ${this.failedRenewals} failed attempt${this.failedRenewals === 1 ? "" : "s"}.`,
      );
      this.failedRenewals = 0;
    }
    this.expiresAt = now + ttl;
  }

  /** Gives the lease up; failures are logged, not thrown (the lease then expires by itself). */
  async release(store: ExperimentStore): Promise<void> {
    if (!this.held) return;
    this.held = false;
    try {
      await store.releaseLease(this.experimentName, this.owner);
    } catch (error) {
      this.logger.warn(
        `Could not release the lease of experiment "${this.experimentName}": ${String(error)}.`,
      );
    }
  }
}

/** Whether `owner` (`host:pid:random`) names a process on this host that is not running. */
function isDeadLocalProcess(owner: string): boolean {
  const [host, pidText] = owner.split(":");
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
