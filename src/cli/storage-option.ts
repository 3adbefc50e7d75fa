import type { Command } from "commander";
import type { Experiment } from "../core/experiment.js";
import type { ExperimentStore } from "../core/experiment-store.js";
import { ExperimentNotFoundError, StorageError } from "../errors.js";
import { maskCredentials } from "../storage/sql/mask-credentials.js";
import { type CliContext, STORAGE_EXIT_CODE, USAGE_EXIT_CODE } from "./cli-context.js";
import { similarNames } from "./format/similar-names.js";

/*
 * The `--storage URL` option of every command that reads or writes experiments, and what the commands
 * share around it: opening the store (read-only for the read commands), finding an experiment by name,
 * and turning storage failures into exit codes. Nothing here imports a store or a driver until a command
 * runs, so `ascent --help` pays nothing for them.
 */

/** Where experiments are stored when neither `--storage` nor {@link STORAGE_URL_ENV} says otherwise. */
export const DEFAULT_STORAGE_URL = "sqlite:./ascent.db";

/** Environment variable read when `--storage` is not given; keeps a database password off the command line. */
export const STORAGE_URL_ENV = "ASCENT_STORAGE_URL";

/** The option as commander parses it. */
export interface StorageFlags {
  storage?: string;
}

/** A store opened by a command, with where it is (credentials masked) for messages. */
export interface CliStore {
  readonly store: ExperimentStore;
  readonly description: string;
}

/** Options of {@link openCliStore}. */
export interface OpenCliStoreOptions {
  /**
   * Open for reading only: SQLite opens the file read-only (a missing file is an error, never created);
   * PostgreSQL runs the session with `default_transaction_read_only`, so the server itself refuses any
   * write (an empty database or schema is then an error instead of getting Ascent's tables).
   */
  readOnly?: boolean;
}

/**
 * Adds `--storage <url>` to a command.
 * @example addStorageOption(program.command("list")).action(...)
 */
export function addStorageOption(command: Command): Command {
  return command.option(
    "--storage <url>",
    `where experiments are stored: sqlite:PATH or postgres://user@host:5432/db[?schema=name] ` +
      `(default: $${STORAGE_URL_ENV}, else ${DEFAULT_STORAGE_URL})`,
  );
}

/**
 * The store URL a command uses: `--storage`, else {@link STORAGE_URL_ENV}, else `fallback` (e.g. a config
 * file's `storage:`), else {@link DEFAULT_STORAGE_URL}.
 * @example const url = storageUrlOf(flags, context);
 */
export function storageUrlOf(flags: StorageFlags, context: CliContext, fallback?: string): string {
  const fromEnv = context.env[STORAGE_URL_ENV];
  return (
    flags.storage ?? (fromEnv !== undefined && fromEnv !== "" ? fromEnv : (fallback ?? DEFAULT_STORAGE_URL))
  );
}

/**
 * Opens the store at `url` (loading its driver on demand).
 * @throws StorageError for an unknown URL form, a missing file (read-only), an unreachable or refusing
 * server, a foreign or newer database, or (read-only) an empty one; its message names the store.
 * @example const { store, description } = await openCliStore("sqlite:./ascent.db", { readOnly: true });
 */
export async function openCliStore(url: string, options: OpenCliStoreOptions = {}): Promise<CliStore> {
  const { DBSettings } = await import("../storage/db-settings.js");
  const description = new DBSettings(url).description;
  const readOnlyPostgres = options.readOnly === true && /^postgres(ql)?:\/\//i.test(url.trim());
  if (!readOnlyPostgres) {
    const settings = new DBSettings({ url, ...(options.readOnly ? { readOnly: true } : {}) });
    return { store: await settings.openStore(), description };
  }
  const { connect, shown, schema } = readOnlyPostgresUrl(url.trim());
  const settings = new DBSettings({ url: connect, ...(schema === undefined ? {} : { schema }) });
  try {
    return { store: await settings.openStore(), description };
  } catch (error) {
    throw readOnlyPostgresError(error, maskCredentials(connect), shown, description);
  }
}

/**
 * Loads the experiment `name`, with Ascent's built-in runner classes registered so that experiments run
 * through the CLI load.
 * @throws ExperimentNotFoundError (naming the stored experiments that look like `name`) when there is none.
 * @throws StorageError when the store fails, or the experiment uses a class this process has not registered.
 */
export async function loadStoredExperiment(opened: CliStore, name: string): Promise<Experiment> {
  const { registerBuiltInRunners } = await import("../service/builtin-runners.js");
  registerBuiltInRunners();
  const experiment = await opened.store.loadExperiment(name);
  if (experiment !== null) return experiment;
  const stored = await opened.store.listExperiments();
  const similar = similarNames(name, stored);
  const hint =
    similar.length > 0
      ? `Did you mean ${similar.map((s) => `"${s}"`).join(", ")}?`
      : stored.length > 0
        ? `It holds ${stored.length} other experiment(s); see them with ascent list.`
        : "It holds no experiments yet.";
  throw new ExperimentNotFoundError(
    `No experiment named "${name}" is stored at ${opened.description}. ${hint} ` +
      "(Pass --storage URL to read another store.)",
    { experimentName: name, path: opened.description, similarNames: similar },
  );
}

/**
 * The exit code of a command that failed with `error`, after printing its message: {@link USAGE_EXIT_CODE}
 * for an unknown experiment, {@link STORAGE_EXIT_CODE} for any other storage failure.
 * @throws `error` itself when it is neither (a bug, or a failure the caller handles).
 * @example catch (error) { context.exitCode = storageFailureExitCode(error, context, "show"); }
 */
export function storageFailureExitCode(error: unknown, context: CliContext, commandName: string): number {
  if (error instanceof ExperimentNotFoundError) {
    context.err(`ascent ${commandName}: ${error.message}`);
    return USAGE_EXIT_CODE;
  }
  if (error instanceof StorageError) {
    context.err(`ascent ${commandName}: ${error.message}`);
    return STORAGE_EXIT_CODE;
  }
  throw error;
}

/**
 * Opens the store of `flags`, runs `use` with it, closes it, and returns `use`'s exit code; or prints
 * what went wrong and returns {@link USAGE_EXIT_CODE} for a malformed URL or an unknown experiment,
 * {@link STORAGE_EXIT_CODE} for a store that cannot be opened or read.
 * @example context.exitCode = await withStore(context, "list", flags, { readOnly: true }, async (s) => 0);
 */
export async function withStore(
  context: CliContext,
  commandName: string,
  flags: StorageFlags,
  options: OpenCliStoreOptions,
  use: (opened: CliStore) => Promise<number>,
): Promise<number> {
  const url = storageUrlOf(flags, context);
  try {
    const { DBSettings } = await import("../storage/db-settings.js");
    new DBSettings(url); // only parses the URL: a malformed one is a usage error, not a storage failure
  } catch (error) {
    if (!(error instanceof StorageError)) throw error;
    context.err(`ascent ${commandName}: --storage: ${error.message}`);
    return USAGE_EXIT_CODE;
  }
  let opened: CliStore;
  try {
    opened = await openCliStore(url, options);
  } catch (error) {
    const code = storageFailureExitCode(error, context, commandName);
    const source =
      flags.storage !== undefined
        ? "--storage"
        : context.env[STORAGE_URL_ENV]
          ? STORAGE_URL_ENV
          : "the default";
    context.err(
      `(The store is chosen with --storage URL or ${STORAGE_URL_ENV}; this one came from ${source}.)`,
    );
    return code;
  }
  try {
    return await use(opened);
  } catch (error) {
    return storageFailureExitCode(error, context, commandName);
  } finally {
    await opened.store.close().catch(() => undefined);
  }
}

/**
 * The URL to connect with for a read-only PostgreSQL session: its `options` parameter (sent to the server
 * at connection start) gains `-c default_transaction_read_only=on`, and `search_path` for a `?schema=`,
 * since pg lets the URL's options replace the ones DBSettings sets for the schema. `shown` is the URL as
 * messages would show it without this change.
 */
function readOnlyPostgresUrl(url: string): { connect: string; shown: string; schema: string | undefined } {
  const q = url.indexOf("?");
  const base = q < 0 ? url : url.slice(0, q);
  const params = new URLSearchParams(q < 0 ? "" : url.slice(q + 1));
  const schema = params.get("schema") ?? undefined;
  params.delete("schema");
  const shown = maskCredentials(params.size > 0 ? `${base}?${params}` : base);
  const settings = [params.get("options"), "-c default_transaction_read_only=on"];
  // Checked against DBSettings' schema name pattern before any connection is made.
  if (schema !== undefined) settings.push(`-c search_path=${schema}`);
  params.set("options", settings.filter((s) => s).join(" "));
  return { connect: `${base}?${params}`, shown, schema };
}

/** The StorageError of a failed read-only PostgreSQL open, worded for the URL the user gave. */
function readOnlyPostgresError(error: unknown, connectShown: string, shown: string, where: string): unknown {
  if (!(error instanceof StorageError)) return error;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  if (code === "25006") {
    // A write refused by the read-only session: opening wanted to create the schema or Ascent's tables.
    return new StorageError(
      `${where} holds no Ascent store (no Ascent tables there yet), and reading creates none. Check ` +
        "--storage (database, ?schema=), or run an experiment there first.",
      { path: where, cause: error },
    );
  }
  const message = error.message.split(connectShown).join(shown);
  return new StorageError(message, { path: where, cause: error.cause });
}
