import type { ExperimentStore, StoreProvider } from "../core/experiment-store.js";
import { StorageError } from "../errors.js";
import { maskCredentials } from "./sql/mask-credentials.js";
import type { PostgresStoreOptions } from "./sql/postgres-backend.js";
import { SqlStore, type SqlStoreCommonOptions } from "./sql/sql-store.js";
import type { SqlDialectName } from "./sql/sql-tables.js";
import type { SqliteStoreOptions } from "./sql/sqlite-backend.js";

/** Options of {@link DBSettings}. */
export interface DBSettingsOptions extends SqlStoreCommonOptions {
  /**
   * Where the store is: `sqlite:./ascent.db` (a file, created when missing; `sqlite:///abs/path.db` works
   * too), `sqlite::memory:` (private to this process), or `postgres://user:password@host:5432/database`
   * (`postgresql://` too, optionally with `?schema=name`).
   */
  url: string;
  /** PostgreSQL schema for Ascent's tables (created when missing); overrides `?schema=` of the URL. */
  schema?: string;
  /**
   * SQLite: open for reading only (every save fails with a StorageError). Default: read-only exactly
   * when the file or its directory cannot be written, e.g. on a read-only mount.
   */
  readOnly?: boolean;
  /** SQLite: `busy_timeout` in ms (default 5000). */
  busyTimeoutMs?: number;
  /** SQLite: how long to wait for another writer's lock, in ms (default 60000). */
  lockTimeoutMs?: number;
  /** PostgreSQL: connection timeout in ms (default 10000). */
  connectTimeoutMs?: number;
  /** PostgreSQL: maximum pooled connections (default 10). */
  poolSize?: number;
}

const ACCEPTED_FORMS =
  '"sqlite:./ascent.db", "sqlite:///absolute/path.db", "sqlite::memory:", ' +
  '"postgres://user:password@host:5432/database" or "postgresql://..." (optionally with "?schema=name")';

type Target =
  | { dialect: "sqlite"; options: SqliteStoreOptions }
  | { dialect: "postgres"; options: PostgresStoreOptions };

/**
 * Database settings, as in Ax: where experiments are stored. Pass them to the Scheduler or the Client
 * (both accept any {@link StoreProvider}); the store is opened on first use and shared thereafter.
 * @example
 * const db = new DBSettings({ url: "sqlite:./ascent.db" });
 * const store = await db.openStore();
 * @example new DBSettings({ url: "postgres://ascent@db.internal:5432/experiments", schema: "ascent" })
 */
export class DBSettings implements StoreProvider {
  /** Which database the settings point at. */
  readonly dialect: SqlDialectName;
  /** Where the store is, credentials masked (for messages and logs). */
  readonly description: string;
  private readonly target: Target;
  private readonly common: SqlStoreCommonOptions;
  private opening: Promise<SqlStore> | null = null;

  /**
   * @param options the settings, or just the URL.
   * @throws StorageError for a URL of an unknown form (the message lists the accepted ones).
   */
  constructor(options: DBSettingsOptions | string) {
    const settings = typeof options === "string" ? { url: options } : options;
    if (typeof settings?.url !== "string" || settings.url.trim() === "") {
      throw new StorageError(`DBSettings needs a url, one of: ${ACCEPTED_FORMS}.`);
    }
    this.target = parseUrl(settings);
    this.dialect = this.target.dialect;
    this.common = settings.clock ? { clock: settings.clock } : {};
    this.description =
      this.target.dialect === "sqlite"
        ? `sqlite:${this.target.options.path}`
        : maskCredentials(this.target.options.url) +
          (this.target.options.schema ? ` (schema "${this.target.options.schema}")` : "");
  }

  /**
   * Opens the store on the first call and returns the same one thereafter (until it is closed).
   * @throws StorageError when the database cannot be opened; a later call tries again.
   */
  openStore(): Promise<SqlStore> {
    const current = this.opening;
    if (current) {
      return current.then((store) => (store.isClosed ? this.reopen(current) : store));
    }
    return this.reopen(null);
  }

  private reopen(previous: Promise<SqlStore> | null): Promise<SqlStore> {
    // Another caller may have reopened it already while this one waited.
    if (this.opening !== previous && this.opening) return this.openStore();
    const opening =
      this.target.dialect === "sqlite"
        ? SqlStore.openSqlite({ ...this.target.options, ...this.common })
        : SqlStore.openPostgres({ ...this.target.options, ...this.common });
    this.opening = opening;
    opening.catch(() => {
      if (this.opening === opening) this.opening = null;
    });
    return opening;
  }
}

/**
 * Opens the store at a URL (see {@link DBSettingsOptions.url}) or of a {@link DBSettings}.
 * @throws StorageError for an unknown URL form or a database that cannot be opened.
 * @example const store = await openStore("sqlite:./ascent.db");
 */
export async function openStore(urlOrSettings: string | DBSettings): Promise<ExperimentStore> {
  const settings = typeof urlOrSettings === "string" ? new DBSettings(urlOrSettings) : urlOrSettings;
  return settings.openStore();
}

function parseUrl(settings: DBSettingsOptions): Target {
  const url = settings.url.trim();
  const sqlite = /^sqlite:(.*)$/i.exec(url);
  if (sqlite) {
    // "sqlite:///abs" and "sqlite://./rel" read like file URLs: the two slashes introduce the path.
    const path = (sqlite[1] ?? "").replace(/^\/\//, "");
    if (path === "")
      throw new StorageError(`The SQLite URL "${url}" has no path; use one of: ${ACCEPTED_FORMS}.`);
    return {
      dialect: "sqlite",
      options: { path, ...pick(settings, ["busyTimeoutMs", "lockTimeoutMs", "readOnly"]) },
    };
  }
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const { url: withoutSchema, schema } = takeSchemaParam(url);
    const chosen = settings.schema ?? schema;
    return {
      dialect: "postgres",
      options: {
        url: withoutSchema,
        ...(chosen === undefined ? {} : { schema: chosen }),
        ...pick(settings, ["connectTimeoutMs", "poolSize"]),
      },
    };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new StorageError(
    `Unsupported database URL ${scheme ? `scheme "${scheme}:"` : `"${maskCredentials(url)}"`}; use one of: ` +
      `${ACCEPTED_FORMS}.`,
  );
}

/** Removes `schema=` from a PostgreSQL URL's query (pg does not know it) and returns its value. */
function takeSchemaParam(url: string): { url: string; schema: string | undefined } {
  const q = url.indexOf("?");
  if (q < 0) return { url, schema: undefined };
  const params = new URLSearchParams(url.slice(q + 1));
  const schema = params.get("schema") ?? undefined;
  params.delete("schema");
  const rest = params.toString();
  return { url: url.slice(0, q) + (rest ? `?${rest}` : ""), schema };
}

function pick<K extends keyof DBSettingsOptions>(
  settings: DBSettingsOptions,
  keys: readonly K[],
): Partial<Pick<DBSettingsOptions, K>> {
  const out: Partial<Pick<DBSettingsOptions, K>> = {};
  for (const k of keys) if (settings[k] !== undefined) out[k] = settings[k];
  return out;
}
