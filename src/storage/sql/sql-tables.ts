import type { Generated, Kysely } from "kysely";

/**
 * Row types of Ascent's tables, as Kysely sees them. Every table carries the `ascent_` prefix so a
 * store can share a database (or a PostgreSQL schema) with nothing else named alike.
 * Integers that PostgreSQL keeps as `bigint` are parsed to numbers by the pool (see postgres-backend.ts).
 * @internal
 */
export interface AscentDatabase {
  ascent_schema: SchemaTable;
  ascent_experiments: ExperimentsTable;
  ascent_trials: TrialsTable;
  ascent_data_rows: DataRowsTable;
  ascent_generation_states: GenerationStatesTable;
  ascent_leases: LeasesTable;
}

/** One row per applied migration; the store's schema version is the largest. @internal */
export interface SchemaTable {
  version: number;
  description: string;
  applied_at: number;
}

/** @internal */
export interface ExperimentsTable {
  id: Generated<number>;
  name: string;
  /** The codec's `EncodedExperiment`, as JSON text. */
  definition: string;
  /** Bumped by every saveTrials/saveData; trials and data rows are stamped with the value they got. */
  change_seq: number;
  created_at: number;
  updated_at: number;
}

/** @internal */
export interface TrialsTable {
  experiment_id: number;
  trial_index: number;
  status: string;
  trial_type: string;
  /** `trial.toJSON()` as JSON text. */
  snapshot: string;
  change_seq: number;
  updated_at: number;
}

/** @internal */
export interface DataRowsTable {
  id: Generated<number>;
  experiment_id: number;
  trial_index: number;
  arm_name: string;
  metric_name: string;
  mean: number;
  sem: number | null;
  /** `DataRow.progression` as JSON text (e.g. `{"step":20}`); NULL for a final row. Since schema version 2. */
  progression: string | null;
  change_seq: number;
}

/** @internal */
export interface GenerationStatesTable {
  experiment_id: number;
  state: string;
  updated_at: number;
}

/** Keyed by name, not id: a lease may be taken before the experiment is first saved. @internal */
export interface LeasesTable {
  experiment_name: string;
  owner: string;
  expires_at: number;
}

/** A Kysely handle on Ascent's tables: the root instance or one connection inside a transaction. */
export type AscentDb = Kysely<AscentDatabase>;

/** The SQL databases a {@link SqlBackend} can talk to. */
export type SqlDialectName = "sqlite" | "postgres";

/**
 * What differs between SQLite and PostgreSQL, behind one interface so that `SqlStore` is written once.
 * @internal
 */
export interface SqlBackend {
  readonly dialect: SqlDialectName;
  readonly db: AscentDb;
  /** The file path, or the PostgreSQL URL (password masked) and schema: for messages and `StorageError.path`. */
  readonly location: string;
  /** Opened for reading only: the store refuses every write, and opening applies no migration. */
  readonly readOnly: boolean;
  /** Names of the tables (and views) in the store's file or schema. */
  listTables(conn: AscentDb): Promise<string[]>;
  /**
   * Called once the store has passed the safety checks, before its first write (SQLite switches the
   * file to WAL here: doing it earlier would modify a file that may turn out not to be ours).
   */
  prepareWrites(): Promise<void>;
  /**
   * Runs one SQL statement given as text on `conn` (migrations, COMMIT, ROLLBACK). The backend owns it so
   * that only an opened backend loads the query builder, and `import "ascent"` does not.
   */
  executeRaw(conn: AscentDb, statement: string): Promise<void>;
  /** Starts a write transaction on `conn` (SQLite: `BEGIN IMMEDIATE`, waiting for other writers). */
  beginWrite(conn: AscentDb): Promise<void>;
  /** Inside a write transaction: serializes schema migrations across processes. */
  lockMigrations(conn: AscentDb): Promise<void>;
  /** Inside a write transaction: takes the experiment's write lock until the transaction ends. */
  lockExperiment(conn: AscentDb, experimentName: string): Promise<void>;
  /** Translates a driver error (anything not already an `AscentError`) into a `StorageError`. */
  toStorageError(error: unknown, action: string): Error;
  close(): Promise<void>;
}
