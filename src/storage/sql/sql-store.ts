import type { BaseTrial } from "../../core/base-trial.js";
import { Data } from "../../core/data.js";
import type { Experiment } from "../../core/experiment.js";
import type { ExperimentStore } from "../../core/experiment-store.js";
import type { JsonValue } from "../../core/json.js";
import { AscentError, StorageError } from "../../errors.js";
import { type Clock, systemClock } from "../../util/clock.js";
import { ChangeTracker } from "../change-tracker.js";
import { checkStoredTrialFits } from "../codec/experiment-codec.js";
import { decodeExperiment, decodeTrialSnapshot, encodeExperiment } from "../codec/index.js";
import { experimentExistsError, lockedError, notSavedError, readOnlyError } from "../store-errors.js";
import { openSchema } from "./migrations.js";
import type { PostgresStoreOptions } from "./postgres-backend.js";
import { takeLease } from "./sql-leases.js";
import {
  type ExperimentHead,
  experimentHead,
  insertDataRows,
  insertExperimentIfAbsent,
  nextChange,
  selectDataRows,
  selectTrials,
  trialRowValues,
  upsertGenerationState,
  upsertTrials,
} from "./sql-queries.js";
import type { AscentDb, SqlBackend, SqlDialectName } from "./sql-tables.js";
import type { SqliteStoreOptions } from "./sqlite-backend.js";
import { type ActiveTransaction, TransactionScope } from "./transaction-scope.js";

/** Options every SQL store takes. */
export interface SqlStoreCommonOptions {
  /** Clock of the experiments it loads, and of its row timestamps. The system clock by default. */
  clock?: Clock;
}

/**
 * An {@link ExperimentStore} in SQLite (a file, WAL mode) or PostgreSQL, through Kysely. Every save
 * writes only what it is given (a batch of trials is one upsert, new observations one insert) and
 * costs the same however large the experiment is; loading reads each table once.
 *
 * Opening checks the database first and never modifies one that is not an Ascent store or that a
 * newer Ascent wrote; then it applies the missing schema migrations.
 * @example
 * const store = await SqlStore.openSqlite({ path: "./ascent.db" });
 * await store.saveExperiment(experiment);
 * const again = await store.loadExperiment(experiment.name);
 */
export class SqlStore implements ExperimentStore {
  /** Which database this store talks to. */
  readonly dialect: SqlDialectName;
  /** Where the store is (the file path, or the URL with its password masked). */
  readonly description: string;
  private readonly scope: TransactionScope;
  private readonly tracker = new ChangeTracker();
  private closed = false;

  private constructor(
    private readonly backend: SqlBackend,
    private readonly clock: Clock,
  ) {
    this.dialect = backend.dialect;
    this.description = backend.location;
    this.scope = new TransactionScope(backend);
  }

  /**
   * Opens (creating if needed) a SQLite store.
   * @throws StorageError naming the path when the file is not a SQLite database, is corrupt, belongs to
   * something else, or was written by a newer Ascent (the file is then left untouched).
   */
  static async openSqlite(options: SqliteStoreOptions & SqlStoreCommonOptions): Promise<SqlStore> {
    // Imported here, with the query builder it needs, so that importing the package loads neither.
    const { openSqliteBackend } = await import("./sqlite-backend.js");
    return SqlStore.open(await openSqliteBackend(options), options.clock);
  }

  /**
   * Opens a PostgreSQL store, creating its schema and tables when missing.
   * @throws StorageError when the server cannot be reached, refuses the user or password, has no such
   * database, or holds tables that are not Ascent's or are newer (nothing is then changed).
   */
  static async openPostgres(options: PostgresStoreOptions & SqlStoreCommonOptions): Promise<SqlStore> {
    const { openPostgresBackend } = await import("./postgres-backend.js");
    return SqlStore.open(await openPostgresBackend(options), options.clock);
  }

  private static async open(backend: SqlBackend, clock: Clock | undefined): Promise<SqlStore> {
    try {
      await openSchema(backend);
    } catch (error) {
      await backend.close().catch(() => undefined);
      throw backend.toStorageError(error, "Opening the store");
    }
    return new SqlStore(backend, clock ?? systemClock);
  }

  /** Whether the store was opened for reading only (every write then fails with a StorageError). */
  get isReadOnly(): boolean {
    return this.backend.readOnly;
  }

  /** Whether {@link SqlStore.close} was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Inserts the experiment (definition, trials, data) and its generation state in one transaction, if
   * no experiment of that name exists: the unique name decides between concurrent creators.
   * @throws ExperimentExistsError when the name is taken; StorageError for an unregistered class.
   */
  async createExperiment(experiment: Experiment, generationState: JsonValue): Promise<void> {
    const name = experiment.name;
    // Everything is serialized before the transaction: it may throw, and the lock is held only for SQL.
    const definition = JSON.stringify(encodeExperiment(experiment));
    const state = JSON.stringify(generationState);
    const trials = trialRowValues([...experiment.trials.values()]);
    const rows = experiment.lookupCurveData().rows; // progression rows too, not only latest values
    await this.write(`Creating experiment "${name}"`, async (tx) => {
      const now = this.clock.now();
      const seq = trials.length > 0 || rows.length > 0 ? 1 : 0;
      const id = await insertExperimentIfAbsent(tx.conn, { name, definition, seq, now });
      if (id === undefined) throw experimentExistsError(name, this.description);
      if (trials.length > 0) await upsertTrials(tx.conn, id, trials, seq, now);
      if (rows.length > 0) await insertDataRows(tx.conn, id, rows, seq);
      await upsertGenerationState(tx.conn, id, state, now);
      tx.onCommit.push(() => this.tracker.reset(experiment, id, seq));
    });
  }

  /** @throws StorageError when a Metric or Runner class of the experiment is not registered. */
  async saveExperiment(experiment: Experiment): Promise<void> {
    const definition = JSON.stringify(encodeExperiment(experiment)); // may throw before anything is written
    await this.write(`Saving experiment "${experiment.name}"`, async (tx) => {
      const now = this.clock.now();
      const row = await tx.conn
        .insertInto("ascent_experiments")
        .values({ name: experiment.name, definition, change_seq: 0, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column("name").doUpdateSet({ definition, updated_at: now }))
        .returning(["id", "change_seq"])
        .executeTakeFirstOrThrow();
      tx.onCommit.push(() => this.tracker.adopt(experiment, Number(row.id), Number(row.change_seq)));
    });
  }

  /** @throws StorageError when the experiment was never saved to this store. */
  async saveTrials(experiment: Experiment, trials: readonly BaseTrial[]): Promise<void> {
    const rows = trialRowValues(trials);
    await this.write(`Saving ${rows.length} trial(s) of experiment "${experiment.name}"`, async (tx) => {
      const now = this.clock.now();
      const head = await this.change(tx.conn, experiment.name, now);
      await upsertTrials(tx.conn, head.id, rows, head.changeSeq, now);
      tx.onCommit.push(() => this.tracker.recordOwn(experiment, head.id, head.changeSeq));
    });
  }

  /** @throws StorageError when the experiment was never saved to this store. */
  async saveData(experiment: Experiment, data: Data): Promise<void> {
    await this.write(
      `Saving ${data.rows.length} data row(s) of experiment "${experiment.name}"`,
      async (tx) => {
        const head = await this.change(tx.conn, experiment.name, this.clock.now());
        await insertDataRows(tx.conn, head.id, data.rows, head.changeSeq);
        tx.onCommit.push(() => this.tracker.recordOwn(experiment, head.id, head.changeSeq));
      },
    );
  }

  /** @throws StorageError when the experiment was never saved to this store. */
  async saveGenerationState(experimentName: string, state: JsonValue): Promise<void> {
    const text = JSON.stringify(state);
    await this.write(`Saving the generation state of experiment "${experimentName}"`, async (tx) => {
      const head = await experimentHead(tx.conn, experimentName);
      if (!head) throw notSavedError(experimentName, this.description);
      await upsertGenerationState(tx.conn, head.id, text, this.clock.now());
    });
  }

  /**
   * Reads the definition, then all trials by index and all observations in commit order (one query
   * each), and rebuilds the experiment with the codec.
   * @throws StorageError for an unregistered Metric or Runner class or a malformed stored value.
   */
  async loadExperiment(name: string): Promise<Experiment | null> {
    return this.read(`Loading experiment "${name}"`, async (db) => {
      const row = await db
        .selectFrom("ascent_experiments")
        .select(["id", "definition", "change_seq"])
        .where("name", "=", name)
        .executeTakeFirst();
      if (!row) return null;
      const head = { id: Number(row.id), changeSeq: Number(row.change_seq) };
      const definition = this.parse(row.definition, `the definition of experiment "${name}"`);
      const trials = await selectTrials(db, head.id, -1);
      // Only rows up to the change number read above: their trials are then surely among `trials`, even
      // if other processes commit in between (each query sees its own snapshot under READ COMMITTED).
      const data = await selectDataRows(db, head.id, -1, head.changeSeq);
      const experiment = decodeExperiment(definition, {
        trials: trials.map((t) => this.decodeTrial(t.snapshot, name, t.index)),
        data: data.map((d) => d.row),
        clock: this.clock,
      });
      this.tracker.reset(experiment, head.id, head.changeSeq);
      return experiment;
    });
  }

  async loadGenerationState(experimentName: string): Promise<JsonValue | null> {
    return this.read(`Loading the generation state of experiment "${experimentName}"`, async (db) => {
      const row = await db
        .selectFrom("ascent_generation_states as g")
        .innerJoin("ascent_experiments as e", "e.id", "g.experiment_id")
        .select("g.state")
        .where("e.name", "=", experimentName)
        .executeTakeFirst();
      return row ? this.parse(row.state, `the generation state of experiment "${experimentName}"`) : null;
    });
  }

  /** Names of the stored experiments, oldest first. */
  async listExperiments(): Promise<string[]> {
    return this.read("Listing experiments", async (db) => {
      const rows = await db.selectFrom("ascent_experiments").select("name").orderBy("id").execute();
      return rows.map((r) => r.name);
    });
  }

  async deleteExperiment(name: string): Promise<void> {
    await this.write(`Deleting experiment "${name}"`, async (tx) => {
      // Trials, data rows and the generation state go with it (ON DELETE CASCADE).
      await tx.conn.deleteFrom("ascent_experiments").where("name", "=", name).execute();
      await tx.conn.deleteFrom("ascent_leases").where("experiment_name", "=", name).execute();
    });
  }

  /**
   * Runs `fn` in one database transaction: the store's methods called inside it (in the same async
   * context) use it, nested calls join it, and a throw rolls everything back.
   * Inside `fn`, do not wait for store calls started outside it: on SQLite they wait for `fn` to end.
   */
  async withTransaction<T>(fn: () => Promise<T>): Promise<T> {
    this.assertOpen();
    return this.scope.run(() => fn());
  }

  /** @throws ExperimentLockedError when another owner holds a live lease. */
  async acquireLease(experimentName: string, owner: string, ttlMs: number, now: number): Promise<void> {
    await this.upsertLease(experimentName, owner, now + ttlMs, now);
  }

  /** @throws ExperimentLockedError when another owner took the lease over. */
  async renewLease(experimentName: string, owner: string, ttlMs: number, now: number): Promise<void> {
    await this.upsertLease(experimentName, owner, now + ttlMs, null);
  }

  async releaseLease(experimentName: string, owner: string): Promise<void> {
    await this.write(`Releasing the lease of experiment "${experimentName}"`, async (tx) => {
      await tx.conn
        .deleteFrom("ascent_leases")
        .where("experiment_name", "=", experimentName)
        .where("owner", "=", owner)
        .execute();
    });
  }

  /**
   * Runs `fn` in a transaction holding the experiment's write lock: on PostgreSQL an advisory lock on
   * the name and `SELECT ... FOR UPDATE` of its row; on SQLite an IMMEDIATE transaction, which excludes
   * every other writer of the file. Other processes' locked sections wait (SQLite: up to lockTimeoutMs).
   */
  async withExperimentLock<T>(experimentName: string, fn: () => Promise<T>): Promise<T> {
    this.assertOpen();
    return this.scope.run(() => fn(), experimentName);
  }

  /**
   * Applies the trials and observations that others saved since this experiment object was loaded,
   * saved or last refreshed (its own saves are skipped): O(changes).
   * @throws StorageError when the stored experiment was deleted (or replaced) since.
   */
  async refreshExperiment(experiment: Experiment): Promise<void> {
    const name = experiment.name;
    await this.read(`Refreshing experiment "${name}"`, async (db) => {
      const head = await experimentHead(db, name);
      const seen = this.tracker.get(experiment);
      if (!head || (seen && seen.experimentId !== head.id)) {
        if (!seen) return; // never stored: nothing to catch up with
        throw new StorageError(
          `Experiment "${name}" was deleted from ${this.description}${head ? " and saved again" : ""} since it ` +
            "was loaded; load it again.",
          { path: this.description },
        );
      }
      // An object this store never loaded or saved catches up with everything stored.
      const from = seen?.seq ?? 0;
      if (head.changeSeq > from) await this.applyChanges(db, experiment, head, from);
      this.tracker.reset(experiment, head.id, Math.max(from, head.changeSeq));
    });
  }

  /** Closes the database (SQLite) or its connection pool (PostgreSQL). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.backend.close();
  }

  private async applyChanges(db: AscentDb, experiment: Experiment, head: ExperimentHead, from: number) {
    // Trials without an upper bound: data rows up to head.changeSeq may name trials whose rows changed
    // again after it. Re-applying such a trial at the next refresh is harmless.
    const trials = await selectTrials(db, head.id, from);
    const data = await selectDataRows(db, head.id, from, head.changeSeq);
    for (const t of trials) {
      if (this.tracker.isOwn(experiment, t.changeSeq)) continue;
      const snapshot = this.decodeTrial(t.snapshot, experiment.name, t.index);
      checkStoredTrialFits(experiment, snapshot, `trials[${t.index}]`);
      experiment.restoreTrial(snapshot);
    }
    const rows = data.filter((d) => !this.tracker.isOwn(experiment, d.changeSeq)).map((d) => d.row);
    if (rows.length > 0) experiment.attachData(Data.fromRows(rows));
  }

  private async upsertLease(name: string, owner: string, expiresAt: number, now: number | null) {
    await this.write(`Taking the lease of experiment "${name}"`, async (tx) => {
      const holder = await takeLease(tx.conn, { name, owner, expiresAt, now });
      if (holder) throw lockedError(name, holder.owner, holder.expiresAt, this.description);
    });
  }

  private async change(db: AscentDb, name: string, now: number): Promise<ExperimentHead> {
    const head = await nextChange(db, name, now);
    if (!head) throw notSavedError(name, this.description);
    return head;
  }

  private async write<T>(action: string, fn: (tx: ActiveTransaction) => Promise<T>): Promise<T> {
    this.assertOpen();
    if (this.backend.readOnly) throw readOnlyError(action, this.description);
    try {
      return await this.scope.run(fn);
    } catch (error) {
      throw this.backend.toStorageError(error, action);
    }
  }

  private async read<T>(action: string, fn: (db: AscentDb) => Promise<T>): Promise<T> {
    this.assertOpen();
    try {
      return await fn(this.scope.executor);
    } catch (error) {
      throw this.backend.toStorageError(error, action);
    }
  }

  private parse(text: string, what: string): JsonValue {
    try {
      return JSON.parse(text) as JsonValue;
    } catch (error) {
      throw new StorageError(
        `${what} in ${this.description} is not valid JSON: ${(error as Error).message}`,
        {
          path: this.description,
          cause: error,
        },
      );
    }
  }

  private decodeTrial(snapshot: string, experimentName: string, index: number) {
    const what = `Trial ${index} of experiment "${experimentName}"`;
    try {
      return decodeTrialSnapshot(this.parse(snapshot, what));
    } catch (error) {
      if (!(error instanceof AscentError)) throw error;
      throw new StorageError(`${what} in ${this.description} is malformed: ${error.message}`, {
        path: this.description,
        cause: error,
      });
    }
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new StorageError(`The store ${this.description} is closed; open it again to use it.`, {
        path: this.description,
      });
    }
  }
}
