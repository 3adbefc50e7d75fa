import { ExperimentLockedError } from "../../errors.js";

/** Who holds an experiment's lease, and until when (ms since epoch). */
export interface MemoryLease {
  owner: string;
  expiresAt: number;
}

/** The leases of a MemoryStore, with the same rules as the SQL stores' lease table. @internal */
export class MemoryLeases {
  private readonly leases = new Map<string, MemoryLease>();

  /** @throws ExperimentLockedError when another owner holds a lease not expired at `now`. */
  acquire(name: string, owner: string, ttlMs: number, now: number): void {
    const lease = this.leases.get(name);
    if (lease && lease.owner !== owner && lease.expiresAt > now) throw lockedError(name, lease);
    this.leases.set(name, { owner, expiresAt: now + ttlMs });
  }

  /** @throws ExperimentLockedError when another owner took the lease over. */
  renew(name: string, owner: string, ttlMs: number, now: number): void {
    const lease = this.leases.get(name);
    if (lease && lease.owner !== owner) throw lockedError(name, lease);
    this.leases.set(name, { owner, expiresAt: now + ttlMs });
  }

  release(name: string, owner: string): void {
    if (this.leases.get(name)?.owner === owner) this.leases.delete(name);
  }

  /** Removes and returns an experiment's lease (deleting the experiment). */
  take(name: string): MemoryLease | undefined {
    const lease = this.leases.get(name);
    this.leases.delete(name);
    return lease;
  }

  /** Puts a lease back (undoing a delete). */
  put(name: string, lease: MemoryLease): void {
    this.leases.set(name, lease);
  }
}

function lockedError(name: string, lease: MemoryLease): ExperimentLockedError {
  return new ExperimentLockedError(
    `Experiment "${name}" is being run by another Scheduler (${lease.owner}) until ` +
      `${new Date(lease.expiresAt).toISOString()}. Stop that Scheduler first, or wait for its lease to expire.`,
    { experimentName: name, owner: lease.owner, expiresAt: lease.expiresAt },
  );
}
