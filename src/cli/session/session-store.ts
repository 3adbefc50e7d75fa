import type { CliContext } from "../cli-context.js";
import { type CliStore, openCliStore, storageFailureExitCode } from "../storage-option.js";
import { exitCodeOf } from "./exit-code.js";

/**
 * Opens the store at `url` for a command that writes (run, resume, demo), runs `body` with it and closes
 * it. A store that cannot be opened, and an error of the library that ends `body`, are printed as
 * `ascent <command>: message` and become the command's exit code (see `exitCodeOf`); any other error is a
 * bug and is thrown. `onError` runs first (e.g. to take a live display off the terminal).
 */
export async function withSessionStore(
  context: CliContext,
  commandName: string,
  url: string,
  body: (opened: CliStore) => Promise<number>,
  onError: () => void = () => undefined,
): Promise<number> {
  let opened: CliStore;
  try {
    opened = await openCliStore(url);
  } catch (error) {
    return storageFailureExitCode(error, context, commandName);
  }
  try {
    return await body(opened);
  } catch (error) {
    onError();
    const code = exitCodeOf(error);
    if (code === null) throw error;
    context.err(`ascent ${commandName}: ${(error as Error).message}`);
    return code;
  } finally {
    await opened.store.close();
  }
}
