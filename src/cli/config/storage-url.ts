import { statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
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
 * Checks the `storage:` URL with `DBSettings` (which parses it without opening anything), and that the
 * folder of a SQLite file exists (the file is created on first use, its folder is not).
 * @returns the resolved URL, or undefined when a problem was recorded.
 */
export function checkStorage(
  url: string | undefined,
  baseDir: string,
  problems: ConfigProblem[],
): string | undefined {
  const resolved = resolveStorageUrl(url ?? DEFAULT_STORAGE_URL, baseDir);
  const settings = check(problems, ["storage"], () => new DBSettings(resolved));
  if (!settings) return undefined;
  const file = settings.dialect === "sqlite" ? /^sqlite:(.+)$/.exec(resolved)?.[1] : undefined;
  if (file !== undefined && file !== ":memory:" && !isDirectory(dirname(file))) {
    problems.push({
      path: "storage",
      message:
        `no such folder ${dirname(file)} for the SQLite file; create it, or store elsewhere ` +
        "(relative paths start at the config file's folder)",
    });
    return undefined;
  }
  return resolved;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
