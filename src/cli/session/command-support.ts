import { isAbsolute, resolve } from "node:path";
import { StorageError } from "../../errors.js";
import { DBSettings } from "../../storage/db-settings.js";
import { maskCredentials } from "../../storage/sql/mask-credentials.js";
import { type CliContext, USAGE_EXIT_CODE } from "../cli-context.js";
import { DEFAULT_STORAGE_URL, type StorageFlags } from "../storage-option.js";

/** The `--storage`, `--quiet` and `--verbose` flags every running command takes. */
export interface RunFlags extends StorageFlags {
  quiet?: boolean;
  verbose?: boolean;
}

/**
 * A storage URL with a relative SQLite path made absolute (against the working directory), so that
 * the commands printed for later (resume, show) work from any folder.
 * @example absoluteStorageUrl("sqlite:./ascent.db") // "sqlite:/home/me/project/ascent.db"
 */
export function absoluteStorageUrl(url: string, baseDir: string = process.cwd()): string {
  const sqlite = /^sqlite:(?!:memory:$)(?:\/\/)?(.+)$/i.exec(url.trim());
  if (!sqlite) return url.trim();
  const path = sqlite[1]!;
  return isAbsolute(path) ? `sqlite:${path}` : `sqlite:${resolve(baseDir, path)}`;
}

/**
 * How the user runs this program, for the commands it prints: `ascent`, or what `ASCENT_INVOKED_AS`
 * says (`npm run ascent --` in a clone of the repository, where no `ascent` is installed).
 */
export function programName(context: CliContext): string {
  return context.env.ASCENT_INVOKED_AS?.trim() || "ascent";
}

/**
 * A command line for the user to copy: `<program> <command> <name>`, with `--storage` unless the URL is
 * the default one seen from the working directory (credentials masked).
 * @example commandLine(context, "resume", "cache_tuning", "sqlite:/tmp/x.db") // "ascent resume cache_tuning --storage sqlite:/tmp/x.db"
 */
export function commandLine(
  context: CliContext,
  command: string,
  name: string | null,
  storageUrl: string,
): string {
  const isDefault = absoluteStorageUrl(storageUrl) === absoluteStorageUrl(DEFAULT_STORAGE_URL);
  const storage = isDefault
    ? ""
    : ` --storage ${shellQuote(maskCredentials(absoluteStorageUrl(storageUrl)))}`;
  return `${programName(context)} ${command}${name === null ? "" : ` ${shellQuote(name)}`}${storage}`;
}

/** The commands that show a stored experiment: its trials and its best point. */
export function lookCommands(context: CliContext, name: string, storageUrl: string): string[] {
  return [commandLine(context, "show", name, storageUrl), commandLine(context, "best", name, storageUrl)];
}

/** `word` as one shell word: as it is when safe, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * Checks the form of a storage URL without opening anything: a malformed one is a usage error.
 * @returns null when it is well formed, else the usage exit code (2) after printing why.
 */
export function checkStorageUrl(url: string, context: CliContext, command: string): number | null {
  try {
    new DBSettings(url);
    return null;
  } catch (error) {
    if (!(error instanceof StorageError)) throw error;
    context.err(`ascent ${command}: --storage: ${error.message}`);
    return USAGE_EXIT_CODE;
  }
}
