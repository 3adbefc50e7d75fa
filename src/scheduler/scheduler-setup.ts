import { Experiment } from "../core/experiment.js";
import type { ExperimentStore, StoreProvider } from "../core/experiment-store.js";
import type { JsonValue } from "../core/json.js";
import { Metric } from "../core/metric.js";
import { isProgressSource, isTrialStopper, type Runner } from "../core/runner.js";
import { MetricWithoutFetchError, SchedulerError } from "../errors.js";
import { GenerationStrategy } from "../generation/index.js";
import type { Clock } from "../util/clock.js";
import { Logger } from "../util/logger.js";
import type { SchedulerOptions } from "./scheduler-options.js";

/** Constructor arguments of a Scheduler. */
export interface SchedulerArgs {
  /** The experiment to optimize: it needs an optimization config and (unless `runTrial` is overridden) a runner. */
  experiment: Experiment;
  /** Where new trials come from. */
  generationStrategy: GenerationStrategy;
  /** Settings; default `new SchedulerOptions()`. */
  options?: SchedulerOptions;
  /** Where every change is saved, incrementally; null or absent for no storage. */
  store?: ExperimentStore | null;
  /**
   * Database settings (`new DBSettings({ url: "sqlite:./ascent.db" })`), as in Ax: the store is opened
   * when the first run starts. Give either `store` or `dbSettings`.
   */
  dbSettings?: StoreProvider | null;
  /** Time source for waits, timeouts and TTLs; default the experiment's clock. */
  clock?: Clock;
  /**
   * Log destination; the Scheduler logs through `logger.child(<class name>)`, keeping its level and
   * outputs. Default: a logger named after the class with `options.loggingLevel` and `options.logFilepath`.
   */
  logger?: Logger;
  /** @internal The experiment was just loaded from `store`: do not save it again. */
  skipExperimentSave?: boolean;
}

/** Arguments of `Scheduler.fromStoredExperiment`. */
export interface FromStoredExperimentArgs {
  /** Name of the stored experiment to resume. */
  experimentName: string;
  /** The store to load from, which the new Scheduler keeps saving to (or give `dbSettings`). */
  store?: ExperimentStore;
  /** Database settings to open the store with (or give `store`). */
  dbSettings?: StoreProvider;
  /** Settings of the resumed Scheduler; default `new SchedulerOptions()`. */
  options?: SchedulerOptions;
  /**
   * The runner to deploy and poll with, instead of the stored one: needed for a runner that cannot be
   * stored whole (a `FunctionRunner`'s function, credentials kept out of storage). It must re-attach to
   * the trials still RUNNING from their run metadata. The stored definition keeps the stored runner.
   */
  runner?: Runner;
  /** Only when no generation state was stored: the strategy to continue with. */
  generationStrategy?: GenerationStrategy;
  clock?: Clock;
  logger?: Logger;
}

/** The logger of a Scheduler named `name`. */
export function createSchedulerLogger(
  name: string,
  options: SchedulerOptions,
  clock: Clock,
  given: Logger | undefined,
): Logger {
  if (given) return given.child(name);
  return new Logger({
    name,
    level: options.loggingLevel,
    filepath: options.logFilepath,
    now: () => clock.now(),
  });
}

/**
 * Checks that the Scheduler can drive `experiment` with `generationStrategy`.
 * @throws SchedulerError for a missing experiment, strategy, optimization config or (when `needsRunner`)
 * runner, or an early-stopping strategy without a metric that is available while running.
 */
export function validateSchedulerInputs(
  className: string,
  args: SchedulerArgs,
  options: SchedulerOptions,
  needsRunner: boolean,
): void {
  const { experiment, generationStrategy } = args ?? {};
  if (!(experiment instanceof Experiment)) {
    throw new SchedulerError(
      `${className} needs an Experiment: new ${className}({ experiment, generationStrategy, options }).`,
    );
  }
  if (typeof generationStrategy?.genForTrials !== "function") {
    throw new SchedulerError(
      `${className} needs a GenerationStrategy (e.g. chooseGenerationStrategy({ searchSpace })), got ${String(generationStrategy)}.`,
    );
  }
  if (!experiment.optimizationConfig) {
    throw new SchedulerError(
      `${className} requires experiment "${experiment.name}" to have an optimization config (what to optimize); set experiment.optimizationConfig.`,
    );
  }
  checkMetricsFetch(className, experiment);
  if (needsRunner && !experiment.runner) {
    throw new SchedulerError(
      `${className} requires experiment "${experiment.name}" to have a runner that deploys trials ` +
        "(experiment.runner), or a Scheduler subclass that overrides runTrial / runTrials.",
    );
  }
  if (options.earlyStoppingStrategy && experiment.runner && !isTrialStopper(experiment.runner)) {
    throw new SchedulerError(
      `An earlyStoppingStrategy needs a runner that can stop trials, but the runner of experiment ` +
        `"${experiment.name}" (${experiment.runner.constructor.name}) has no stop(trial, reason) method: ` +
        "a trial marked EARLY_STOPPED would go on running. Implement stop on the runner, or use a built-in " +
        "runner (FunctionRunner, CommandRunner and QueueRunner can all stop trials).",
    );
  }
  // Intermediate data comes from metrics fetched while trials run, or from a runner reporting progress.
  if (
    options.earlyStoppingStrategy &&
    !experiment.metrics.some((m) => m.isAvailableWhileRunning()) &&
    !isProgressSource(experiment.runner)
  ) {
    throw new SchedulerError(
      "An earlyStoppingStrategy needs intermediate data: a runner that reports progress (the built-in " +
        "function, command and queue runners do) or a metric whose isAvailableWhileRunning() is true.",
    );
  }
}

/**
 * Refuses metrics that cannot fetch data: the abstract `Metric` itself, or a subclass without its own
 * `fetchTrialData` (TypeScript prevents both; plain JavaScript does not), as Ax refuses base `Metric`s.
 * @throws MetricWithoutFetchError naming the first such metric.
 */
function checkMetricsFetch(className: string, experiment: Experiment): void {
  for (const metric of experiment.metrics) {
    const fetch = (metric as { fetchTrialData?: unknown }).fetchTrialData;
    if (typeof fetch === "function" && fetch !== Metric.prototype.fetchTrialData) continue;
    throw new MetricWithoutFetchError(
      `${className} cannot read data of metric "${metric.name}" of experiment "${experiment.name}": its class ` +
        `${metric.constructor.name} has no fetchTrialData(trial) method. Use a Metric subclass that implements it.`,
      { metricName: metric.name },
    );
  }
}

/** Freezes the experiment's search space and optimization config, logging it as Ax does. */
export function enforceImmutability(experiment: Experiment, logger: Logger): void {
  if (experiment.immutableSearchSpaceAndOptConfig) return;
  logger.info(
    "`Scheduler` requires experiment to have immutable search space and optimization config. " +
      "Setting property immutableSearchSpaceAndOptConfig to `true` on experiment.",
  );
  experiment.immutableSearchSpaceAndOptConfig = true;
}

/** Logs how many trials `runAllTrials` would run given the trials already on the experiment (as Ax does). */
export function logRemainingTrials(experiment: Experiment, options: SchedulerOptions, logger: Logger): void {
  const total = options.totalTrials;
  const existing = experiment.numTrials;
  if (existing === 0 || total === null) return;
  const msg = `Experiment "${experiment.name}" already has ${existing} trials; totalTrials is ${total}, so `;
  if (existing >= total) {
    logger.warn(
      `${msg}runAllTrials would run no more trials (runNTrials can still run a fixed number of trials).`,
    );
  } else {
    logger.info(`${msg}runAllTrials would run ${total - existing} more.`);
  }
}

/** A stored experiment, or a SchedulerError naming what the store holds. */
export async function loadStoredExperiment(store: ExperimentStore, name: string): Promise<Experiment> {
  const experiment = await store.loadExperiment(name);
  if (experiment) return experiment;
  let known = "";
  try {
    const names = await store.listExperiments();
    known =
      names.length > 0 ? ` Stored experiments: ${names.slice(0, 10).join(", ")}.` : " The store is empty.";
  } catch {
    // The listing only improves the message.
  }
  throw new SchedulerError(`Experiment "${name}" was not found in the store.${known}`);
}

/**
 * The generation strategy to resume with: the stored one, or the given one when none is stored.
 * @throws SchedulerError when both or neither exist.
 */
export function resolveStoredStrategy(
  experimentName: string,
  state: JsonValue | null,
  given: GenerationStrategy | undefined,
): GenerationStrategy {
  if (state !== null && given) {
    throw new SchedulerError(
      `Experiment "${experimentName}" has a stored generation strategy; do not pass generationStrategy to resume it.`,
    );
  }
  if (state !== null) return GenerationStrategy.fromState(state);
  if (!given) {
    throw new SchedulerError(
      `Experiment "${experimentName}" has no stored generation strategy; pass generationStrategy to resume it.`,
    );
  }
  return given;
}

/** Why a Scheduler without its own `pollTrialStatus` cannot poll through `runner`. */
export function noPollerMessage(className: string, runner: Runner | null): string {
  const name = runner ? runner.constructor.name : "(none)";
  return (
    `${className} cannot poll trial statuses: the experiment's runner ${name} has no ` +
    "pollTrialStatus(trials) method. Give the runner one (implement TrialStatusPoller), or override " +
    "pollTrialStatus() in a Scheduler subclass, as in the Ax Scheduler tutorial."
  );
}

/**
 * The store provider of a Scheduler: `dbSettings`, or a ready store wrapped as a provider.
 * @throws SchedulerError when both are given.
 */
export function resolveStoreProvider(
  className: string,
  store: ExperimentStore | null | undefined,
  dbSettings: StoreProvider | null | undefined,
): StoreProvider | null {
  if (store && dbSettings) {
    throw new SchedulerError(`${className} takes either store or dbSettings, not both.`);
  }
  if (dbSettings) return dbSettings;
  if (!store) return null;
  return { openStore: async () => store, description: `the given ${store.constructor.name}` };
}

/**
 * Constructor arguments of a Scheduler resuming a stored experiment: the experiment and generation
 * strategy loaded from the store, which the Scheduler keeps saving to.
 * @throws SchedulerError when no store is given, the experiment is not stored, or the generation
 * strategy is stored and given (or neither).
 */
export async function loadStoredSchedulerArgs(args: FromStoredExperimentArgs): Promise<SchedulerArgs> {
  const { experimentName } = args;
  const provider = resolveStoreProvider("fromStoredExperiment", args.store, args.dbSettings);
  if (!provider) {
    throw new SchedulerError(
      "fromStoredExperiment needs the store to load from: pass dbSettings (or store).",
    );
  }
  const store = await provider.openStore();
  const experiment = await loadStoredExperiment(store, experimentName);
  if (args.runner) experiment.runner = args.runner;
  const state = await store.loadGenerationState(experimentName);
  return {
    experiment,
    generationStrategy: resolveStoredStrategy(experimentName, state, args.generationStrategy),
    store,
    skipExperimentSave: true,
    ...(args.options ? { options: args.options } : {}),
    ...(args.clock ? { clock: args.clock } : {}),
    ...(args.logger ? { logger: args.logger } : {}),
  };
}
