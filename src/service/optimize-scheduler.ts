import type { Experiment } from "../core/experiment.js";
import type { ExperimentStore } from "../core/experiment-store.js";
import { ExperimentExistsError, OptimizeArgumentError } from "../errors.js";
import { chooseGenerationStrategy, type GenerationStrategy } from "../generation/index.js";
import { Scheduler } from "../scheduler/index.js";
import { type Clock, systemClock } from "../util/clock.js";
import { Logger } from "../util/logger.js";
import { experimentFromOptions } from "./experiment-from-options.js";
import type { OptimizeOptions, ResolvedOptimizeOptions } from "./optimize-options.js";

/** The Scheduler `optimize` runs, and how to release what it opened. */
export interface OptimizeSetup {
  readonly scheduler: Scheduler;
  /** Whether a stored experiment was resumed. */
  readonly resumed: boolean;
  /** Closes the store when `optimize` opened it (from `dbSettings`); a given store stays open. */
  close(): Promise<void>;
}

/**
 * Builds the experiment from the plain spec (with the Client's parsers) and a Scheduler for it: a new
 * experiment, or with `resume` the stored one of that name, run by the given runner.
 * @throws ExperimentExistsError when the store has the name and `resume` is not set;
 * OptimizeArgumentError when a resumed experiment is a different problem; the Client's spec errors.
 */
export async function setUpOptimize(
  options: OptimizeOptions,
  resolved: ResolvedOptimizeOptions,
): Promise<OptimizeSetup> {
  const clock = options.clock ?? systemClock;
  const experiment = experimentFromOptions({ ...specOf(options), name: resolved.name }, clock);
  const logger = loggerFor(options, resolved, clock);
  const store = options.store ?? (options.dbSettings ? await options.dbSettings.openStore() : null);
  const close = async (): Promise<void> => {
    if (store !== null && options.store === undefined) await store.close();
  };
  try {
    const stored = store !== null && (await store.listExperiments()).includes(resolved.name);
    if (stored && !options.resume) throw nameTaken(resolved.name, store);
    if (stored) {
      const scheduler = await Scheduler.fromStoredExperiment({
        experimentName: resolved.name,
        store,
        options: resolved.schedulerOptions,
        runner: resolved.runner,
        clock,
        logger,
        ...(options.generationStrategy ? { generationStrategy: options.generationStrategy } : {}),
      });
      checkSameProblem(scheduler.experiment, experiment);
      return { scheduler, resumed: true, close };
    }
    experiment.runner = resolved.runner;
    const scheduler = new Scheduler({
      experiment,
      generationStrategy:
        options.generationStrategy ?? defaultStrategy(experiment, options, resolved, logger),
      options: resolved.schedulerOptions,
      store,
      clock,
      logger,
    });
    return { scheduler, resumed: false, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function specOf(options: OptimizeOptions) {
  const { parameters, parameterConstraints, objectives, outcomeConstraints, trackingMetricNames } = options;
  const { statusQuo, description, isTest } = options;
  return {
    parameters,
    objectives,
    ...(parameterConstraints === undefined ? {} : { parameterConstraints }),
    ...(outcomeConstraints === undefined ? {} : { outcomeConstraints }),
    ...(trackingMetricNames === undefined ? {} : { trackingMetricNames }),
    ...(statusQuo === undefined ? {} : { statusQuo }),
    ...(description === undefined ? {} : { description }),
    ...(isTest === undefined ? {} : { isTest }),
  };
}

function loggerFor(options: OptimizeOptions, resolved: ResolvedOptimizeOptions, clock: Clock): Logger {
  if (options.logger) return options.logger;
  const { loggingLevel, logFilepath } = resolved.schedulerOptions;
  return new Logger({
    name: "ascent.optimize",
    level: loggingLevel,
    filepath: logFilepath,
    now: () => clock.now(),
  });
}

/** Ax's choice for the problem and the budget, capped at `maxParallelism` trials at once. */
function defaultStrategy(
  experiment: Experiment,
  options: OptimizeOptions,
  resolved: ResolvedOptimizeOptions,
  logger: Logger,
): GenerationStrategy {
  return chooseGenerationStrategy({
    numTrials: resolved.totalTrials,
    maxParallelismCap: resolved.maxParallelism,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...options.chooseGenerationStrategyOptions,
    searchSpace: experiment.searchSpace,
    optimizationConfig: experiment.optimizationConfig,
    hasStatusQuo: experiment.statusQuo !== null,
    logger: logger.child("ascent.generation"),
  });
}

function nameTaken(name: string, store: ExperimentStore): ExperimentExistsError {
  return new ExperimentExistsError(
    `An experiment named "${name}" is already stored (${store.constructor.name}). Pass resume: true to ` +
      "continue it with this evaluate or runner (up to totalTrials trials in all), choose another name, or " +
      "delete it (store.deleteExperiment) to start over.",
    { experimentName: name },
  );
}

/**
 * A resumed experiment must be the problem `optimize` was given: same parameters, same objectives in the
 * same directions (the stored definition is what runs; this catches resuming the wrong name).
 * @throws OptimizeArgumentError naming both definitions.
 */
function checkSameProblem(stored: Experiment, given: Experiment): void {
  const describe = (e: Experiment): string => {
    const parameters = [...e.searchSpace.parameters.keys()].sort().join(", ");
    const objectives = (e.optimizationConfig?.objectives ?? [])
      .map((o) => `${o.metric.name} (${o.minimize ? "minimize" : "maximize"})`)
      .sort()
      .join(", ");
    return `parameters ${parameters}; objectives ${objectives}`;
  };
  const was = describe(stored);
  const now = describe(given);
  if (was === now) return;
  throw new OptimizeArgumentError(
    `Experiment "${stored.name}" is stored with ${was}, but optimize was given ${now}. Resume it with the ` +
      "same parameters and objectives, or choose another name to start a new experiment.",
    { argument: "resume" },
  );
}
