import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { addRunFlags } from "../session/flags.js";
import type { ResumeFlags } from "../session/resume-action.js";

const HELP = `
Continues a stored experiment where it stopped (Ctrl-C, ascent stop, a crash, a reboot): its generation
strategy goes on from its stored state, trials still running are re-attached to (a command runner's
processes, a queue runner's jobs), and trials are added up to the total ascent run recorded. A function
runner's module is imported again from the config file ascent run recorded, or from --config.

Examples:
  ascent resume cache_tuning
  ascent resume cache_tuning --storage sqlite:/data/ascent.db
  ascent resume cache_tuning --config moved/experiment.yaml

Exit codes: 0 done, 1 the run failed, 2 bad usage, no such experiment, or another process runs it,
3 storage unreachable, 130 interrupted.`;

/** `ascent resume <name>`: continues a stored experiment up to its total. */
export function registerResumeCommand(program: Command, context: CliContext): void {
  addRunFlags(
    program
      .command("resume")
      .description("continue a stored experiment: re-attach to running trials, add trials up to the total")
      .argument("<name>", "the experiment's name")
      .option("--config <file>", "its config file, when the one ascent run recorded moved"),
  )
    .addHelpText("after", HELP)
    .action(async (name: string, flags: ResumeFlags) => {
      const { resumeExperiment } = await import("../session/resume-action.js");
      context.exitCode = await resumeExperiment(name, flags, context);
    });
}
