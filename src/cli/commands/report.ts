import type { Command } from "commander";
import { type CliContext, USAGE_EXIT_CODE } from "../cli-context.js";
import { registerExperimentReadCommand } from "../read-command.js";
import { type CliStore, loadStoredExperiment, type StorageFlags } from "../storage-option.js";

/** The report command's options as commander parses them. */
interface ReportFlags extends StorageFlags {
  output: string;
  /** False with --no-models. */
  models: boolean;
}

const EXAMPLES = `
Examples:
  ascent report cache_tuning                      # writes ./report.html
  ascent report cache_tuning -o reports/cache.html --no-models

One self-contained HTML file: the summary (best point with the model's prediction, trials by status,
durations, the generation strategy and why it was chosen), every chart that applies, the trials table
(sortable) and the failures with their reasons. Scripts, styles and data are inside the file: it opens
offline, from a disk or an e-mail. --no-models leaves out what needs a fitted model (quicker).`;

/** `ascent report <name>`: writes the experiment's HTML report and says where. */
export function registerReportCommand(program: Command, context: CliContext): void {
  registerExperimentReadCommand<ReportFlags>(program, context, {
    name: "report",
    description: "write an experiment's self-contained HTML report (summary, charts, trials, failures)",
    examples: EXAMPLES,
    configure: (command) =>
      command
        .option("-o, --output <file>", "the HTML file to write", "report.html")
        .option("--no-models", "leave out the model views and the model's best point (quicker)"),
    run: (opened, name, flags) => writeExperimentReport(opened, name, flags, context),
  });
}

async function writeExperimentReport(
  opened: CliStore,
  name: string,
  flags: ReportFlags,
  context: CliContext,
) {
  const experiment = await loadStoredExperiment(opened, name);
  const generationStrategy = await opened.store.loadGenerationState(name);
  // The report loads Vega and the model code: imported only when a report is asked for.
  const [{ writeReport }, { ReportWriteError }] = await Promise.all([
    import("../../reporting/report/write-report.js"),
    import("../../errors.js"),
  ]);
  let path: string;
  try {
    path = await writeReport(experiment, flags.output, { models: flags.models, generationStrategy });
  } catch (error) {
    if (!(error instanceof ReportWriteError)) throw error;
    context.err(`ascent report: -o: ${error.message}`);
    return USAGE_EXIT_CODE;
  }
  context.out(`Wrote the report of "${name}" (${experiment.numTrials} trial(s)) to ${path}`);
  return 0;
}
