import type { Experiment } from "../../core/experiment.js";
import type { Runner } from "../../core/runner.js";
import type { GenerationStrategy } from "../../generation/index.js";
import type { SchedulerOptions } from "../../scheduler/scheduler-options.js";
import type { CreateExperimentOptions } from "../../service/client-types.js";
import { experimentFromOptions } from "../../service/experiment-from-options.js";
import { DBSettings } from "../../storage/db-settings.js";
import type { Clock } from "../../util/clock.js";
import type { Logger } from "../../util/logger.js";
import type { ExperimentConfigInput } from "./config-schema.js";
import { createRunner, type ResolvedRunnerConfig } from "./config-to-runner.js";
import { createGenerationStrategy, type StrategyConfig } from "./config-to-scheduler.js";

/** The checked parts an {@link ExperimentConfig} is made of (see `parseExperimentConfig`). */
export interface ExperimentConfigParts {
  readonly file: string | undefined;
  readonly baseDir: string;
  readonly input: ExperimentConfigInput;
  readonly experimentOptions: CreateExperimentOptions;
  readonly runner: ResolvedRunnerConfig;
  readonly schedulerOptions: SchedulerOptions;
  readonly generationStrategy: StrategyConfig;
  readonly storageUrl: string;
}

/**
 * An experiment config file, checked and resolved: everything `ascent run` needs to build the
 * experiment, its runner, the Scheduler's options, the generation strategy and the store. Every value
 * has passed the library's own checks, paths are absolute (relative ones start at the file's folder) and
 * `${VAR}`s are expanded. Building is separate from checking: nothing is opened, imported or written
 * until a `create...` method is called.
 * @example
 * const config = await loadExperimentConfig("experiment.yaml");
 * const experiment = config.createExperiment({ runner: await config.createRunner() });
 * const scheduler = new Scheduler({
 *   experiment,
 *   generationStrategy: config.createGenerationStrategy(experiment),
 *   options: config.schedulerOptions,
 *   dbSettings: config.createDbSettings(),
 * });
 */
export class ExperimentConfig {
  /** Absolute path of the file, when the config came from one. */
  readonly file: string | undefined;
  /** Folder relative paths start at: the file's folder. */
  readonly baseDir: string;
  /** The file's data as written, after `${VAR}` expansion. */
  readonly input: ExperimentConfigInput;
  /** What `Client.createExperiment` would take for this experiment. */
  readonly experimentOptions: CreateExperimentOptions;
  /** The runner section, with absolute paths (a command's `cwd` defaults to {@link baseDir}). */
  readonly runner: ResolvedRunnerConfig;
  /**
   * The `scheduler:` section as SchedulerOptions (`maxParallelism` became `maxPendingTrials`), with the
   * `globalStopping:` section's strategy as `globalStoppingStrategy`.
   */
  readonly schedulerOptions: SchedulerOptions;
  /** How trials are generated: the default strategy or explicit steps, with the seed. */
  readonly generationStrategy: StrategyConfig;
  /** Where the experiment is stored; a relative SQLite path made absolute against {@link baseDir}. */
  readonly storageUrl: string;

  constructor(parts: ExperimentConfigParts) {
    this.file = parts.file;
    this.baseDir = parts.baseDir;
    this.input = parts.input;
    this.experimentOptions = parts.experimentOptions;
    this.runner = parts.runner;
    this.schedulerOptions = parts.schedulerOptions;
    this.generationStrategy = parts.generationStrategy;
    this.storageUrl = parts.storageUrl;
    Object.freeze(this);
  }

  /** The experiment's name. */
  get name(): string {
    return this.experimentOptions.name;
  }

  /** The seed of the generation strategy, when the file sets one. */
  get seed(): number | undefined {
    return this.generationStrategy.seed;
  }

  /**
   * A new experiment as the file describes it (not saved), with `runner` attached when given.
   * @example config.createExperiment({ runner: await config.createRunner() })
   */
  createExperiment(options: { runner?: Runner; clock?: Clock } = {}): Experiment {
    const experiment = experimentFromOptions(this.experimentOptions, options.clock);
    if (options.runner) experiment.runner = options.runner;
    return experiment;
  }

  /**
   * The runner the file describes. A function runner's module is imported now.
   * @throws ConfigError at `runner.module` or `runner.export` when the module cannot be imported or has
   * no such function.
   */
  createRunner(): Promise<Runner> {
    return createRunner(this.runner);
  }

  /**
   * A fresh generation strategy for `experiment` (one per run: it holds generation state). The default
   * strategy is told `totalTrials` and `scheduler.maxParallelism`.
   */
  createGenerationStrategy(experiment: Experiment, options: { logger?: Logger } = {}): GenerationStrategy {
    return createGenerationStrategy(this.generationStrategy, experiment, {
      totalTrials: this.schedulerOptions.totalTrials,
      ...options,
    });
  }

  /**
   * Database settings of the store (opened on first use, not now).
   * @param url another storage URL (e.g. a `--storage` option, resolved with `resolveStorageUrl`).
   * @throws StorageError for a URL of an unknown form (the file's own URL was checked already).
   */
  createDbSettings(url: string = this.storageUrl): DBSettings {
    return new DBSettings(url);
  }
}
