import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";

/**
 * Reading a SQLite store that cannot be written: a file on a read-only mount or in a directory this
 * process may not write to (an archive, a shared results folder).
 *
 * SQLite cannot open a WAL-mode database in a directory where it cannot create the `-shm` index file
 * (not even for reading), and better-sqlite3 does not take the `immutable=1` URI that would skip it.
 * So a store in an unwritable directory is read from a private snapshot: the database file and its
 * `-wal` file (which holds committed transactions not yet checkpointed), copied to a temporary
 * directory that is removed when the store closes. Nothing can be writing the original meanwhile (its
 * directory is read-only), so the copy is consistent. In a writable directory a read-only store opens
 * the file itself, read-only.
 * @internal
 */

/** Whether `path` (an existing file or a new one) cannot be written by this process. */
export function isUnwritable(path: string): boolean {
  if (!canWrite(dirname(path))) return true;
  return existsSync(path) && !canWrite(path);
}

/** Whether this process may create files in `dir`. */
export function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK); // EROFS on a read-only mount, even for root
    return true;
  } catch {
    return false;
  }
}

/** A private, writable copy of a database to read from, and how to remove it. */
export interface ReadSnapshot {
  readonly path: string;
  dispose(): void;
}

/** Copies the database and its `-wal` file (when there is one) to a new temporary directory. */
export function snapshotForReading(path: string): ReadSnapshot {
  const dir = mkdtempSync(join(tmpdir(), "ascent-read-"));
  const copy = join(dir, basename(path));
  try {
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { path: copy, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
