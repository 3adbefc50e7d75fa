import { Arm } from "../core/arm.js";
import type { BaseTrial } from "../core/base-trial.js";
import { Data } from "../core/data.js";
import type { Experiment } from "../core/experiment.js";
import type { ExperimentStore } from "../core/experiment-store.js";
import { GeneratorRun } from "../core/generator-run.js";
import { describeValue as describe } from "../core/json.js";
import { TrialStatus } from "../core/trial-status.js";
import {
  ClientError,
  DataRequiredError,
  ExperimentExistsError,
  GenerationStrategyCompletedError,
  MaxParallelismReachedError,
  SearchSpaceExhaustedError,
} from "../errors.js";
import { chooseGenerationStrategy, GenerationStrategy, Generators } from "../generation/index.js";
import { bestPoint } from "../reporting/best-point.js";
import { experimentToTable, type TableRow } from "../reporting/experiment-to-table.js";
import { modelBestPoint } from "../reporting/model-best-point.js";
import { type ParetoFrontierPoint, paretoFrontier } from "../reporting/pareto-frontier.js";
import { type Clock, systemClock } from "../util/clock.js";
import { Logger, LogLevel } from "../util/logger.js";
import { ClientStore } from "./client-store.js";
import type {
  BestParameters,
  ClientOptions,
  CreateExperimentOptions,
  LoadClientOptions,
  TrialHandle,
} from "./client-types.js";
import { experimentFromOptions } from "./experiment-from-options.js";
import { normalizeRawData, type RawData } from "./raw-data.js";

/**
 * The ask/tell interface (Ax's `AxClient`): create an experiment from plain objects, ask for trials,
 * evaluate them anywhere, and tell the results. Every change is saved to the store as it happens.
 *
 * Calls are serialized: concurrent calls (e.g. `Promise.all` of two `getNextTrial`) run one after the
 * other, so each generation sees the trials created before it.
 * @example
 * const client = new Client({ seed: 0 });
 * await client.createExperiment({
 *   name: "branin",
 *   parameters: [
 *     { name: "x1", type: "range", bounds: [-5, 10] },
 *     { name: "x2", type: "range", bounds: [0, 15] },
 *   ],
 *   objectives: { branin: { minimize: true } },
 * });
 * for (let i = 0; i < 20; i++) {
 *   const { trialIndex, parameters } = await client.getNextTrial();
 *   await client.completeTrial(trialIndex, branin(Number(parameters.x1), Number(parameters.x2)));
 * }
 * const best = await client.getBestParameters();
 */
export class Client {
  private readonly stores: ClientStore;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly seed: number | undefined;
  private readonly givenStrategy: GenerationStrategy | undefined;
  // The only state tied to an experiment: set by createExperiment, or by Client.load from the store.
  private current: { experiment: Experiment; generationStrategy: GenerationStrategy } | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  /** A Client with no experiment yet; call {@link Client.createExperiment} next. */
  constructor(options: ClientOptions = {}) {
    this.stores = new ClientStore(options.store, options.dbSettings);
    this.clock = options.clock ?? systemClock;
    this.seed = options.seed;
    this.givenStrategy = options.generationStrategy;
    this.logger =
      options.logger ??
      new Logger({
        name: "ascent.Client",
        level: options.verboseLogging === false ? LogLevel.WARNING : LogLevel.INFO,
        now: () => this.clock.now(),
      });
    if (options.seed !== undefined && options.generationStrategy) {
      this.logger.warn(
        "Both seed and generationStrategy were given; the seed is ignored (seed the strategy).",
      );
    }
  }

  /**
   * Resumes a stored experiment in a new Client (ask/tell after a restart, or another process sharing
   * the experiment): loads the experiment and its generation strategy state.
   * @throws ClientError when the store has no experiment of that name; StorageError when it cannot be
   * read (e.g. an unregistered Metric class).
   * @example const client = await Client.load({ experimentName: "branin", dbSettings });
   */
  static async load(options: LoadClientOptions): Promise<Client> {
    const { experimentName, ...rest } = options;
    const client = new Client(rest);
    await client.serialize(async () => {
      const store = await client.stores.open();
      const experiment = await store.loadExperiment(experimentName);
      if (!experiment) {
        const names = await store.listExperiments();
        throw new ClientError(
          `No experiment named "${experimentName}" in ${client.stores.description}` +
            (names.length ? ` (it has: ${names.slice(0, 10).join(", ")}).` : " (it is empty)."),
        );
      }
      const state = await store.loadGenerationState(experimentName);
      if (state === null) {
        throw new ClientError(`Experiment "${experimentName}" has no stored generation strategy to resume.`);
      }
      client.current = { experiment, generationStrategy: GenerationStrategy.fromState(state) };
      client.stores.noteState(state);
      client.logger.info(`Loaded experiment "${experimentName}" with ${experiment.numTrials} trials.`);
    });
    return client;
  }

  /** The store, once opened (immediately when one was given; on first use with `dbSettings`); else null. */
  get store(): ExperimentStore | null {
    return this.stores.current;
  }

  /** The experiment. @throws ClientError before `createExperiment`. */
  get experiment(): Experiment {
    return this.require().experiment;
  }

  /**
   * The generation strategy: the one given to the constructor, or the one chosen by `createExperiment`.
   * @throws ClientError when neither exists yet.
   */
  get generationStrategy(): GenerationStrategy {
    const gs = this.current?.generationStrategy ?? this.givenStrategy;
    if (!gs) throw noExperiment("generationStrategy");
    return gs;
  }

  /**
   * Creates the experiment, chooses a generation strategy (unless one was given), and saves both.
   * @throws SearchSpaceError (or ParameterConstraintError) for a bad parameter spec or constraint, naming
   * the parameter; OptimizationConfigError for bad objectives or outcome constraints; ClientError when
   * the Client already has an experiment and `overwriteExisting` is not set; ExperimentExistsError when
   * the store has one of that name (stored by anyone, even a moment ago) and `overwriteExisting` is not set.
   */
  createExperiment(options: CreateExperimentOptions): Promise<Experiment> {
    return this.serialize(async () => {
      const experiment = experimentFromOptions(options, this.clock);
      await this.checkOverwrite(options.overwriteExisting === true);
      const generationStrategy = this.strategyFor(experiment, options);
      const store = await this.stores.open();
      const state = generationStrategy.toState();
      // Insert-if-absent of the experiment and its strategy in one transaction: of Clients racing to
      // create one name, exactly one wins, and the losers change nothing.
      await store
        .withTransaction(async () => {
          if (options.overwriteExisting) await store.deleteExperiment(experiment.name);
          await store.createExperiment(experiment, state);
        })
        .catch((error: unknown) => {
          throw error instanceof ExperimentExistsError ? storedNameTaken(experiment.name, error) : error;
        });
      this.current = { experiment, generationStrategy };
      this.stores.noteState(state);
      this.logger.info(
        `Created experiment "${experiment.name}": ${experiment.optimizationConfig?.toString()}; ` +
          `generation strategy ${generationStrategy.currentGeneratorName} first.`,
      );
      return experiment;
    });
  }

  /**
   * Generates one arm, adds it as a new trial marked RUNNING (as AxClient does: the caller evaluates it
   * now), and saves the trial and the strategy state.
   * @throws ClientError before `createExperiment`; MaxParallelismReachedError or DataRequiredError when
   * the strategy must wait for running trials to complete; SearchSpaceExhaustedError or
   * GenerationStrategyCompletedError when nothing more can be generated.
   */
  getNextTrial(): Promise<TrialHandle> {
    return this.mutate(() => this.nextTrial());
  }

  /**
   * Generates up to `maxTrials` trials, one at a time (each later one sees the earlier ones as pending),
   * and returns them in order: an array rather than Ax's `(dict, isComplete)` pair. It stops early and
   * returns what it has when the strategy must wait (max parallelism reached, more data required) or
   * can generate nothing more (search space exhausted, strategy completed); the reason is logged, and
   * `getNextTrial` throws it as a typed error. Other errors are thrown; trials generated before them stay
   * RUNNING (see `getTrialsTable`).
   * @throws ClientError before `createExperiment` or for a `maxTrials` that is not a positive integer.
   */
  getNextTrials(maxTrials: number): Promise<TrialHandle[]> {
    return this.mutate(async () => {
      if (!Number.isInteger(maxTrials) || maxTrials < 1) {
        throw new ClientError(
          `getNextTrials needs a positive integer maxTrials, got ${describe(maxTrials)}.`,
        );
      }
      const out: TrialHandle[] = [];
      while (out.length < maxTrials) {
        try {
          out.push(await this.nextTrial());
        } catch (error) {
          if (!isWaitOrDone(error)) throw error;
          this.logger.info(`Generated ${out.length} of ${maxTrials} trials: ${error.message}`);
          break;
        }
      }
      return out;
    });
  }

  /**
   * Reports a RUNNING trial's results and marks it COMPLETED; saves the data and the trial.
   * Everything is checked first: on any error, no data is attached and the status is unchanged.
   * @param rawData a number or `[mean, sem]` for the single objective, or `{ metric: number | [mean, sem] }`
   * (`sem: null` for unknown noise). Every objective must be reported; constraint and tracking metrics
   * may be.
   * @throws ClientError for an unknown trial or a trial that is not RUNNING (e.g. already completed);
   * DataError naming the trial and metric for an unknown metric, a missing objective, or a NaN, infinite
   * or malformed value.
   * @example await client.completeTrial(3, { branin: 1.5, cost: [3.2, 0.1] });
   */
  completeTrial(trialIndex: number, rawData: RawData): Promise<void> {
    return this.mutate(async ({ experiment, store }) => {
      const trial = this.findTrial(trialIndex, "complete");
      if (trial.status !== TrialStatus.RUNNING) {
        throw new ClientError(
          trial.status === TrialStatus.COMPLETED
            ? `Trial ${trialIndex} is already COMPLETED; its results cannot be reported again.`
            : `Trial ${trialIndex} is ${trial.status}; only RUNNING trials can be completed.`,
          { trialIndex },
        );
      }
      const arm = trial.arms.length === 1 ? trial.arms[0] : undefined;
      if (!arm?.name) {
        throw new ClientError(
          `Trial ${trialIndex} has ${trial.arms.length} arms; completeTrial reports one-arm trials only.`,
          { trialIndex },
        );
      }
      const config = experiment.requireOptimizationConfig();
      const rows = normalizeRawData(rawData, {
        trialIndex,
        armName: arm.name,
        objectiveNames: config.objectives.map((o) => o.metric.name),
        metricNames: new Set(experiment.metrics.map((m) => m.name)),
      });
      const data = Data.fromRows(rows);
      experiment.attachData(data);
      trial.markCompleted();
      await store.withTransaction(async () => {
        await store.saveData(experiment, data);
        await store.saveTrials(experiment, [trial]);
      });
      this.logger.info(`Completed trial ${trialIndex} with data: ${formatRows(rows)}.`);
    });
  }

  /**
   * Marks a trial FAILED (its evaluation crashed or produced no usable result) and saves it.
   * @throws ClientError for an unknown trial or one that already ended.
   */
  logTrialFailure(trialIndex: number, reason?: string): Promise<void> {
    return this.endTrial(trialIndex, TrialStatus.FAILED, reason);
  }

  /**
   * Marks a trial ABANDONED (it will not be evaluated, or its result must be ignored) and saves it.
   * @throws ClientError for an unknown trial or one that already ended.
   */
  abandonTrial(trialIndex: number, reason?: string): Promise<void> {
    return this.endTrial(trialIndex, TrialStatus.ABANDONED, reason);
  }

  /**
   * Adds a trial at parameters the user chose (e.g. the current production settings), marked RUNNING
   * with generator "Manual", and saves it. Values are cast to each parameter's type (`"3"` or `3.0` for
   * an int) and fixed parameters may be left out.
   * @returns the new trial with the cast parameters.
   * @throws SearchSpaceError when a parameter is unknown, missing, of the wrong type or out of its domain,
   * or a parameter constraint is violated; ClientError before `createExperiment`.
   * @example await client.attachTrial({ x1: 0, x2: 5, kind: "a", n: 8 });
   */
  attachTrial(parameters: Readonly<Record<string, unknown>>): Promise<TrialHandle> {
    return this.mutate(async ({ experiment, store }) => {
      if (parameters === null || typeof parameters !== "object") {
        throw new ClientError(
          `attachTrial needs an object of parameter values, got ${describe(parameters)}.`,
        );
      }
      const cast = experiment.searchSpace.castParameterization(parameters);
      const run = new GeneratorRun({
        arms: [new Arm({ parameters: cast })],
        generatorName: "Manual",
        timeCreated: this.clock.now(),
      });
      const trial = experiment.newTrial({ generatorRun: run }).markRunning();
      await store.saveTrials(experiment, [trial]);
      this.logger.info(`Attached custom parameterization ${JSON.stringify(cast)} as trial ${trial.index}.`);
      return { trialIndex: trial.index, parameters: trial.arm.parameters };
    });
  }

  /**
   * The best parameters so far among the arms of COMPLETED trials (Ax's `get_best_parameterization`).
   *
   * With `useModelPredictions` (the default, as in Ax) and a strategy whose current step is the BoTorch
   * generator, the arm is chosen by a GP's predictions (see `modelBestPoint`): the best predicted
   * objective mean among arms whose predicted constraint means satisfy their bounds, so that a lucky
   * noisy draw does not win; `predictions` then holds the model's mean and sem of each metric. Otherwise,
   * or when the model cannot judge (fewer than 2 observations of a metric), the best raw observation
   * that satisfies every absolute outcome constraint (see `bestPoint`), without `predictions`.
   * `values` are always the arm's observed means. Null when there is no such arm yet.
   * @throws ClientError before `createExperiment`; OptimizationConfigError for a multi-objective
   * experiment (whose answer is a Pareto frontier).
   * @example
   * const best = await client.getBestParameters();
   * console.log(best?.parameters, best?.predictions?.loss ?? best?.values.loss);
   */
  getBestParameters(options: { useModelPredictions?: boolean } = {}): Promise<BestParameters | null> {
    return this.serialize(async () => {
      const { experiment, generationStrategy } = this.require();
      const modelBased = generationStrategy.currentGeneratorName === Generators.BOTORCH.name;
      if ((options.useModelPredictions ?? true) && modelBased) {
        const predicted = modelBestPoint(experiment);
        if (predicted !== null) {
          const { trialIndex, parameters, values, predictions } = predicted;
          return { trialIndex, parameters, values, predictions };
        }
        // Either nothing is predicted feasible or the model cannot judge yet: the observations decide.
      }
      const best = bestPoint(experiment);
      return best && { trialIndex: best.trialIndex, parameters: best.parameters, values: best.values };
    });
  }

  /**
   * The observed Pareto-optimal parameters of a multi-objective experiment (Ax's
   * `get_pareto_optimal_parameters`), by trial index, in the order of `paretoFrontier` (best first in
   * the first objective): each with its parameters and observed objective means. Raw observations of
   * COMPLETED trials that satisfy the outcome constraints and objective thresholds, not model
   * predictions. Empty when no such observation exists yet.
   * @throws ClientError before `createExperiment`; OptimizationConfigError for a single-objective
   * experiment (use `getBestParameters`).
   * @example
   * for (const [trialIndex, { parameters, values }] of await client.getParetoOptimalParameters()) {
   *   console.log(trialIndex, parameters, values);
   * }
   */
  getParetoOptimalParameters(): Promise<Map<number, Pick<ParetoFrontierPoint, "parameters" | "values">>> {
    return this.serialize(async () => {
      const out = new Map<number, Pick<ParetoFrontierPoint, "parameters" | "values">>();
      for (const p of paretoFrontier(this.require().experiment).points) {
        // Client trials have one arm; for a batch trial, its first optimal arm stands for it.
        if (!out.has(p.trialIndex)) out.set(p.trialIndex, { parameters: p.parameters, values: p.values });
      }
      return out;
    });
  }

  /**
   * One row per trial arm, with metric means, parameters, status and generator (see `experimentToTable`).
   * @throws ClientError before `createExperiment`.
   * @example console.table(client.getTrialsTable());
   */
  getTrialsTable(): TableRow[] {
    return experimentToTable(this.require().experiment);
  }

  /** A trial by index. @throws ClientError before `createExperiment` or for an unknown index. */
  getTrial(trialIndex: number): BaseTrial {
    return this.findTrial(trialIndex, "get");
  }

  /** Generates and saves one trial; call it inside {@link mutate}. */
  private async nextTrial(): Promise<TrialHandle> {
    const { experiment, generationStrategy } = this.require();
    const store = await this.stores.open();
    const run = await generationStrategy.gen({ experiment, n: 1 });
    const trial = experiment.newTrial({ generatorRun: run }).markRunning();
    const state = generationStrategy.toState();
    await store.withTransaction(async () => {
      await store.saveTrials(experiment, [trial]);
      await store.saveGenerationState(experiment.name, state);
    });
    this.stores.noteState(state);
    const parameters = trial.arm.parameters;
    this.logger.info(
      `Generated new trial ${trial.index} with parameters ${JSON.stringify(parameters)} using ${run.generatorName}.`,
    );
    return { trialIndex: trial.index, parameters };
  }

  private endTrial(
    trialIndex: number,
    status: typeof TrialStatus.FAILED | typeof TrialStatus.ABANDONED,
    reason: string | undefined,
  ): Promise<void> {
    return this.mutate(async ({ experiment, store }) => {
      const verb = status === TrialStatus.FAILED ? "fail" : "abandon";
      const trial = this.findTrial(trialIndex, verb);
      if (trial.isTerminal) {
        throw new ClientError(`Cannot ${verb} trial ${trialIndex}: it already ended as ${trial.status}.`, {
          trialIndex,
        });
      }
      if (reason !== undefined && typeof reason !== "string") {
        throw new ClientError(`The reason must be a string, got ${describe(reason)}.`, { trialIndex });
      }
      trial.markAs(status, reason ?? null);
      await store.saveTrials(experiment, [trial]);
      this.logger.info(`Marked trial ${trialIndex} as ${status}${reason ? `: ${reason}` : ""}.`);
    });
  }

  private async checkOverwrite(overwrite: boolean): Promise<void> {
    if (overwrite) {
      if (this.givenStrategy && this.current && this.current.experiment.numTrials > 0) {
        throw new ClientError(
          "Cannot overwrite the experiment: the generation strategy given to this Client has already " +
            "generated its trials. Create a new Client with a new GenerationStrategy instead.",
        );
      }
      return;
    }
    if (this.current) {
      throw new ClientError(
        `This Client already has experiment "${this.current.experiment.name}"; pass overwriteExisting: true ` +
          "to replace it, or use a new Client.",
      );
    }
  }

  private strategyFor(experiment: Experiment, options: CreateExperimentOptions): GenerationStrategy {
    if (this.givenStrategy) return this.givenStrategy;
    const { maxParallelismCap, chooseGenerationStrategyOptions: chosen } = options;
    return chooseGenerationStrategy({
      ...(maxParallelismCap === undefined ? {} : { maxParallelismCap }),
      ...(this.seed === undefined ? {} : { seed: this.seed }),
      ...chosen,
      searchSpace: experiment.searchSpace,
      optimizationConfig: experiment.optimizationConfig,
      logger: this.logger.child("ascent.generation"),
    });
  }

  private findTrial(trialIndex: number, action: string): BaseTrial {
    const { experiment } = this.require();
    const trial = Number.isInteger(trialIndex) ? experiment.trials.get(trialIndex) : undefined;
    if (!trial) {
      const known = experiment.numTrials === 0 ? "it has none" : `indices 0 to ${experiment.numTrials - 1}`;
      throw new ClientError(
        `Cannot ${action} trial ${describe(trialIndex)}: experiment "${experiment.name}" has no such trial (${known}).`,
        Number.isInteger(trialIndex) ? { trialIndex } : {},
      );
    }
    return trial;
  }

  private require(): { experiment: Experiment; generationStrategy: GenerationStrategy } {
    if (!this.current) throw noExperiment("this method");
    return this.current;
  }

  /**
   * Runs a change of the experiment: serialized within this Client, and across processes under the
   * store's experiment lock, after catching up with what other Clients saved (trials, data and the
   * generation strategy's state), so trial indices stay unique and no update is lost.
   */
  private mutate<T>(
    fn: (ctx: {
      experiment: Experiment;
      generationStrategy: GenerationStrategy;
      store: ExperimentStore;
    }) => Promise<T>,
  ): Promise<T> {
    return this.serialize(async () => {
      const { experiment } = this.require();
      const store = await this.stores.open();
      return store.withExperimentLock(experiment.name, async () => {
        await store.refreshExperiment(experiment);
        await this.catchUpStrategy(experiment.name);
        return fn({ experiment, generationStrategy: this.require().generationStrategy, store });
      });
    });
  }

  /** Adopts the stored generation state when another Client changed it since this one last saw it. */
  private async catchUpStrategy(experimentName: string): Promise<void> {
    const state = await this.stores.changedState(experimentName);
    if (state === null) return;
    this.current = {
      experiment: this.require().experiment,
      generationStrategy: GenerationStrategy.fromState(state),
    };
  }

  /** Runs `fn` after every call started before it has settled. */
  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

function noExperiment(what: string): ClientError {
  return new ClientError(
    `The Client has no experiment yet: call createExperiment({ name, parameters, objectives }) before using ${what}.`,
  );
}

function isWaitOrDone(error: unknown): error is Error {
  return (
    error instanceof MaxParallelismReachedError ||
    error instanceof DataRequiredError ||
    error instanceof SearchSpaceExhaustedError ||
    error instanceof GenerationStrategyCompletedError
  );
}

function formatRows(rows: readonly { metricName: string; mean: number; sem: number | null }[]): string {
  return rows.map((r) => `${r.metricName}: (${r.mean}, ${r.sem ?? "unknown sem"})`).join(", ");
}

function storedNameTaken(name: string, cause: ExperimentExistsError): ExperimentExistsError {
  return new ExperimentExistsError(
    `The store already has an experiment named "${name}"; choose another name, or pass ` +
      "overwriteExisting: true to replace it (its trials and data are deleted).",
    { experimentName: name, cause, ...(cause.path === undefined ? {} : { path: cause.path }) },
  );
}
