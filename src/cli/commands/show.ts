import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { registerExperimentReadCommand } from "../read-command.js";
import { type CliStore, loadStoredExperiment, type StorageFlags } from "../storage-option.js";

/** The show command's options as commander parses them. */
interface ShowFlags extends StorageFlags {
  json?: boolean;
}

const EXAMPLES = `
Examples:
  ascent show cache_tuning
  ascent show cache_tuning --json | jq '.[] | select(.trialStatus == "FAILED") | .failureReason'

Columns (as Ax's exp_to_df): each metric's latest mean (objectives first), trialIndex, armName, each
parameter, trialStatus, generatorModel, and failureReason when a trial has one. One row per arm.
--json prints the same rows as an array of objects, each with every column (null when missing).
ascent export NAME --format csv writes them as CSV.`;

/** `ascent show <name>`: the experiment's trials table, as text or (`--json`) as JSON rows. */
export function registerShowCommand(program: Command, context: CliContext): void {
  registerExperimentReadCommand<ShowFlags>(program, context, {
    name: "show",
    description: "print an experiment's trials table (one row per arm: metrics, parameters, status)",
    examples: EXAMPLES,
    configure: (command) => command.option("--json", "print the rows as JSON for scripts instead of a table"),
    run: (opened, name, flags) => printTrials(opened, name, flags, context),
  });
}

async function printTrials(opened: CliStore, name: string, flags: ShowFlags, context: CliContext) {
  const experiment = await loadStoredExperiment(opened, name);
  const [{ experimentToTable }, { tableToJson }, { renderTextTable }, { summarizeExperiment }] =
    await Promise.all([
      import("../../reporting/experiment-to-table.js"),
      import("../../reporting/table-format.js"),
      import("../format/text-table.js"),
      import("../format/experiment-summary.js"),
    ]);
  const rows = experimentToTable(experiment);
  if (flags.json) {
    context.out(tableToJson(rows, 2));
    return 0;
  }
  const { trials, byStatus } = summarizeExperiment(experiment);
  const counts = Object.entries(byStatus)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  context.out(`Experiment "${name}": ${trials} trial(s)${counts.length ? ` (${counts.join(", ")})` : ""}`);
  if (rows.length > 0) context.out("");
  for (const line of renderTextTable(rows)) context.out(line);
  return 0;
}
