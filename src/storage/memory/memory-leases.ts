import { lockedError } from "../store-errors.js";

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
    if (lease && lease.owner !== owner && lease.expiresAt > now)
      throw lockedError(name, lease.owner, lease.expiresAt);
    this.leases.set(name, { owner, expiresAt: now + ttlMs });
  }

  /** @throws ExperimentLockedError when another owner took the lease over. */
  renew(name: string, owner: string, ttlMs: number, now: number): void {
    const lease = this.leases.get(name);
    if (lease && lease.owner !== owner) throw lockedError(name, lease.owner, lease.expiresAt);
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
