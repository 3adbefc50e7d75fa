import { AsyncLocalStorage } from "node:async_hooks";

/** The transaction an async context is in: how to undo its changes, and what to do once it commits. */
interface ActiveTransaction {
  readonly undo: (() => void)[];
  readonly onCommit: (() => void)[];
}

/**
 * Transactions and experiment locks of a MemoryStore. A change is applied at once; inside a
 * transaction its undo step is recorded (run in reverse order when the transaction throws) and its
 * bookkeeping waits for the commit, as a SQL store's does. Nested transactions join the outer one.
 * @internal
 */
export class MemoryTransactions {
  private readonly active = new AsyncLocalStorage<ActiveTransaction>();
  private readonly locks = new Map<string, Promise<void>>();

  /** Applies a change: `undo` reverts it if the enclosing transaction fails; `committed` runs after commit. */
  apply(change: () => void, undo: () => void, committed?: () => void): void {
    change();
    const tx = this.active.getStore();
    if (!tx) {
      committed?.();
      return;
    }
    tx.undo.push(undo);
    if (committed) tx.onCommit.push(committed);
  }

  /** Runs `fn` in a transaction (joining the active one, if any). */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active.getStore()) return fn();
    const tx: ActiveTransaction = { undo: [], onCommit: [] };
    let result: T;
    try {
      result = await this.active.run(tx, fn);
    } catch (error) {
      for (let i = tx.undo.length - 1; i >= 0; i--) tx.undo[i]!();
      throw error;
    }
    for (const hook of tx.onCommit) hook();
    return result;
  }

  /** Runs `fn` in a transaction after every earlier caller holding the same name has finished. */
  async runLocked<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(name) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const chained = previous.then(() => current);
    this.locks.set(name, chained);
    await previous;
    try {
      return await this.run(fn);
    } finally {
      release();
      if (this.locks.get(name) === chained) this.locks.delete(name);
    }
  }
}
