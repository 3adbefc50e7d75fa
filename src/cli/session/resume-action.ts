import type { Experiment } from "../../core/experiment.js";
import type { Runner } from "../../core/runner.js";
import { ConfigError } from "../../errors.js";
import { FunctionRunner } from "../../runners/function/index.js";
import type { SchedulerOptions } from "../../scheduler/scheduler-options.js";
import { type CliContext, USAGE_EXIT_CODE } from "../cli-context.js";
import { loadExperimentConfig } from "../config/index.js";
import { type CliStore, loadStoredExperiment, storageUrlOf } from "../storage-option.js";
import { CliScheduler } from "./cli-scheduler.js";
import { checkStorageUrl, commandLine, lookCommands, type RunFlags } from "./command-support.js";
import { schedulerOptionsOf, storedRunSettings } from "./run-properties.js";
import { runSession } from "./run-session.js";
import { createSessionOutput, verbosityOf } from "./session-output.js";
import { withSessionStore } from "./session-store.js";
import { clearStopRequest } from "./stop-request.js";

/** Flags of `ascent resume`. */
export interface ResumeFlags extends RunFlags {
  /** The config file, for a function runner whose recorded file moved (or an experiment not made by `run`). */
  config?: string;
}

/** What resuming needs besides the stored experiment. */
interface ResumePlan {
  readonly options: SchedulerOptions;
  /** A runner to use instead of the stored one (a function runner's function), or undefined. */
  readonly runner: Runner | undefined;
}

/**
 * `ascent resume <name>`: continues a stored experiment. The Scheduler is rebuilt from the store with its
 * generation state, re-attaches to the trials still running (a command runner to its processes, a queue
 * runner to its jobs), and adds trials up to the total `ascent run` recorded. A function runner's module
 * is imported again from the recorded config file (or `--config`).
 * @returns as `ascent run`; 2 as well for an unknown experiment or one that another process runs now.
 */
export async function resumeExperiment(
  name: string,
  flags: ResumeFlags,
  context: CliContext,
): Promise<number> {
  const url = storageUrlOf(flags, context);
  const malformed = checkStorageUrl(url, context, "resume");
  if (malformed !== null) return malformed;
  return withSessionStore(context, "resume", url, async (opened) => {
    const experiment = await loadStoredExperiment(opened, name);
    const plan = await planResume(experiment, flags, context);
    if (typeof plan === "number") return plan;
    return resumeWith(plan, experiment, url, opened, flags, context);
  });
}

/** The options and runner to resume with, from the recorded settings and config file; or a usage error. */
async function planResume(
  experiment: Experiment,
  flags: ResumeFlags,
  context: CliContext,
): Promise<ResumePlan | number> {
  const settings = storedRunSettings(experiment);
  const configFile = flags.config ?? settings?.configFile ?? null;
  const needsFunction = experiment.runner instanceof FunctionRunner;
  const usage = (message: string): number => {
    context.err(`ascent resume: ${message}`);
    return USAGE_EXIT_CODE;
  };
  if (configFile === null && (needsFunction || settings === null)) {
    return usage(
      `experiment "${experiment.name}" was not started by ascent run (or its config file is not recorded); ` +
        "pass --config <file> with its config file.",
    );
  }
  try {
    const config = configFile === null ? null : await loadExperimentConfig(configFile, { env: context.env });
    if (config && config.name !== experiment.name) {
      return usage(`${config.file}: it describes experiment "${config.name}", not "${experiment.name}".`);
    }
    const options = settings && !flags.config ? schedulerOptionsOf(settings) : config!.schedulerOptions;
    if (options.totalTrials === null) return usage("the recorded settings have no scheduler.totalTrials.");
    const runner = needsFunction ? await config!.createRunner() : undefined;
    return { options, runner };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return usage(`${error.message}\n(the config file is needed again to evaluate trials with its function)`);
  }
}

async function resumeWith(
  plan: ResumePlan,
  stored: Experiment,
  url: string,
  opened: CliStore,
  flags: ResumeFlags,
  context: CliContext,
): Promise<number> {
  const name = stored.name;
  const output = createSessionOutput(context, verbosityOf(flags));
  // An earlier `ascent stop` must not stop this run at once.
  await clearStopRequest(opened.store, stored);
  const scheduler = await CliScheduler.fromStoredExperiment({
    experimentName: name,
    store: opened.store,
    options: plan.options,
    ...(plan.runner ? { runner: plan.runner } : {}),
    logger: output.logger,
  });
  const total = plan.options.totalTrials!;
  const e = scheduler.experiment;
  context.out(
    `Resuming experiment "${name}" stored in ${opened.description}: ${e.numTrials} of ${total} trials so far, ` +
      `${e.runningTrials.length} still running. Stop launching with: ${commandLine(context, "stop", name, url)}`,
  );
  return runSession({
    context,
    output,
    scheduler,
    maxTrials: total,
    total,
    resumeCommand: commandLine(context, "resume", name, url),
    lookCommands: lookCommands(context, name, url),
    finishRunningOnInterrupt: plan.runner !== undefined,
  });
}
