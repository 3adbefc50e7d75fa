/**
 * Every error class Ascent throws, in one place. All extend {@link AscentError}; each carries structured
 * fields (which trial, which parameter, which path) besides a message that says what was wrong, where,
 * and how to fix it.
 */

/** Options shared by all Ascent errors. */
export interface AscentErrorOptions {
  cause?: unknown;
}

/** Base class of every error Ascent throws on purpose. */
export class AscentError extends Error {
  constructor(message: string, options: AscentErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** A parameter or search space definition is invalid, or a value does not belong to the search space. */
export class SearchSpaceError extends AscentError {
  /** Name of the offending parameter, when one is to blame. */
  readonly parameter: string | undefined;
  constructor(message: string, options: AscentErrorOptions & { parameter?: string } = {}) {
    super(message, options);
    this.parameter = options.parameter;
  }
}

/** A parameter constraint is malformed, or the constraints leave no feasible point. */
export class ParameterConstraintError extends SearchSpaceError {}

/** An optimization config, objective or outcome constraint is invalid. */
export class OptimizationConfigError extends AscentError {
  readonly metricName: string | undefined;
  constructor(message: string, options: AscentErrorOptions & { metricName?: string } = {}) {
    super(message, options);
    this.metricName = options.metricName;
  }
}

/** An experiment is misused (unknown trial, duplicate metric, changing an immutable part). */
export class ExperimentError extends AscentError {
  readonly trialIndex: number | undefined;
  constructor(message: string, options: AscentErrorOptions & { trialIndex?: number } = {}) {
    super(message, options);
    this.trialIndex = options.trialIndex;
  }
}

/** A trial was asked to move to a status its lifecycle does not allow. */
export class TrialStatusError extends AscentError {
  readonly trialIndex: number;
  readonly from: string;
  readonly to: string;
  constructor(
    message: string,
    options: AscentErrorOptions & { trialIndex: number; from: string; to: string },
  ) {
    super(message, options);
    this.trialIndex = options.trialIndex;
    this.from = options.from;
    this.to = options.to;
  }
}

/** Observed data is invalid (NaN or infinite mean, negative sem, unknown trial or arm). */
export class DataError extends AscentError {
  readonly trialIndex: number | undefined;
  readonly metricName: string | undefined;
  constructor(
    message: string,
    options: AscentErrorOptions & { trialIndex?: number; metricName?: string } = {},
  ) {
    super(message, options);
    this.trialIndex = options.trialIndex;
    this.metricName = options.metricName;
  }
}

/** A generation strategy or step is configured wrongly, or asked for something it cannot do. */
export class GenerationStrategyError extends AscentError {}

/**
 * The current generation step already has `maxParallelism` trials running. A normal wait, not a failure:
 * the Scheduler waits for running trials to complete and then generates again.
 */
export class MaxParallelismReachedError extends GenerationStrategyError {
  readonly stepIndex: number;
  readonly maxParallelism: number;
  readonly numRunning: number;
  constructor(
    message: string,
    options: AscentErrorOptions & { stepIndex: number; maxParallelism: number; numRunning: number },
  ) {
    super(message, options);
    this.stepIndex = options.stepIndex;
    this.maxParallelism = options.maxParallelism;
    this.numRunning = options.numRunning;
  }
}

/** The current step needs more observed trials (`minTrialsObserved`) before the strategy can move on. */
export class DataRequiredError extends GenerationStrategyError {
  readonly stepIndex: number;
  constructor(message: string, options: AscentErrorOptions & { stepIndex: number }) {
    super(message, options);
    this.stepIndex = options.stepIndex;
  }
}

/** The generator cannot produce any new arm: every point of a finite search space has been tried. */
export class SearchSpaceExhaustedError extends GenerationStrategyError {}

/** Every step of the generation strategy is finished; no more trials can be generated. */
export class GenerationStrategyCompletedError extends GenerationStrategyError {}

/** A numerical routine failed (e.g. a matrix that stays not positive definite after jitter). */
export class NumericalError extends AscentError {}

/** Fitting a surrogate model failed (e.g. a covariance matrix that stays singular). */
export class ModelFittingError extends AscentError {}

/** Scheduler misconfiguration or misuse (e.g. `runAllTrials` without `totalTrials`). */
export class SchedulerError extends AscentError {}

/** Too many trials failed: the Scheduler stopped launching trials and drained the running ones. */
export class FailureRateExceededError extends SchedulerError {
  readonly numFailed: number;
  readonly numRan: number;
  readonly toleratedFailureRate: number;
  /** Whether fetching data or running trials caused the failures. */
  readonly failureKind: "fetch" | "run" | "mixed";
  constructor(
    message: string,
    options: AscentErrorOptions & {
      numFailed: number;
      numRan: number;
      toleratedFailureRate: number;
      failureKind: "fetch" | "run" | "mixed";
    },
  ) {
    super(message, options);
    this.numFailed = options.numFailed;
    this.numRan = options.numRan;
    this.toleratedFailureRate = options.toleratedFailureRate;
    this.failureKind = options.failureKind;
  }
}

/** A read or write of stored experiment state failed. */
export class StorageError extends AscentError {
  readonly path: string | undefined;
  constructor(message: string, options: AscentErrorOptions & { path?: string } = {}) {
    super(message, options);
    this.path = options.path;
  }
}

/** Misuse of the ask/tell Client (no experiment yet, unknown trial, malformed raw data). */
export class ClientError extends AscentError {
  readonly trialIndex: number | undefined;
  constructor(message: string, options: AscentErrorOptions & { trialIndex?: number } = {}) {
    super(message, options);
    this.trialIndex = options.trialIndex;
  }
}

/** An error raised by user code (a runner's `run`, a metric's fetch, a poll), wrapped with context. */
export class UserCodeError extends AscentError {
  readonly trialIndex: number | undefined;
  readonly operation: string;
  constructor(message: string, options: AscentErrorOptions & { trialIndex?: number; operation: string }) {
    super(message, options);
    this.trialIndex = options.trialIndex;
    this.operation = options.operation;
  }
}

/** Another Scheduler holds the experiment's lease: only one Scheduler may drive an experiment at a time. */
export class ExperimentLockedError extends StorageError {
  readonly experimentName: string;
  /** Who holds the lease (host, process id and a random part). */
  readonly owner: string;
  /** When the lease expires unless renewed (ms since epoch). */
  readonly expiresAt: number;
  constructor(
    message: string,
    options: AscentErrorOptions & { experimentName: string; owner: string; expiresAt: number; path?: string },
  ) {
    super(message, options);
    this.experimentName = options.experimentName;
    this.owner = options.owner;
    this.expiresAt = options.expiresAt;
  }
}

// Scheduler data integrity.

/** A runner's `run` returned run metadata that is not JSON (a BigInt, a function, a cycle, a class instance, NaN). */
export class RunMetadataError extends SchedulerError {
  readonly trialIndex: number;
  /** Where in the run metadata the bad value is (`jobId`, `handle.pool`, `retries[2]`); empty for the whole value. */
  readonly path: string;
  constructor(message: string, options: AscentErrorOptions & { trialIndex: number; path: string }) {
    super(message, options);
    this.trialIndex = options.trialIndex;
    this.path = options.path;
  }
}

// Storage: creating experiments atomically, validating what is loaded, opening drivers lazily.

/** Creating an experiment whose name is already stored: creation is insert-if-absent, and another won. */
export class ExperimentExistsError extends StorageError {
  readonly experimentName: string;
  constructor(message: string, options: AscentErrorOptions & { experimentName: string; path?: string }) {
    super(message, options);
    this.experimentName = options.experimentName;
  }
}

/** A stored trial's arm does not belong to the stored search space: the stored experiment is inconsistent. */
export class StoredTrialOutsideSearchSpaceError extends StorageError {
  readonly experimentName: string;
  readonly trialIndex: number;
  readonly armName: string;
  constructor(
    message: string,
    options: AscentErrorOptions & {
      experimentName: string;
      trialIndex: number;
      armName: string;
      path?: string;
    },
  ) {
    super(message, options);
    this.experimentName = options.experimentName;
    this.trialIndex = options.trialIndex;
    this.armName = options.armName;
  }
}

/** The database driver a store needs (better-sqlite3 or pg) is not installed. */
export class StorageDriverMissingError extends StorageError {
  /** The npm package to install. */
  readonly packageName: string;
  constructor(message: string, options: AscentErrorOptions & { packageName: string }) {
    super(message, options);
    this.packageName = options.packageName;
  }
}

// --- Scheduler loop: bounded user calls, hooks and run arguments ---

/** A call into user code (runner, metric, poll, capacity, stop, hook) did not settle within its time limit. */
export class UserCallTimeoutError extends UserCodeError {
  /** The limit that passed, in seconds (`SchedulerOptions.userCallTimeoutSeconds`). */
  readonly timeoutSeconds: number;
  constructor(
    message: string,
    options: AscentErrorOptions & { operation: string; timeoutSeconds: number; trialIndex?: number },
  ) {
    super(message, options);
    this.timeoutSeconds = options.timeoutSeconds;
  }
}

/** A call into user code was still pending when its run was aborted (`stop()` or the run's AbortSignal). */
export class UserCallInterruptedError extends UserCodeError {}

/**
 * A Scheduler hook (`reportResults`, `completionCriterion`, `idleCallback`) threw in a way the run cannot
 * go on from; `hook` names it and `cause` holds what it threw.
 */
export class UserHookError extends UserCodeError {
  readonly hook: string;
  constructor(message: string, options: AscentErrorOptions & { hook: string }) {
    super(message, { ...options, operation: options.hook });
    this.hook = options.hook;
  }
}

/** An argument of a Scheduler run method (`runNTrials`, `runAllTrials`, ...) is unknown or invalid. */
export class SchedulerArgumentError extends SchedulerError {
  /** The offending argument's name. */
  readonly argument: string;
  constructor(message: string, options: AscentErrorOptions & { argument: string }) {
    super(message, options);
    this.argument = options.argument;
  }
}

/** A metric of the experiment has no `fetchTrialData` of its own, so the Scheduler could never read its data. */
export class MetricWithoutFetchError extends SchedulerError {
  readonly metricName: string;
  constructor(message: string, options: AscentErrorOptions & { metricName: string }) {
    super(message, options);
    this.metricName = options.metricName;
  }
}

// --- Names and parameter values ---

/**
 * A parameter or metric name that is a key of every JavaScript object (`__proto__`, `constructor`,
 * `toString`, ...): values are kept in plain records by name, where such a key would read the
 * prototype's member instead of the value.
 */
export class ReservedNameError extends AscentError {
  /** The refused name. */
  readonly reservedName: string;
  /** What was being named. */
  readonly kind: "parameter" | "metric";
  constructor(
    message: string,
    options: AscentErrorOptions & { reservedName: string; kind: "parameter" | "metric" },
  ) {
    super(message, options);
    this.reservedName = options.reservedName;
    this.kind = options.kind;
  }
}

/** A value given for a parameter that its type cannot hold exactly (e.g. 2.5 for an integer parameter). */
export class ParameterValueError extends SearchSpaceError {
  /** The value as given. */
  readonly value: unknown;
  constructor(message: string, options: AscentErrorOptions & { parameter: string; value: unknown }) {
    super(message, options);
    this.value = options.value;
  }
}

// Scheduler: changes a run could not save.

/**
 * A run ended with changes that could not be written to the store even after retrying (e.g. the
 * database stayed down): they are still in memory, listed here, and saved by the next run or flush.
 */
export class UnsavedChangesError extends StorageError {
  readonly experimentName: string;
  /** Indices of trials whose latest state is not stored. */
  readonly trialIndices: readonly number[];
  /** Number of observations (data rows) not stored. */
  readonly numDataRows: number;
  /** Whether the generation strategy's latest state is not stored. */
  readonly generationState: boolean;
  constructor(
    message: string,
    options: AscentErrorOptions & {
      experimentName: string;
      trialIndices: readonly number[];
      numDataRows: number;
      generationState: boolean;
    },
  ) {
    super(message, options);
    this.experimentName = options.experimentName;
    this.trialIndices = options.trialIndices;
    this.numDataRows = options.numDataRows;
    this.generationState = options.generationState;
  }
}

// Storage: classes the store cannot encode or rebuild.

/**
 * A Metric or Runner class is not registered, so experiments using it can be neither stored nor loaded.
 * Not transient: retrying cannot help until `registerMetric`/`registerRunner` is called.
 */
export class UnregisteredClassError extends StorageError {
  readonly kind: "Metric" | "Runner";
  readonly className: string;
  constructor(
    message: string,
    options: AscentErrorOptions & { path?: string; kind: "Metric" | "Runner"; className: string },
  ) {
    super(message, options);
    this.kind = options.kind;
    this.className = options.className;
  }
}

/**
 * A trial's result (what a built-in runner reported and stored with the trial) has no usable value for a
 * metric: the key is missing, the value is not a finite number, or the result is not an object. A
 * {@link ResultMetric} throws it from `fetchTrialData`, so the Scheduler treats it as a failed fetch (an
 * objective or constraint: the trial is ABANDONED and counted toward the failure rate).
 */
export class TrialResultError extends AscentError {
  readonly trialIndex: number;
  readonly metricName: string | undefined;
  constructor(message: string, options: AscentErrorOptions & { trialIndex: number; metricName?: string }) {
    super(message, options);
    this.trialIndex = options.trialIndex;
    this.metricName = options.metricName;
  }
}

/**
 * A progress report (an evaluation's `report(...)`) is malformed: no progression, a progression or metric
 * value that is not a finite number, no values. Thrown to the code that reported, so it can be fixed.
 */
export class ProgressReportError extends AscentError {
  /** The trial that reported, when known. */
  readonly trialIndex: number | undefined;
  constructor(message: string, options: AscentErrorOptions & { trialIndex?: number } = {}) {
    super(message, options);
    this.trialIndex = options.trialIndex;
  }
}

// Command runner: the command template, trial directories and the runner's options.

/**
 * A CommandRunner's command template is malformed (an unclosed `{`, a lone `}`), names a placeholder the
 * trial's parameters do not have, or a value cannot be one argv element (it holds a NUL character).
 */
export class CommandTemplateError extends AscentError {
  /** The placeholder (parameter name) at fault, when one is. */
  readonly placeholder: string | undefined;
  /** Index of the argv element at fault, when one is. */
  readonly argIndex: number | undefined;
  constructor(
    message: string,
    options: AscentErrorOptions & { placeholder?: string; argIndex?: number } = {},
  ) {
    super(message, options);
    this.placeholder = options.placeholder;
    this.argIndex = options.argIndex;
  }
}

/**
 * A CommandRunner (or one command trial) is misconfigured or cannot start: an empty command, a timeout
 * that is not a positive number, an env value that is not a string, a trial directory that would leave
 * its work directory, a stored runner whose env values are missing, a batch trial.
 */
export class CommandRunnerError extends AscentError {
  readonly trialIndex: number | undefined;
  /** The path at fault (trial or work directory), when one is. */
  readonly path: string | undefined;
  constructor(message: string, options: AscentErrorOptions & { trialIndex?: number; path?: string } = {}) {
    super(message, options);
    this.trialIndex = options.trialIndex;
    this.path = options.path;
  }
}

// --- FunctionRunner and optimize() ---

/**
 * A `FunctionRunner` cannot do what it was asked: it holds no evaluate function (it was rebuilt from
 * storage, where a function cannot be kept; fix: pass the runner again when resuming,
 * `Scheduler.fromStoredExperiment({ ..., runner: new FunctionRunner(evaluate) })`), it was built from
 * something that is not a function, or it was given a trial with several arms. A `SchedulerError`, so the
 * Scheduler does not retry the call and a run without a function ends at once instead of failing trial
 * after trial.
 */
export class FunctionRunnerError extends SchedulerError {
  /** The trial concerned, when there is one. */
  readonly trialIndex: number | undefined;
  constructor(message: string, options: AscentErrorOptions & { trialIndex?: number } = {}) {
    super(message, options);
    this.trialIndex = options.trialIndex;
  }
}

/** `optimize()` was given arguments it cannot run with; `argument` names the one to fix. */
export class OptimizeArgumentError extends AscentError {
  /** The offending argument's name, e.g. `totalTrials`. */
  readonly argument: string;
  constructor(message: string, options: AscentErrorOptions & { argument: string }) {
    super(message, options);
    this.argument = options.argument;
  }
}

// Queue runner: the BullMQ runner, its connection and its workers.

/**
 * A QueueRunner or QueueWorker is misconfigured or misused: a Redis URL that is not `redis://` or
 * `rediss://`, an option out of range, a batch trial (one job evaluates one arm), or a queue that already
 * holds a job of the same id for other parameters (an earlier experiment of the same name).
 */
export class QueueRunnerError extends AscentError {
  /** The queue concerned, when one is. */
  readonly queueName: string | undefined;
  readonly trialIndex: number | undefined;
  constructor(
    message: string,
    options: AscentErrorOptions & { queueName?: string; trialIndex?: number } = {},
  ) {
    super(message, options);
    this.queueName = options.queueName;
    this.trialIndex = options.trialIndex;
  }
}

/** A command named an experiment that the store does not hold. */
export class ExperimentNotFoundError extends AscentError {
  readonly experimentName: string;
  /** Where the store is (credentials masked). */
  readonly path: string;
  /** Stored names that look like the one asked for, closest first (possibly empty). */
  readonly similarNames: readonly string[];
  constructor(
    message: string,
    options: AscentErrorOptions & { experimentName: string; path: string; similarNames: readonly string[] },
  ) {
    super(message, options);
    this.experimentName = options.experimentName;
    this.path = options.path;
    this.similarNames = options.similarNames;
  }
}

// Experiment config files (the `ascent` command).

/** One problem found in an experiment config file: where it is and what is wrong with it. */
export interface ConfigProblem {
  /** Where in the file, as written in messages: `parameters[2].bounds`, `scheduler.totalTrials`; "" for the whole file. */
  readonly path: string;
  /** What is wrong and, where it can be said, how to fix it. */
  readonly message: string;
  /** 1-based line in the file, when known. */
  readonly line?: number;
  /** 1-based column in the file, when known. */
  readonly column?: number;
}

/**
 * An experiment config file cannot be used: it does not parse, or some of its values are invalid. Every
 * problem found is listed (not only the first), each with its path in the file, in `problems` and in the
 * message, one per line: `parameters[2].bounds: lower (5) must be below upper (1)`.
 */
export class ConfigError extends AscentError {
  /** The config file, when the config came from one. */
  readonly path: string | undefined;
  /** Every problem found, in file order. */
  readonly problems: readonly ConfigProblem[];
  constructor(
    message: string,
    options: AscentErrorOptions & { path?: string; problems: readonly ConfigProblem[] },
  ) {
    super(message, options);
    this.path = options.path;
    this.problems = options.problems;
  }
}

// Reports.

/**
 * A report could not be written: its directory does not exist or is not a directory (`reason`
 * "missing-directory"), or the write itself failed ("write-failed", the file system's error as `cause`).
 * Nothing is left at `path` in either case.
 */
export class ReportWriteError extends AscentError {
  /** The file the report was to be written to. */
  readonly path: string;
  readonly reason: "missing-directory" | "write-failed";
  constructor(
    message: string,
    options: AscentErrorOptions & { path: string; reason: "missing-directory" | "write-failed" },
  ) {
    super(message, options);
    this.path = options.path;
    this.reason = options.reason;
  }
}

/** `ascent dashboard` was asked for something unsafe or impossible (e.g. a public address without a token). */
export class DashboardOptionsError extends AscentError {
  /** The option at fault, as written on the command line (`--host`, `--port`, `--token`). */
  readonly option: string;
  constructor(message: string, options: AscentErrorOptions & { option: string }) {
    super(message, options);
    this.option = options.option;
  }
}

// Early stopping.

/**
 * An early-stopping strategy was given invalid options (a percentile outside (0, 100), minCurves below 1,
 * an unknown `type` in a config), or cannot work on the experiment it was asked about (a metric it does
 * not know the direction of, a trial with several arms). `path` names the offending option within the
 * strategy's config, e.g. `strategies[1].percentileThreshold`.
 */
export class EarlyStoppingConfigError extends AscentError {
  /** Where in the strategy config the problem is (`percentileThreshold`, `strategies[0].type`), or "". */
  readonly path: string;
  constructor(message: string, options: AscentErrorOptions & { path?: string } = {}) {
    super(message, options);
    this.path = options.path ?? "";
  }
}

// Global stopping.

/**
 * A global stopping strategy was built with an invalid option (e.g. `windowSize: 1`, a negative
 * `improvementBar`), or asked about an experiment it cannot judge (no optimization config). `option` names
 * the option at fault, or "experiment".
 */
export class GlobalStoppingStrategyError extends AscentError {
  /** The option at fault, e.g. `windowSize`. */
  readonly option: string;
  constructor(message: string, options: AscentErrorOptions & { option: string }) {
    super(message, options);
    this.option = options.option;
  }
}
