import type { Runner } from "../../core/runner.js";
import { ConfigError } from "../../errors.js";
import { registerBuiltInRunners } from "../../service/builtin-runners.js";
import { type CliContext, USAGE_EXIT_CODE } from "../cli-context.js";
import { type ExperimentConfig, loadExperimentConfig } from "../config/index.js";
import { type CliStore, storageUrlOf } from "../storage-option.js";
import { CliScheduler } from "./cli-scheduler.js";
import { checkStorageUrl, commandLine, lookCommands, type RunFlags } from "./command-support.js";
import { recordRunSettings } from "./run-properties.js";
import { runSession } from "./run-session.js";
import { createSessionOutput, verbosityOf } from "./session-output.js";
import { withSessionStore } from "./session-store.js";

/**
 * `ascent run <config>`: checks the config file (nothing is written for an invalid one), creates the
 * experiment in the store (refusing a name that is taken), runs the Scheduler to `scheduler.totalTrials`
 * with a progress display, and prints the best point.
 * @returns 0 done, 1 the run failed, 2 bad config or usage (or the name is taken), 3 storage
 * unreachable, 130 interrupted (see `runSession`).
 */
export async function runExperiment(
  configPath: string,
  flags: RunFlags,
  context: CliContext,
): Promise<number> {
  const prepared = await prepare(configPath, flags, context);
  if (typeof prepared === "number") return prepared;
  const { config, runner, url } = prepared;
  return withSessionStore(context, "run", url, async (opened) => {
    if ((await opened.store.listExperiments()).includes(config.name)) {
      context.err(
        `ascent run: an experiment named "${config.name}" is already stored in ${opened.description}. Continue it with:\n` +
          `  ${commandLine(context, "resume", config.name, url)}\nor give this one another name (name: in ${config.file ?? "the config"}).`,
      );
      return USAGE_EXIT_CODE;
    }
    return runNew(config, runner, url, opened, flags, context);
  });
}

/** Reads and checks everything before the store is touched: the config, the runner, the storage URL. */
async function prepare(
  configPath: string,
  flags: RunFlags,
  context: CliContext,
): Promise<{ config: ExperimentConfig; runner: Runner; url: string } | number> {
  try {
    const config = await loadExperimentConfig(configPath, { env: context.env });
    if (config.schedulerOptions.totalTrials === null) {
      context.err(
        `ascent run: ${config.file ?? configPath}: scheduler.totalTrials: ascent run needs the number of trials ` +
          "to run (write scheduler: { totalTrials: 30 }).",
      );
      return USAGE_EXIT_CODE;
    }
    const url = storageUrlOf(flags, context, config.storageUrl);
    const malformed = checkStorageUrl(url, context, "run");
    if (malformed !== null) return malformed;
    // A function runner's module is imported here, so that a broken module is a config error too.
    const runner = await config.createRunner();
    return { config, runner, url };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    context.err(`ascent run: ${error.message}`);
    return USAGE_EXIT_CODE;
  }
}

async function runNew(
  config: ExperimentConfig,
  runner: Runner,
  url: string,
  opened: CliStore,
  flags: RunFlags,
  context: CliContext,
): Promise<number> {
  registerBuiltInRunners();
  const output = createSessionOutput(context, verbosityOf(flags));
  const experiment = config.createExperiment({ runner });
  recordRunSettings(experiment, config.file, config.schedulerOptions);
  const scheduler = new CliScheduler({
    experiment,
    generationStrategy: config.createGenerationStrategy(experiment, { logger: output.logger }),
    options: config.schedulerOptions,
    store: opened.store,
    logger: output.logger,
  });
  const total = config.schedulerOptions.totalTrials!;
  context.out(
    `Running experiment "${config.name}": ${total} trials, stored in ${opened.description}. ` +
      `Stop launching with: ${commandLine(context, "stop", config.name, url)}`,
  );
  return runSession({
    context,
    output,
    scheduler,
    maxTrials: total,
    total,
    resumeCommand: commandLine(context, "resume", config.name, url),
    lookCommands: lookCommands(context, config.name, url),
    finishRunningOnInterrupt: config.runner.type === "function",
  });
}
