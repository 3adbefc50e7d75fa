import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import { StorageDriverMissingError, StorageError } from "../../errors.js";

/**
 * The database drivers, loaded only when a store of their kind is opened: `import "ascent"` loads
 * neither, so a program that never stores (or stores only in memory or SQLite) pays nothing for pg.
 * better-sqlite3 is a dependency of Ascent (the embedded default); pg is an optional peer dependency,
 * installed by those who use PostgreSQL.
 * @internal
 */

/** better-sqlite3's Database class. @throws StorageDriverMissingError when it is not installed. */
export async function loadSqliteDriver(): Promise<typeof BetterSqlite3> {
  const module = await importDriver<{ default: typeof BetterSqlite3 }>(
    "better-sqlite3",
    "SQLite",
    () => import("better-sqlite3"),
  );
  return module.default;
}

/** The pg module (Pool, types). @throws StorageDriverMissingError when it is not installed. */
export async function loadPostgresDriver(): Promise<typeof pg> {
  const module = await importDriver<{ default: typeof pg }>("pg", "PostgreSQL", () => import("pg"));
  return module.default;
}

async function importDriver<M>(packageName: string, database: string, load: () => Promise<M>): Promise<M> {
  try {
    return await load();
  } catch (error) {
    if (isNotFound(error, packageName)) {
      throw new StorageDriverMissingError(
        `Opening a ${database} store needs the "${packageName}" package, which is not installed. Install it ` +
          `next to ascent: npm install ${packageName}`,
        { packageName, cause: error },
      );
    }
    throw new StorageError(
      `Loading the ${database} driver "${packageName}" failed: ${error instanceof Error ? error.message : String(error)}. ` +
        `Reinstall it (npm install ${packageName}; for a native module also npm rebuild ${packageName}).`,
      { cause: error },
    );
  }
}

/** Whether `error` says that the package itself (not one of its own imports) cannot be found. */
function isNotFound(error: unknown, packageName: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return false;
  const message = error instanceof Error ? error.message : "";
  return message.includes(`'${packageName}'`) || message.includes(`"${packageName}"`);
}
