import { AscentError, StorageError } from "../../errors.js";
import { scrubSecret } from "./mask-credentials.js";

/** Where a PostgreSQL store lives, for messages (never with the password). */
export interface PostgresTarget {
  host: string;
  port: string;
  database: string;
  user: string;
  /** The URL with the password masked, used as `StorageError.path`. */
  maskedUrl: string;
  /** Only to scrub it from driver messages; never printed. */
  password?: string | undefined;
}

/** Node network error codes meaning the server could not be reached at all. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EPIPE",
]);

/**
 * Translates an error from `pg` into a StorageError that says what to fix: an unreachable server, a
 * refused user or password, a missing database. The password never appears in the message.
 * @internal Exported for tests of the mapping (e.g. of 28P01, which a trust-auth test server never sends).
 */
export function postgresErrorToStorageError(error: unknown, target: PostgresTarget, action: string): Error {
  if (error instanceof AscentError) return error;
  const at = `${target.host}:${target.port}`;
  const code = errorCode(error);
  const text = scrubSecret(describe(error), target.password);
  const options = { path: target.maskedUrl, cause: error };
  // Connection-level failures of pg (connect timeout, dropped socket) carry no code; a statement timeout
  // does (57014), so it is not mistaken for an unreachable server.
  const connectionLost = code === undefined && /timeout|connection terminated/i.test(text);
  if ((code !== undefined && UNREACHABLE.has(code)) || connectionLost) {
    return new StorageError(
      `Cannot reach PostgreSQL at ${at}: ${text}. Check that the server is running and the host and port ` +
        `of ${target.maskedUrl} are right.`,
      options,
    );
  }
  if (code === "28P01" || code === "28000") {
    return new StorageError(
      `PostgreSQL at ${at} refused user "${target.user}": ${text}. Check the user name and password of ` +
        `${target.maskedUrl} (and pg_hba.conf on the server).`,
      options,
    );
  }
  if (code === "3D000") {
    return new StorageError(
      `PostgreSQL at ${at} has no database "${target.database}": ${text}. Create it first ` +
        `(CREATE DATABASE "${target.database}") or fix the URL.`,
      options,
    );
  }
  const sqlState = code ? ` (SQLSTATE/code ${code})` : "";
  return new StorageError(`${action} failed on PostgreSQL ${target.maskedUrl}: ${text}${sqlState}`, options);
}

/** A pg `DatabaseError`'s SQLSTATE, or a Node error code; for an AggregateError, its first inner code. */
function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const c = errorCode(inner);
      if (c) return c;
    }
  }
  return undefined;
}

/** Node reports a refused dual-stack connect as an AggregateError with an empty message. */
function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(describe).join("; ");
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
