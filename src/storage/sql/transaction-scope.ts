import { AsyncLocalStorage } from "node:async_hooks";
import type { AscentDb, SqlBackend } from "./sql-tables.js";

/** The transaction active in an async context: its connection, and what to do once it committed. */
export interface ActiveTransaction {
  readonly conn: AscentDb;
  /** Run after COMMIT succeeded (never after a rollback): in-memory bookkeeping of what was written. */
  readonly onCommit: (() => void)[];
}

/**
 * Carries a store's active transaction through async calls with AsyncLocalStorage, so that the store's
 * methods called inside `withTransaction(fn)` use fn's connection, and nested calls join the outer
 * transaction instead of opening a second one (which on SQLite would wait for the first forever).
 * One scope per store: another store's transaction is never joined.
 * @internal
 */
export class TransactionScope {
  private readonly storage = new AsyncLocalStorage<ActiveTransaction>();

  constructor(private readonly backend: SqlBackend) {}

  /** The active transaction's connection, or the store's root handle outside transactions. */
  get executor(): AscentDb {
    return this.storage.getStore()?.conn ?? this.backend.db;
  }

  /**
   * Runs `fn` in a write transaction: the active one if any, else a new one that commits when `fn`
   * resolves and rolls back when it throws. With `lockExperiment`, the experiment's write lock is taken
   * first (and held until the outermost transaction ends). Errors of `fn` are rethrown unchanged; failures
   * to begin, lock or commit become StorageErrors.
   */
  async run<T>(fn: (tx: ActiveTransaction) => Promise<T>, lockExperiment?: string): Promise<T> {
    const outer = this.storage.getStore();
    if (outer) {
      if (lockExperiment !== undefined) {
        await this.driver("Locking the experiment", () => this.lock(outer.conn, lockExperiment));
      }
      return fn(outer);
    }
    try {
      return await this.backend.db.connection().execute(async (conn) => {
        await this.driver("Starting a transaction", () => this.backend.beginWrite(conn));
        const tx: ActiveTransaction = { conn, onCommit: [] };
        let result: T;
        try {
          if (lockExperiment !== undefined) {
            await this.driver("Locking the experiment", () => this.lock(conn, lockExperiment));
          }
          result = await this.storage
            .run(tx, () => fn(tx))
            .catch((error: unknown) => {
              throw new FnFailure(error);
            });
          await this.driver("Committing a transaction", () => this.backend.executeRaw(conn, "COMMIT"));
        } catch (error) {
          await this.backend.executeRaw(conn, "ROLLBACK").catch(() => undefined);
          throw error;
        }
        for (const hook of tx.onCommit) hook();
        return result;
      });
    } catch (error) {
      if (error instanceof FnFailure) throw error.error;
      // Anything else failed in the driver, e.g. no connection could be taken from the pool.
      throw this.backend.toStorageError(error, "Starting a transaction");
    }
  }

  private lock(conn: AscentDb, experimentName: string): Promise<void> {
    return this.backend.lockExperiment(conn, experimentName);
  }

  private async driver<T>(action: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      throw this.backend.toStorageError(error, action);
    }
  }
}

/** Marks an error thrown by the caller's function, so that it is rethrown as is, not as a driver error. */
class FnFailure {
  constructor(readonly error: unknown) {}
}
