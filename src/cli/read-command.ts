import type { Command } from "commander";
import type { CliContext } from "./cli-context.js";
import { addStorageOption, type CliStore, type StorageFlags, withStore } from "./storage-option.js";

/** What a read command on one stored experiment (`show`, `best`, `export`) is made of. */
export interface ExperimentReadCommand<F extends StorageFlags> {
  readonly name: string;
  readonly description: string;
  /** Help text after the options (examples, output formats). */
  readonly examples: string;
  /** Adds the command's own options (before the shared `--storage`). */
  readonly configure: (command: Command) => Command;
  /** Does the work on the store opened read-only; returns the exit code. */
  readonly run: (opened: CliStore, experimentName: string, flags: F) => Promise<number>;
}

/**
 * Registers `ascent NAME <experiment>`: the experiment argument, the command's options, `--storage`, and an
 * action that opens the store read-only (safe while a run writes), runs the command and sets the exit code
 * (storage failures mapped as every command maps them).
 */
export function registerExperimentReadCommand<F extends StorageFlags>(
  program: Command,
  context: CliContext,
  spec: ExperimentReadCommand<F>,
): void {
  const command = program
    .command(spec.name)
    .description(spec.description)
    .argument("<name>", "the experiment's name (see ascent list)");
  addStorageOption(spec.configure(command))
    .addHelpText("after", spec.examples)
    .action(async (name: string, flags: F) => {
      context.exitCode = await withStore(context, spec.name, flags, { readOnly: true }, (opened) =>
        spec.run(opened, name, flags),
      );
    });
}
