import type { Command } from "commander";
import { type CliContext, USAGE_EXIT_CODE } from "../cli-context.js";
import { registerExperimentReadCommand } from "../read-command.js";
import { type CliStore, loadStoredExperiment, type StorageFlags } from "../storage-option.js";

/** The best command's options as commander parses them. */
interface BestFlags extends StorageFlags {
  json?: boolean;
}

const EXAMPLES = `
Examples:
  ascent best cache_tuning
  ascent best cache_tuning --json | jq .best.parameters

One objective: the arm the Client's getBestParameters picks (the model's pick once the generation
strategy has reached Bayesian optimization, unless the data are noise-free or the best observation beats
it by more than 2 noise sds; the best observation before) and the rule that chose it. Several objectives:
the observed Pareto frontier. --json prints { experiment, kind: "single", source, reason, objective, best } or
{ experiment, kind: "pareto", source, objectives, points, hypervolume, referencePoint } (see docs/cli.md).`;

/** `ascent best <name>`: the best parameters and their values, or the Pareto frontier. */
export function registerBestCommand(program: Command, context: CliContext): void {
  registerExperimentReadCommand<BestFlags>(program, context, {
    name: "best",
    description: "print an experiment's best parameters and values (the Pareto set for several objectives)",
    examples: EXAMPLES,
    configure: (command) => command.option("--json", "print JSON for scripts instead of text"),
    run: (opened, name, flags) => printBest(opened, name, flags, context),
  });
}

async function printBest(opened: CliStore, name: string, flags: BestFlags, context: CliContext) {
  const experiment = await loadStoredExperiment(opened, name);
  const generationState = await opened.store.loadGenerationState(name);
  const [{ findBest, bestReportLines }, { OptimizationConfigError }] = await Promise.all([
    import("../format/best-report.js"),
    import("../../errors.js"),
  ]);
  let report: ReturnType<typeof findBest>;
  try {
    report = findBest(experiment, generationState);
  } catch (error) {
    if (!(error instanceof OptimizationConfigError)) throw error;
    context.err(`ascent best: ${error.message}`);
    return USAGE_EXIT_CODE;
  }
  if (flags.json) context.out(JSON.stringify(report, null, 2));
  else for (const line of bestReportLines(report)) context.out(line);
  return 0;
}
