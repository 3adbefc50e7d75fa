import type { ExperimentStore, StoreProvider } from "../core/experiment-store.js";
import { describeValue as describe } from "../core/json.js";
import { Runner } from "../core/runner.js";
import { OptimizeArgumentError } from "../errors.js";
import type { GenerationStrategy } from "../generation/index.js";
import type { EvaluateFunction } from "../runners/function/index.js";
import { FunctionRunner } from "../runners/function/index.js";
import {
  type EarlyStoppingStrategy,
  type GlobalStoppingStrategy,
  SchedulerOptions,
  type SchedulerOptionsInit,
} from "../scheduler/index.js";
import type { AbortSignalLike } from "../util/abort-signal.js";
import type { Clock } from "../util/clock.js";
import type { Logger, LogLevel } from "../util/logger.js";
import type { CreateExperimentOptions } from "./client-types.js";

/**
 * What {@link optimize} takes: the experiment in the plain form of `Client.createExperiment` (parameters,
 * objectives, constraints), how to evaluate a trial (`evaluate` or `runner`), and the budget.
 */
export interface OptimizeOptions
  extends Pick<
    CreateExperimentOptions,
    | "parameters"
    | "parameterConstraints"
    | "objectives"
    | "outcomeConstraints"
    | "trackingMetricNames"
    | "statusQuo"
    | "description"
    | "isTest"
    | "chooseGenerationStrategyOptions"
  > {
  /**
   * Evaluates one trial in this process (run by a {@link FunctionRunner}): returns the single objective's
   * value, or `{ metricName: number | [mean, sem] | { mean, sem } }`. Give this or `runner`.
   */
  evaluate?: EvaluateFunction;
  /** Any runner instead of `evaluate`, e.g. `new CommandRunner(...)` or `new QueueRunner(...)`. */
  runner?: Runner;
  /** Trials of the experiment in all (a resumed experiment's earlier trials count). */
  totalTrials: number;
  /**
   * Most trials evaluated at once (default 1, as Ax's `optimize`: each trial then learns from all
   * earlier ones, and a seed reproduces the run exactly). Sets the Scheduler's `maxPendingTrials` and the
   * default strategy's `maxParallelismCap` (its Bayesian-optimization step runs at most 3 at once).
   */
  maxParallelism?: number;
  /** Name of the experiment; default "optimize". Name it when storing, to find it again. */
  name?: string;
  /** Seed of the default generation strategy: the same seed proposes the same trials. */
  seed?: number;
  /** The strategy proposing trials; default `chooseGenerationStrategy` for the problem and budget. */
  generationStrategy?: GenerationStrategy;
  /** Database settings (`new DBSettings({ url: "sqlite:./ascent.db" })`): every change is saved there. */
  dbSettings?: StoreProvider;
  /** A store to save to instead of `dbSettings` (it stays open; a store `optimize` opens is closed). */
  store?: ExperimentStore;
  /**
   * With a store: continue the stored experiment of this name when there is one (its parameters and
   * objectives must be the ones given), else start it. Without it, a stored name is an error.
   */
  resume?: boolean;
  /**
   * Further Scheduler settings (`ttlSecondsForTrials`, `initSecondsBetweenPolls`, `toleratedTrialFailureRate`,
   * ...). `totalTrials` and `maxPendingTrials` come from `totalTrials` and `maxParallelism`.
   */
  schedulerOptions?: Omit<SchedulerOptionsInit, "totalTrials" | "maxPendingTrials">;
  /**
   * Ends the optimization before `totalTrials` when it stops improving (e.g.
   * `new ImprovementGlobalStoppingStrategy()`); the result's `globalStoppingReason` says why. The same as
   * `schedulerOptions.globalStoppingStrategy` (give one of the two).
   */
  globalStoppingStrategy?: GlobalStoppingStrategy | null;
  /**
   * Stops running trials early from the progress they report (`context.report(...)` in `evaluate`, a
   * command's `$ASCENT_PROGRESS_FILE`), e.g. `new PercentileEarlyStoppingStrategy()`; they end
   * EARLY_STOPPED with the strategy's reason, their last reported values as their result. Default none.
   */
  earlyStoppingStrategy?: EarlyStoppingStrategy | null;
  /** Stop launching trials after this many hours; running evaluations' signals then fire. */
  timeoutHours?: number;
  /** Aborting it stops the run promptly; running evaluations' signals fire. */
  signal?: AbortSignalLike;
  /** Receives the log lines (the Scheduler logs through `logger.child("Scheduler")`). */
  logger?: Logger;
  /** Minimum level logged by the default logger (`LogLevel.INFO` by default; `LogLevel.WARNING` for quiet). */
  loggingLevel?: LogLevel;
  /** Time source (tests use a `FakeClock`); the system clock by default. */
  clock?: Clock;
}

const KNOWN_KEYS: ReadonlySet<string> = new Set([
  "parameters",
  "parameterConstraints",
  "objectives",
  "outcomeConstraints",
  "trackingMetricNames",
  "statusQuo",
  "description",
  "isTest",
  "chooseGenerationStrategyOptions",
  "evaluate",
  "runner",
  "totalTrials",
  "maxParallelism",
  "name",
  "seed",
  "generationStrategy",
  "dbSettings",
  "store",
  "resume",
  "schedulerOptions",
  "globalStoppingStrategy",
  "earlyStoppingStrategy",
  "timeoutHours",
  "signal",
  "logger",
  "loggingLevel",
  "clock",
]);

/** Hints for keys people reach for (Ax's names, other APIs' names). */
const KEY_HINTS: Readonly<Record<string, string>> = {
  evaluationFunction: "evaluate",
  evaluation_function: "evaluate",
  trackingMetrics: "trackingMetricNames",
  total_trials: "totalTrials",
  experimentName: "name",
  experiment_name: "name",
  randomSeed: "seed",
  random_seed: "seed",
  maxParallelismCap: "maxParallelism",
  maxPendingTrials: "maxParallelism",
  options: "schedulerOptions",
};

/** Checked options with defaults applied. */
export interface ResolvedOptimizeOptions {
  readonly name: string;
  readonly runner: Runner;
  readonly totalTrials: number;
  readonly maxParallelism: number;
  readonly schedulerOptions: SchedulerOptions;
}

/**
 * Checks the arguments `optimize` cannot run without and resolves the runner and Scheduler settings.
 * The experiment spec itself is checked by the Client's parsers when the experiment is built.
 * @throws OptimizeArgumentError naming the argument and how to fix it.
 */
export function resolveOptimizeOptions(options: OptimizeOptions): ResolvedOptimizeOptions {
  if (options === null || typeof options !== "object") {
    fail("options", `optimize takes one object of options, got ${describe(options)}.`);
  }
  checkKeys(options);
  const runner = resolveRunner(options);
  const totalTrials = positiveInt("totalTrials", options.totalTrials, "the number of trials to run, e.g. 30");
  const maxParallelism =
    options.maxParallelism === undefined
      ? 1
      : positiveInt("maxParallelism", options.maxParallelism, "the most trials evaluated at once");
  const name = options.name ?? "optimize";
  if (typeof name !== "string" || name.trim() === "") {
    fail("name", `name must be a non-empty string, got ${describe(name)}.`);
  }
  if (options.store && options.dbSettings) {
    fail("store", "Give either dbSettings or store, not both.");
  }
  if (options.resume && !options.store && !options.dbSettings) {
    fail("resume", "resume continues a stored experiment: give dbSettings (or store) too.");
  }
  if (options.generationStrategy && options.seed !== undefined) {
    fail(
      "seed",
      "seed seeds the default generation strategy; with generationStrategy, seed that strategy instead.",
    );
  }
  return {
    name,
    runner,
    totalTrials,
    maxParallelism,
    schedulerOptions: schedulerOptionsFor(options, totalTrials, maxParallelism),
  };
}

function checkKeys(options: OptimizeOptions): void {
  for (const key of Object.keys(options)) {
    if (KNOWN_KEYS.has(key)) continue;
    const hint = KEY_HINTS[key];
    const schedulerKey = hint === undefined && isSchedulerOption(key);
    fail(
      key,
      `Unknown option "${key}" of optimize.` +
        (hint ? ` Did you mean "${hint}"?` : "") +
        (schedulerKey ? ` Scheduler settings go in schedulerOptions: { ${key}: ... }.` : ""),
    );
  }
}

function isSchedulerOption(key: string): boolean {
  return key in new SchedulerOptions().toInit();
}

function resolveRunner(options: OptimizeOptions): Runner {
  const { evaluate, runner } = options;
  if (evaluate !== undefined && runner !== undefined) {
    fail(
      "evaluate",
      "Give either evaluate (a function run in this process) or runner (e.g. new CommandRunner(...)), not both.",
    );
  }
  if (evaluate !== undefined) {
    if (typeof evaluate !== "function") {
      fail(
        "evaluate",
        `evaluate must be a function (parameters, context) => result, got ${describe(evaluate)}.`,
      );
    }
    return new FunctionRunner(evaluate);
  }
  if (runner === undefined) {
    fail(
      "evaluate",
      "optimize needs to know how to evaluate a trial: pass evaluate: (parameters) => loss, or runner: " +
        "new CommandRunner({ command: [...] }) (any Runner).",
    );
  }
  if (!(runner instanceof Runner)) {
    fail("runner", `runner must be a Runner (e.g. new CommandRunner(...)), got ${describe(runner)}.`);
  }
  return runner;
}

/**
 * Scheduler settings: the Scheduler's defaults, the user's settings, `loggingLevel`, and the budget. (A
 * runner that reports changes, as the built-in ones do, wakes the loop at once, so no poll interval
 * needs shortening.)
 */
function schedulerOptionsFor(
  options: OptimizeOptions,
  totalTrials: number,
  maxParallelism: number,
): SchedulerOptions {
  const given = options.schedulerOptions ?? {};
  if (given === null || typeof given !== "object") {
    fail(
      "schedulerOptions",
      `schedulerOptions must be an object of Scheduler settings, got ${describe(given)}.`,
    );
  }
  for (const key of ["totalTrials", "maxPendingTrials"] as const) {
    if (key in given) {
      const own = key === "totalTrials" ? "totalTrials" : "maxParallelism";
      fail("schedulerOptions", `Set ${own} as optimize's own option, not schedulerOptions.${key}.`);
    }
  }
  const defaults: SchedulerOptionsInit = {};
  if (options.loggingLevel !== undefined) defaults.loggingLevel = options.loggingLevel;
  if (options.globalStoppingStrategy !== undefined) {
    if (given.globalStoppingStrategy !== undefined) {
      fail(
        "globalStoppingStrategy",
        "globalStoppingStrategy is given twice, as optimize's option and in schedulerOptions; keep one.",
      );
    }
    defaults.globalStoppingStrategy = options.globalStoppingStrategy;
  }
  const strategy = options.earlyStoppingStrategy;
  if (strategy !== undefined && strategy !== null) {
    if ("earlyStoppingStrategy" in given) {
      fail(
        "earlyStoppingStrategy",
        "Give earlyStoppingStrategy once: as optimize's own option or in schedulerOptions, not both.",
      );
    }
    try {
      defaults.earlyStoppingStrategy = new SchedulerOptions({
        earlyStoppingStrategy: strategy,
      }).earlyStoppingStrategy;
    } catch (error) {
      return fail("earlyStoppingStrategy", (error as Error).message, error);
    }
  }
  try {
    return new SchedulerOptions({ ...defaults, ...given, totalTrials, maxPendingTrials: maxParallelism });
  } catch (error) {
    return fail("schedulerOptions", (error as Error).message, error);
  }
}

function positiveInt(argument: string, value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    fail(argument, `${argument} must be a positive integer (${what}), got ${describe(value)}.`);
  }
  return value;
}

function fail(argument: string, message: string, cause?: unknown): never {
  throw new OptimizeArgumentError(message, { argument, ...(cause === undefined ? {} : { cause }) });
}
