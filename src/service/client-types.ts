import type { ExperimentStore, StoreProvider } from "../core/experiment-store.js";
import type { Parameterization } from "../core/parameter-type.js";
import type { ChooseGenerationStrategyOptions, GenerationStrategy } from "../generation/index.js";
import type { BestPointRule } from "../reporting/best-point-rule.js";
import type { MetricPrediction } from "../reporting/model-best-point.js";
import type { GlobalStoppingStrategy } from "../scheduler/index.js";
import type { EarlyStoppingStrategy } from "../scheduler/scheduler-options.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import type { ParameterSpec } from "./experiment-spec.js";
import type { OptimizationSpec } from "./optimization-spec.js";

/** Constructor options of the {@link Client}. */
export interface ClientOptions {
  /**
   * Seed of the generation strategy the Client chooses, so the same seed proposes the same trials.
   * Ignored when `generationStrategy` is given (seed that strategy instead).
   */
  seed?: number;
  /** Where the experiment, trials, data and strategy state are saved; a new `MemoryStore` by default. */
  store?: ExperimentStore;
  /**
   * Database settings (`new DBSettings({ url: "sqlite:./ascent.db" })`): the store is opened on first
   * use. Several Clients (processes) may share one experiment on PostgreSQL. Give `store` or `dbSettings`.
   */
  dbSettings?: StoreProvider;
  /**
   * The strategy proposing trials; by default `chooseGenerationStrategy` picks one for the search space
   * when the experiment is created.
   */
  generationStrategy?: GenerationStrategy;
  /**
   * Decides which running trials to stop early from their progress (see `attachProgress`), asked by
   * `shouldStopTrialEarly`, e.g. `new PercentileEarlyStoppingStrategy()`. Checked as `SchedulerOptions`
   * checks it. Default none.
   */
  earlyStoppingStrategy?: EarlyStoppingStrategy | null;
  /** Receives the Client's log lines; by default a console logger named "ascent.Client". */
  logger?: Logger;
  /** Time source for trial timestamps; the system clock by default. */
  clock?: Clock;
  /**
   * Whether the default logger writes INFO lines (one per trial generated or completed), as Ax's
   * `verbose_logging`; default true. Only WARNING and above otherwise. Ignored when `logger` is given.
   */
  verboseLogging?: boolean;
  /**
   * Decides whether the whole optimization should end (e.g. `ImprovementGlobalStoppingStrategy`); ask it
   * with {@link Client.shouldStopOptimization}. Not stored: give it again to `Client.load`.
   */
  globalStoppingStrategy?: GlobalStoppingStrategy;
}

/**
 * What {@link Client.createExperiment} takes (Ax's `create_experiment`), in plain objects and strings.
 * @example
 * {
 *   name: "tune_service",
 *   parameters: [
 *     { name: "threads", type: "range", bounds: [1, 64], valueType: "int", logScale: true },
 *     { name: "codec", type: "choice", values: ["gzip", "zstd"], isOrdered: false },
 *   ],
 *   objectives: { latencyMs: { minimize: true } },
 *   outcomeConstraints: ["memoryMb <= 2048"],
 * }
 */
export interface CreateExperimentOptions extends OptimizationSpec {
  /** Unique name of the experiment in the store. */
  name: string;
  /** The search space, one plain object per parameter. */
  parameters: readonly ParameterSpec[];
  /** Linear constraints between range parameters, e.g. `["x1 + x2 <= 10", "x1 <= x2"]`. */
  parameterConstraints?: readonly string[];
  description?: string;
  /** Marks the experiment as a test (kept apart in reports and stores). */
  isTest?: boolean;
  /**
   * The current setting (Ax's `status_quo`), e.g. production's parameters: the baseline of relative
   * outcome constraints such as `"latency <= 5%"`. Every parameter needs a value of its type (cast as
   * in `attachTrial`); values may lie outside the searched ranges. Its arm is named "status_quo";
   * evaluate it by attaching a trial with these parameters.
   */
  statusQuo?: Readonly<Record<string, unknown>>;
  /** Most trials the default strategy lets run at once (passed to `chooseGenerationStrategy`). */
  maxParallelismCap?: number;
  /**
   * Further options of the default strategy (Ax's `choose_generation_strategy_kwargs`), e.g.
   * `{ numInitializationTrials: 10 }` or `{ forceRandomSearch: true }`; they win over `maxParallelismCap`
   * and the Client's `seed`. Ignored when the Client was given a `generationStrategy`.
   */
  chooseGenerationStrategyOptions?: Omit<
    ChooseGenerationStrategyOptions,
    "searchSpace" | "optimizationConfig" | "hasStatusQuo" | "logger"
  >;
  /**
   * Replace an experiment of the same name in the store, or this Client's current experiment, instead
   * of refusing. The replaced experiment's stored trials and data are deleted.
   */
  overwriteExisting?: boolean;
}

/** A trial handed out by the Client: where to evaluate, and the index to report results under. */
export interface TrialHandle {
  trialIndex: number;
  /** The arm's parameter values, frozen. */
  parameters: Parameterization;
}

/** The best parameters, as {@link Client.getBestParameters} returns them. */
export interface BestParameters {
  trialIndex: number;
  parameters: Parameterization;
  /** Observed means of every metric reported for the best arm. */
  values: Record<string, number>;
  /** Which rule chose the arm: "model" (the model's pick) or "observed" (the best observation). */
  rule: BestPointRule;
  /**
   * Why, in one short sentence, e.g. "gap 0.4 between the model's pick (trial 12) and the best
   * observation (trial 9) exceeds 2 × inferred noise sd 0.003: the best observation".
   */
  reason: string;
  /**
   * The model's predicted mean and sem of the objective and of each judged constraint's metric at the
   * arm, whenever a model judged the arms (whichever rule chose); absent before the model can judge.
   */
  predictions?: Record<string, MetricPrediction>;
}

/** Arguments of `Client.load`. */
export interface LoadClientOptions extends Omit<ClientOptions, "seed" | "generationStrategy"> {
  /** Name of the stored experiment to resume. */
  experimentName: string;
}
