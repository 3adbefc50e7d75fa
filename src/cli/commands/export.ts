import type { Command } from "commander";
import { Option } from "commander";
import { type CliContext, USAGE_EXIT_CODE } from "../cli-context.js";
import { registerExperimentReadCommand } from "../read-command.js";
import { type CliStore, loadStoredExperiment, type StorageFlags } from "../storage-option.js";

/** The export command's options as commander parses them. */
interface ExportFlags extends StorageFlags {
  format: "csv" | "json" | "data-csv";
  output?: string;
}

const EXAMPLES = `
Examples:
  ascent export cache_tuning --format csv -o trials.csv
  ascent export cache_tuning --format json -o cache_tuning.json
  ascent export cache_tuning --format data-csv -o data.csv

csv: the trials table of ascent show (one row per arm), RFC 4180 quoting, LF line ends, full precision.
data-csv: every stored observation, one row each (trialIndex, armName, metricName, mean, sem), with a
column per progression key (step, epoch, ...) for intermediate results; CSV as above.
json: the whole experiment (definition, trials, data, generation strategy state) in Ascent's export
format, which importExperimentFromJson reads back (to copy an experiment to another store, or keep it).
Without -o the export goes to standard output.`;

/** `ascent export <name>`: the trials table as CSV, or the whole experiment as re-importable JSON. */
export function registerExportCommand(program: Command, context: CliContext): void {
  registerExperimentReadCommand<ExportFlags>(program, context, {
    name: "export",
    description:
      "write an experiment as CSV (its trials table, or every observation with data-csv) or JSON (the whole " +
      "experiment, re-importable)",
    examples: EXAMPLES,
    configure: (command) =>
      command
        .addOption(
          new Option(
            "--format <format>",
            "csv (trials table), json (whole experiment) or data-csv (every observation, curves included)",
          )
            .choices(["csv", "json", "data-csv"])
            .makeOptionMandatory(),
        )
        .option("-o, --output <file>", "write to this file instead of standard output"),
    run: (opened, name, flags) => exportExperiment(opened, name, flags, context),
  });
}

async function exportExperiment(opened: CliStore, name: string, flags: ExportFlags, context: CliContext) {
  const experiment = await loadStoredExperiment(opened, name);
  let text: string;
  if (flags.format === "csv") {
    const [{ experimentToTable }, { tableToCsv }] = await Promise.all([
      import("../../reporting/experiment-to-table.js"),
      import("../../reporting/table-format.js"),
    ]);
    text = tableToCsv(experimentToTable(experiment), { lineEnding: "\n" });
  } else if (flags.format === "data-csv") {
    const [{ dataToTable }, { tableToCsv }] = await Promise.all([
      import("../../reporting/data-to-table.js"),
      import("../../reporting/table-format.js"),
    ]);
    text = tableToCsv(dataToTable(experiment.lookupCurveData()), { lineEnding: "\n" });
  } else {
    const { exportExperimentToJson } = await import("../../storage/codec/experiment-export.js");
    text = `${exportExperimentToJson(experiment, await opened.store.loadGenerationState(name))}\n`;
  }
  if (flags.output === undefined) {
    context.out(text.replace(/\r?\n$/, ""));
    return 0;
  }
  const { writeOutputFile } = await import("../format/output-file.js");
  const written = await writeOutputFile(flags.output, text);
  if (!written.ok) {
    context.err(`ascent export: -o: ${written.message}`);
    return USAGE_EXIT_CODE;
  }
  context.err(
    `Wrote experiment "${name}" (${experiment.numTrials} trial(s), ${flags.format}) to ${written.path}.`,
  );
  return 0;
}
