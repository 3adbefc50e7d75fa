import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { addRunFlags, nonNegativeSeconds } from "../session/flags.js";
import type { StopFlags } from "../session/stop-action.js";

const HELP = `
The process running the experiment (ascent run or ascent resume, on this machine or any other sharing
the store) launches no more trials; its running trials finish, and it ends as a completed run does.
The request is stored with the experiment, and read by the running process between polls.

Examples:
  ascent stop cache_tuning
  ascent stop cache_tuning --storage postgres://ascent@db.internal/experiments

Exit codes: 0 requested (or nothing runs it), 2 no such experiment, 3 storage unreachable.`;

/** `ascent stop <name>`: asks the process running an experiment to launch no more trials. */
export function registerStopCommand(program: Command, context: CliContext): void {
  addRunFlags(
    program
      .command("stop")
      .description("ask the process running an experiment to launch no more trials (running ones finish)")
      .argument("<name>", "the experiment's name")
      .option(
        "--wait <seconds>",
        "how long to wait for the running process to confirm",
        nonNegativeSeconds,
        10,
      ),
  )
    .addHelpText("after", HELP)
    .action(async (name: string, flags: StopFlags) => {
      const { stopExperiment } = await import("../session/stop-action.js");
      context.exitCode = await stopExperiment(name, flags, context);
    });
}
