import { Kysely, PostgresDialect, sql } from "kysely";
import type pg from "pg";
import { StorageError } from "../../errors.js";
import { loadPostgresDriver } from "./drivers.js";
import { maskCredentials } from "./mask-credentials.js";
import { type PostgresTarget, postgresErrorToStorageError } from "./postgres-errors.js";
import type { AscentDatabase, AscentDb, SqlBackend } from "./sql-tables.js";

/** Options of a PostgreSQL store. */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/database` (or `postgresql://`). */
  url: string;
  /**
   * Schema holding Ascent's tables, created when missing (default: the server's default, usually
   * `public`). A letter or underscore, then letters, digits or underscores.
   */
  schema?: string;
  /** How long (ms) to wait for a connection before failing. Default 10000. */
  connectTimeoutMs?: number;
  /** Maximum number of pooled connections. Default 10. */
  poolSize?: number;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const INT8_OID = 20;
/** First key of Ascent's advisory locks ("ASCT"), so they do not collide with other applications'. */
const LOCK_NAMESPACE = 0x41534354;
const DUPLICATE_SCHEMA = new Set(["42P06", "23505"]);

/**
 * Connects to PostgreSQL (checking that the server, user and database are there) and makes sure the
 * schema exists; nothing else is written until `openSchema` has checked the tables.
 * @throws StorageError with a message saying what to fix (unreachable, refused, no such database).
 * @internal
 */
export async function openPostgresBackend(options: PostgresStoreOptions): Promise<SqlBackend> {
  const target = postgresTarget(options.url);
  const schema = options.schema;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StorageError(
      `Invalid PostgreSQL schema name "${schema}": use a letter or underscore, then letters, digits or ` +
        "underscores (at most 63).",
      { path: target.maskedUrl },
    );
  }
  const driver = await loadPostgresDriver();
  const pool = new driver.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    // Sent at connection start-up, so every pooled connection resolves Ascent's tables in the schema.
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    types: { getTypeParser: int8AsNumber(driver) },
  });
  // A connection that dies (server restart or crash) emits 'error': on the pool while idle, on the client
  // itself while checked out (inside a transaction, or between a query and its release). Without a
  // listener either would crash the process with an unhandled 'error' event. The query in flight, or the
  // next one on that client, fails instead and is reported as a StorageError; pg then drops the client.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => {
    client.on("error", () => undefined);
  });
  try {
    const client = await pool.connect();
    try {
      if (schema !== undefined) await ensureSchema(client, schema);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw postgresErrorToStorageError(error, target, "Connecting");
  }
  return new PostgresBackend(pool, target, schema);
}

class PostgresBackend implements SqlBackend {
  readonly dialect = "postgres" as const;
  readonly readOnly = false;
  readonly db: AscentDb;
  readonly location: string;

  constructor(
    pool: pg.Pool,
    private readonly target: PostgresTarget,
    schema: string | undefined,
  ) {
    this.db = new Kysely<AscentDatabase>({ dialect: new PostgresDialect({ pool }) });
    this.location = schema === undefined ? target.maskedUrl : `${target.maskedUrl} (schema "${schema}")`;
  }

  async listTables(conn: AscentDb): Promise<string[]> {
    const { rows } = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`.execute(conn);
    return rows.map((r) => r.table_name);
  }

  async prepareWrites(): Promise<void> {}

  async executeRaw(conn: AscentDb, statement: string): Promise<void> {
    await sql.raw(statement).execute(conn);
  }

  async beginWrite(conn: AscentDb): Promise<void> {
    await sql`BEGIN`.execute(conn);
  }

  async lockMigrations(conn: AscentDb): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}::int, hashtext('migrate.' || current_schema()))`.execute(
      conn,
    );
  }

  /**
   * The advisory lock (by name) also serializes callers when the experiment row does not exist yet
   * (e.g. Clients racing to create it); the row lock then makes plain writers of the experiment, whose
   * change_seq update needs that row, wait as well.
   */
  async lockExperiment(conn: AscentDb, experimentName: string): Promise<void> {
    const key = `experiment.${experimentName}`;
    await sql`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}::int, hashtext(current_schema() || '.' || ${key}))`.execute(
      conn,
    );
    await conn
      .selectFrom("ascent_experiments")
      .select("id")
      .where("name", "=", experimentName)
      .forUpdate()
      .execute();
  }

  toStorageError(error: unknown, action: string): Error {
    return postgresErrorToStorageError(error, this.target, action);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

async function ensureSchema(client: pg.PoolClient, schema: string): Promise<void> {
  const found = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
  if ((found.rowCount ?? 0) > 0) return;
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    // Two processes creating the same schema at once: the loser's error is harmless.
    const code = (error as { code?: unknown }).code;
    if (typeof code !== "string" || !DUPLICATE_SCHEMA.has(code)) throw error;
  }
}

/** bigint columns (ids, sequence numbers, ms timestamps) stay far below 2^53: read them as numbers. */
function int8AsNumber(driver: typeof pg) {
  return (oid: number, format?: "text" | "binary"): ((value: string) => unknown) => {
    if (oid === INT8_OID) return (value: string) => Number(value);
    return driver.types.getTypeParser(oid, format) as (value: string) => unknown;
  };
}

/** Host, port, database and user of a connection URL, for messages (the password is kept only to scrub it). */
export function postgresTarget(url: string): PostgresTarget {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // pg accepts some strings URL does not (e.g. socket paths); the messages then show defaults.
  }
  const params = parsed?.searchParams;
  const host = params?.get("host") || parsed?.hostname.replace(/^\[|\]$/g, "") || "localhost";
  const user = safeDecode(parsed?.username) || params?.get("user") || "(default user)";
  return {
    host,
    port: parsed?.port || params?.get("port") || "5432",
    database: safeDecode(parsed?.pathname.replace(/^\//, "")) || user,
    user,
    maskedUrl: maskCredentials(url),
    password: safeDecode(parsed?.password) || params?.get("password") || undefined,
  };
}

function safeDecode(text: string | undefined): string {
  try {
    return decodeURIComponent(text ?? "");
  } catch {
    return text ?? "";
  }
}
