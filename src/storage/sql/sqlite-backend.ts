import { closeSync, existsSync, fstatSync, openSync, readSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type Database from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { AscentError, StorageError } from "../../errors.js";
import { loadSqliteDriver } from "./drivers.js";
import type { AscentDatabase, AscentDb, SqlBackend } from "./sql-tables.js";
import { canWrite, isUnwritable, type ReadSnapshot, snapshotForReading } from "./sqlite-read-only.js";

/** Options of a SQLite store. */
export interface SqliteStoreOptions {
  /** File path, or `":memory:"` for a private in-memory database. */
  path: string;
  /** SQLite's `busy_timeout` (ms) for statements that wait on another process's lock. Default 5000. */
  busyTimeoutMs?: number;
  /**
   * Open for reading only: loading, listing and reports work, every write fails with a StorageError.
   * Default: read-only exactly when the file or its directory cannot be written (a read-only mount, an
   * archive folder). A store in an unwritable directory is read from a private snapshot of the file.
   */
  readOnly?: boolean;
  /**
   * How long (ms) to wait for the database's write lock (held by another transaction or process)
   * before failing with a StorageError. Default 60000.
   */
  lockTimeoutMs?: number;
}

const MEMORY = ":memory:";
const HEADER = "SQLite format 3\u0000";
const MAX_RETRY_DELAY_MS = 50;

/**
 * Opens a SQLite file for an Ascent store without writing to it; `prepareWrites` (called by
 * `openSchema` once the file passed its checks) switches it to WAL.
 * @throws StorageError naming the path when the file is not a SQLite database or cannot be opened;
 * StorageDriverMissingError when better-sqlite3 is not installed.
 * @internal
 */
export async function openSqliteBackend(options: SqliteStoreOptions): Promise<SqlBackend> {
  const path = options.path === MEMORY ? MEMORY : resolve(options.path);
  if (path !== MEMORY) checkHeader(path);
  const readOnly = path !== MEMORY && (options.readOnly ?? isUnwritable(path));
  if (readOnly && !existsSync(path)) {
    throw new StorageError(
      `Cannot open ${path} for reading: there is no such file. Check the path (a read-only store is never created).`,
      { path },
    );
  }
  const Driver = await loadSqliteDriver();
  let raw: Database.Database;
  let snapshot: ReadSnapshot | null = null;
  try {
    if (readOnly && !canWrite(dirname(path))) {
      snapshot = snapshotForReading(path);
      raw = new Driver(snapshot.path); // private: SQLite may replay the copied -wal into it
    } else {
      raw = new Driver(path, { readonly: readOnly });
    }
  } catch (error) {
    snapshot?.dispose();
    throw new StorageError(`Cannot open SQLite database ${path}: ${messageOf(error)}`, {
      path,
      cause: error,
    });
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  try {
    // Connection settings only: none of these writes to the file.
    raw.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    raw.pragma("foreign_keys = ON");
    raw.pragma("synchronous = NORMAL");
  } catch (error) {
    raw.close();
    snapshot?.dispose();
    throw sqliteError(error, "Opening", path, lockTimeoutMs);
  }
  const backend = new SqliteBackend(raw, path, busyTimeoutMs, lockTimeoutMs, readOnly);
  if (snapshot) backend.onClose = snapshot.dispose;
  return backend;
}

class SqliteBackend implements SqlBackend {
  readonly dialect = "sqlite" as const;
  readonly db: AscentDb;
  /** Run after the database is closed (removes a read snapshot). */
  onClose: () => void = () => undefined;

  constructor(
    private readonly raw: Database.Database,
    readonly location: string,
    private readonly busyTimeoutMs: number,
    private readonly lockTimeoutMs: number,
    readonly readOnly: boolean,
  ) {
    this.db = new Kysely<AscentDatabase>({ dialect: new SqliteDialect({ database: raw }) });
  }

  async listTables(conn: AscentDb): Promise<string[]> {
    const { rows } = await sql<{ name: string }>`
      SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`.execute(
      conn,
    );
    return rows.map((r) => r.name);
  }

  async prepareWrites(): Promise<void> {
    if (this.location !== MEMORY) this.raw.pragma("journal_mode = WAL");
  }

  /**
   * `BEGIN IMMEDIATE` takes the write lock up front, so writers serialize across processes and a
   * transaction never fails half-way for want of the lock. SQLite's own busy handler would block this
   * (single) thread while waiting, which would also stall the lock's holder when it lives in this
   * process; so the wait happens here, asynchronously, with the busy handler off.
   */
  async executeRaw(conn: AscentDb, statement: string): Promise<void> {
    await sql.raw(statement).execute(conn);
  }

  async beginWrite(conn: AscentDb): Promise<void> {
    const deadline = Date.now() + this.lockTimeoutMs;
    for (let delay = 1; ; delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)) {
      this.raw.pragma("busy_timeout = 0");
      try {
        await sql`BEGIN IMMEDIATE`.execute(conn);
        return;
      } catch (error) {
        if (!isBusy(error) || Date.now() >= deadline) throw error;
      } finally {
        this.raw.pragma(`busy_timeout = ${Math.max(0, Math.floor(this.busyTimeoutMs))}`);
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  /** The IMMEDIATE transaction already excludes every other writer of the file. */
  async lockMigrations(_conn: AscentDb): Promise<void> {}

  /** The IMMEDIATE transaction already excludes every other writer of the file. */
  async lockExperiment(_conn: AscentDb, _experimentName: string): Promise<void> {}

  toStorageError(error: unknown, action: string): Error {
    if (error instanceof AscentError) return error;
    return sqliteError(error, action, this.location, this.lockTimeoutMs);
  }

  async close(): Promise<void> {
    try {
      await this.db.destroy();
    } finally {
      this.onClose();
    }
  }
}

/** Refuses an existing, non-empty file that does not start with the SQLite header, without opening it. */
function checkHeader(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return; // a new store
    throw new StorageError(`Cannot read ${path}: ${messageOf(error)}`, { path, cause: error });
  }
  try {
    if (fstatSync(fd).size === 0) return; // an empty file is initialized like a new one
    const head = Buffer.alloc(HEADER.length);
    const n = readSync(fd, head, 0, head.length, 0);
    if (n < HEADER.length || head.toString("latin1") !== HEADER) {
      throw new StorageError(
        `${path} is not a SQLite database (it does not start with the SQLite header). Nothing was changed; ` +
          "check the path, or point Ascent at a new file.",
        { path },
      );
    }
  } catch (error) {
    if (error instanceof StorageError) throw error;
    throw new StorageError(`Cannot read ${path}: ${messageOf(error)}`, { path, cause: error });
  } finally {
    closeSync(fd);
  }
}

function sqliteError(error: unknown, action: string, path: string, lockTimeoutMs: number): StorageError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") {
    return new StorageError(
      `${action}: the SQLite database ${path} stayed locked by another connection or process for ` +
        `${lockTimeoutMs} ms. Another Ascent process may be holding a long transaction; retry, or raise lockTimeoutMs.`,
      { path, cause: error },
    );
  }
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") {
    return new StorageError(
      `${path} is not a valid SQLite database or is corrupt (${messageOf(error)}). Nothing was changed; ` +
        "restore it from a backup or point Ascent at another file.",
      { path, cause: error },
    );
  }
  return new StorageError(`${action} failed on SQLite database ${path}: ${messageOf(error)}`, {
    path,
    cause: error,
  });
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_BUSY_SNAPSHOT";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
