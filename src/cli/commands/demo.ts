import { type Command, Option } from "commander";
import type { CliContext } from "../cli-context.js";
import type { DemoFlags } from "../session/demo-action.js";
import { addRunFlags, msRange, positiveInt } from "../session/flags.js";

const HELP = `
Minimizes the Branin function with the Scheduler: the first 5 trials quasi-random (Sobol), then Bayesian
optimization, three simulated jobs at a time, every change stored; at the end it writes an HTML report
(report.html next to the SQLite file: open it in a browser). Running it again resumes the stored
experiment "branin_demo" and adds --trials more. Ctrl-C: launch no more trials, let the running ones
finish, and print the command that resumes (a second Ctrl-C exits at once).

Examples:
  ascent demo                       # run, or resume, the demo in ./ascent.db
  ascent demo --fresh --trials 20   # delete the stored demo first, then run 20 trials
  ascent show branin_demo           # the trials, once it ran
  ascent best branin_demo           # the best point
  ascent report branin_demo         # the HTML report again (charts, trials, failures)

The store is --storage, else $ASCENT_STORAGE_URL, else $ASCENT_DB, else sqlite:./ascent.db.
Exit codes: 0 done, 1 the run failed, 2 bad usage, 3 storage unreachable, 130 interrupted.`;

/** `ascent demo`: the main job, a stored Branin optimization with a progress display. */
export function registerDemoCommand(program: Command, context: CliContext): void {
  addRunFlags(
    program
      .command("demo")
      .description("run (or resume) a demo optimization of the Branin function, stored and resumable")
      .option("--trials <n>", "trials to add in this run", positiveInt, 30)
      .option("--fresh", "delete the stored demo experiment first")
      .option(
        "--report <file>",
        "where to write the HTML report (default: report.html next to the SQLite file)",
      )
      .option("--no-report", "write no HTML report at the end")
      .addOption(
        new Option("--job-ms <min,max>", "duration of each simulated job").argParser(msRange).hideHelp(),
      ),
  )
    .addHelpText("after", HELP)
    .action(async (flags: DemoFlags) => {
      const { runDemo } = await import("../session/demo-action.js");
      context.exitCode = await runDemo(flags, context);
    });
}
