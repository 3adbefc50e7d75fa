import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import type { ExperimentSummary } from "../format/experiment-summary.js";
import { addStorageOption, type CliStore, type StorageFlags, withStore } from "../storage-option.js";

/** The list command's options as commander parses them. */
interface ListFlags extends StorageFlags {
  json?: boolean;
}

const EXAMPLES = `
Examples:
  ascent list
  ascent list --storage postgres://ascent@db.internal:5432/experiments --json | jq '.experiments[].name'

Reads the store only (SQLite read-only, PostgreSQL in a read-only session), so it is safe while an
experiment runs. --json prints { storage, experiments: [{ name, trials, byStatus, objectives, best,
paretoPoints, lastUpdated, error }] } (see docs/cli.md).`;

/**
 * `ascent list`: the experiments in the store, with trial counts by status, the best observed value
 * and the last update; a table, or JSON with `--json`.
 */
export function registerListCommand(program: Command, context: CliContext): void {
  const command = program
    .command("list")
    .description("list the stored experiments: trials by status, best value, last update")
    .option("--json", "print JSON for scripts instead of a table");
  addStorageOption(command)
    .addHelpText("after", EXAMPLES)
    .action(async (flags: ListFlags) => {
      context.exitCode = await withStore(context, "list", flags, { readOnly: true }, (opened) =>
        printList(opened, flags, context),
      );
    });
}

async function printList(opened: CliStore, flags: ListFlags, context: CliContext): Promise<number> {
  const names = (await opened.store.listExperiments()).sort((a, b) => a.localeCompare(b));
  const summaries = await summarize(opened, names);
  if (flags.json) {
    context.out(JSON.stringify({ storage: opened.description, experiments: summaries }, null, 2));
    return 0;
  }
  if (summaries.length === 0) {
    context.out(`No experiments are stored at ${opened.description}.`);
    return 0;
  }
  const [{ summaryTable }, { renderTextTable }] = await Promise.all([
    import("../format/experiment-summary.js"),
    import("../format/text-table.js"),
  ]);
  for (const line of renderTextTable(summaryTable(summaries), { maxCellWidth: 60 })) context.out(line);
  return 0;
}

/** Loads and summarizes each experiment; one that cannot be read is listed with the reason. */
async function summarize(opened: CliStore, names: readonly string[]): Promise<ExperimentSummary[]> {
  if (names.length === 0) return [];
  const [{ summarizeExperiment, unreadableSummary }, { StorageError }, { loadStoredExperiment }] =
    await Promise.all([
      import("../format/experiment-summary.js"),
      import("../../errors.js"),
      import("../storage-option.js"),
    ]);
  const out: ExperimentSummary[] = [];
  for (const name of names) {
    try {
      out.push(summarizeExperiment(await loadStoredExperiment(opened, name)));
    } catch (error) {
      // One experiment this process cannot rebuild (a class it has not registered, a hand-edited
      // row) must not hide the others. Failures to reach the store wrap the driver's error as their
      // cause; those end the command with the storage exit code.
      if (!(error instanceof StorageError) || error.cause !== undefined) throw error;
      out.push(unreadableSummary(name, error));
    }
  }
  return out;
}
