import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import type { RunFlags } from "../session/command-support.js";
import { addRunFlags } from "../session/flags.js";

const HELP = `
The config file (YAML, or JSON) describes the experiment, its runner, the Scheduler's settings and where
it is stored; it is checked whole before anything is written. The run goes to scheduler.totalTrials (or
ends earlier when the globalStopping: rule says it stopped improving, and says why), shows its progress
(live on a terminal, one line per event otherwise), and prints the best point at the end.

Ctrl-C or SIGTERM: launch no more trials, save, and print the command that resumes (a second Ctrl-C
exits at once; the store stays consistent). From another terminal or machine, ascent stop <name> makes
the run launch no more trials and end once the running ones finished.

Examples:
  ascent run examples/cli/experiment.yaml
  ascent run experiment.yaml --storage postgres://ascent@db.internal/experiments

Exit codes: 0 done, 1 the run failed (too many failed trials, or all failed), 2 bad usage or config
(or the experiment exists: continue it with ascent resume), 3 storage unreachable, 130 interrupted.`;

/** `ascent run <config>`: creates the experiment a config file describes and runs it to its total. */
export function registerRunCommand(program: Command, context: CliContext): void {
  addRunFlags(
    program
      .command("run")
      .description("create the experiment a config file describes and run it, with a progress display")
      .argument("<config>", "the experiment's config file (.yaml, .yml or .json)"),
  )
    .addHelpText("after", HELP)
    .action(async (config: string, flags: RunFlags) => {
      const { runExperiment } = await import("../session/run-action.js");
      context.exitCode = await runExperiment(config, flags, context);
    });
}
