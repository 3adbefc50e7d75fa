import type { ExperimentStore } from "../../core/experiment-store.js";
import { TrialStatus } from "../../core/trial-status.js";
import { SchedulerOptions } from "../../scheduler/scheduler-options.js";
import { registerBuiltInRunners } from "../../service/builtin-runners.js";
import { type CliContext, RUN_FAILED_EXIT_CODE } from "../cli-context.js";
import { formatNumber } from "../progress/index.js";
import { storageUrlOf } from "../storage-option.js";
import { CliScheduler } from "./cli-scheduler.js";
import {
  checkStorageUrl,
  commandLine,
  lookCommands,
  programName,
  type RunFlags,
  shellQuote,
} from "./command-support.js";
import {
  BRANIN_OPTIMUM,
  DEMO_EXPERIMENT,
  DEMO_TRIALS,
  type DemoTiming,
  demoGenerationStrategy,
  demoRunner,
  makeDemoExperiment,
} from "./demo-experiment.js";
import { demoReportPath, writeDemoReport } from "./demo-report.js";
import { runSession } from "./run-session.js";
import { createSessionOutput, type SessionOutput, verbosityOf } from "./session-output.js";
import { withSessionStore } from "./session-store.js";
import { clearStopRequest } from "./stop-request.js";

/** Flags of `ascent demo`. */
export interface DemoFlags extends RunFlags {
  trials: number;
  fresh?: boolean;
  /** How long each simulated job takes, `min,max` in ms (for tests; default 200,1200). */
  jobMs?: DemoTiming;
  /** Where to write the HTML report (default: report.html next to the SQLite file, else here); false with --no-report. */
  report?: string | boolean;
}

/**
 * `ascent demo`: minimizes Branin with the Scheduler, three simulated jobs at a time, stored (default
 * `sqlite:./ascent.db`, or `$ASCENT_DB`) as experiment "branin_demo". A second run resumes it and adds
 * `--trials` more; `--fresh` deletes it first. Ends by writing the HTML report (`report.html` next to the
 * SQLite file, or `--report FILE`) and saying where.
 * @returns the exit code of the run (see `runSession`), or 3 when the store cannot be opened.
 */
export async function runDemo(flags: DemoFlags, context: CliContext): Promise<number> {
  const url = storageUrlOf(flags, context, context.env.ASCENT_DB);
  const malformed = checkStorageUrl(url, context, "demo");
  if (malformed !== null) return malformed;
  // The output (a live display on a terminal) starts once the store is open.
  let output: SessionOutput | null = null;
  return withSessionStore(
    context,
    "demo",
    url,
    async ({ store, description }) => {
      registerBuiltInRunners();
      output = createSessionOutput(context, verbosityOf(flags));
      const scheduler = await demoScheduler(store, description, flags, context, output);
      const existing = scheduler.experiment.numTrials;
      const code = await runSession({
        context,
        output,
        scheduler,
        maxTrials: flags.trials,
        total: existing + flags.trials,
        resumeCommand: demoCommand(context, flags, url),
        lookCommands: lookCommands(context, DEMO_EXPERIMENT, url),
        finishRunningOnInterrupt: true,
      });
      if (code === 0) {
        context.out(
          `Known minimum of Branin: ${BRANIN_OPTIMUM}. Run "${demoCommand(context, flags, url)}" again to add ${flags.trials} more trials.`,
        );
      }
      // A failed run is reported too: its failures are what the report shows best.
      if ((code === 0 || code === RUN_FAILED_EXIT_CODE) && flags.report !== false) {
        const path = typeof flags.report === "string" ? flags.report : demoReportPath(description);
        await writeDemoReport(context, scheduler.experiment, scheduler.generationStrategy, path);
      }
      return code;
    },
    () => output?.reporter.close(),
  );
}

async function demoScheduler(
  store: ExperimentStore,
  where: string,
  flags: DemoFlags,
  context: CliContext,
  output: SessionOutput,
): Promise<CliScheduler> {
  const options = new SchedulerOptions({ initSecondsBetweenPolls: 0.05, minSecondsBeforePoll: 0 });
  const stored = (await store.listExperiments()).includes(DEMO_EXPERIMENT);
  if (stored && flags.fresh) {
    await store.deleteExperiment(DEMO_EXPERIMENT);
    context.out(`Deleted the stored experiment "${DEMO_EXPERIMENT}"; starting fresh.`);
  }
  if (stored && !flags.fresh) {
    const previous = await store.loadExperiment(DEMO_EXPERIMENT);
    if (previous) await clearStopRequest(store, previous);
    const scheduler = await CliScheduler.fromStoredExperiment({
      experimentName: DEMO_EXPERIMENT,
      store,
      options,
      runner: demoRunner(flags.jobMs),
      logger: output.logger,
    });
    context.out(describeResume(scheduler, where, flags.trials, context));
    return scheduler;
  }
  const experiment = makeDemoExperiment(flags.jobMs);
  context.out(
    `Minimizing Branin: ${flags.trials} trials, up to 3 at once, stored in ${where} (experiment "${DEMO_EXPERIMENT}").`,
  );
  return new CliScheduler({
    experiment,
    generationStrategy: demoGenerationStrategy(experiment, output.logger),
    options,
    store,
    logger: output.logger,
  });
}

function describeResume(scheduler: CliScheduler, where: string, trials: number, context: CliContext): string {
  const e = scheduler.experiment;
  const completed = e.countTrialsWithStatus(TrialStatus.COMPLETED);
  const running = e.runningTrials.length;
  return (
    `Resuming experiment "${DEMO_EXPERIMENT}" stored in ${where}: ${e.numTrials} trials so far ` +
    `(${completed} completed${running > 0 ? `, ${running} left running by an interrupted run` : ""}); adding ${trials} more. ` +
    `Start over with: ${programName(context)} demo --fresh`
  );
}

/** The command that runs the demo again on the same store. */
function demoCommand(context: CliContext, flags: DemoFlags, url: string): string {
  const line = commandLine(context, "demo", null, url);
  return flags.trials === DEMO_TRIALS ? line : `${line} --trials ${shellQuote(formatNumber(flags.trials))}`;
}
