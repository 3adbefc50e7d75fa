import { isAbsolute, resolve } from "node:path";
import type { ConfigProblem } from "../../errors.js";
import { DBSettings } from "../../storage/db-settings.js";
import { check } from "./library-problem.js";

/** Where experiments are stored when neither the file nor the command line says. */
export const DEFAULT_STORAGE_URL = "sqlite:./ascent.db";

/**
 * A storage URL with a relative SQLite path made absolute against `baseDir` (the config file's folder,
 * or the working directory for a `--storage` option). Other URLs (`postgres://`, `sqlite::memory:`,
 * absolute SQLite paths) are returned as they are.
 * @example resolveStorageUrl("sqlite:./ascent.db", "/work/exp") // "sqlite:/work/exp/ascent.db"
 */
export function resolveStorageUrl(url: string, baseDir: string): string {
  const sqlite = /^sqlite:(?!:memory:$)(?:\/\/)?(.+)$/i.exec(url.trim());
  if (!sqlite) return url.trim();
  const path = sqlite[1]!;
  return isAbsolute(path) ? `sqlite:${path}` : `sqlite:${resolve(baseDir, path)}`;
}

/**
 * Checks the `storage:` URL with `DBSettings` (which parses it without opening anything).
 * @returns the resolved URL, or undefined when a problem was recorded.
 */
export function checkStorage(
  url: string | undefined,
  baseDir: string,
  problems: ConfigProblem[],
): string | undefined {
  const resolved = resolveStorageUrl(url ?? DEFAULT_STORAGE_URL, baseDir);
  return check(problems, ["storage"], () => new DBSettings(resolved)) ? resolved : undefined;
}
