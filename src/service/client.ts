import type { BaseTrial } from "../core/base-trial.js";
import type { Progression } from "../core/curve-point.js";
import type { Experiment } from "../core/experiment.js";
import type { ExperimentStore } from "../core/experiment-store.js";
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
import { chooseGenerationStrategy, type GenerationStrategy } from "../generation/index.js";
import { experimentToTable, type TableRow } from "../reporting/experiment-to-table.js";
import { type ParetoFrontierPoint, paretoFrontier } from "../reporting/pareto-frontier.js";
import { recommendedBestPoint, type UseModelPredictions } from "../reporting/recommended-best-point.js";
import type { GlobalStoppingDecision, GlobalStoppingStrategy } from "../scheduler/index.js";
import type { EarlyStoppingStrategy } from "../scheduler/scheduler-options.js";
import { type Clock, systemClock } from "../util/clock.js";
import { Logger, LogLevel } from "../util/logger.js";
import {
  attachProgressTo,
  checkClientEarlyStopping,
  checkReason,
  stopTrialEarlyWith,
} from "./client-early-stopping.js";
import { askGlobalStopping, checkClientGlobalStopping } from "./client-global-stopping.js";
import { ClientSession, loadClientState, noExperiment } from "./client-session.js";
import { ClientStore } from "./client-store.js";
import {
  attachTrialAt,
  completeTrialWith,
  endTrialAs,
  generateTrial,
  type TrialChangeDeps,
} from "./client-trial-changes.js";
import type {
  BestParameters,
  ClientOptions,
  CreateExperimentOptions,
  LoadClientOptions,
  TrialHandle,
} from "./client-types.js";
import { experimentFromOptions } from "./experiment-from-options.js";
import type { RawData } from "./raw-data.js";

/**
 * The ask/tell interface (Ax's `AxClient`): create an experiment from plain objects, ask for trials,
 * evaluate them anywhere, and tell the results. Every change is saved to the store as it happens, and
 * each call is all or nothing: when its save fails (a StorageError, e.g. a full disk), the experiment
 * and the generation strategy are left as they were before the call, so the same call can be retried.
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
  private readonly stoppingStrategy: EarlyStoppingStrategy | null;
  /** Why the strategy said to stop a trial, by trial index, until `stopTrialEarly` uses it. */
  private readonly stopReasons = new Map<number, string | null>();
  private readonly globalStopping: GlobalStoppingStrategy | undefined;
  // The only state tied to an experiment: set by createExperiment, or by Client.load from the store.
  private readonly session: ClientSession;

  /** A Client with no experiment yet; call {@link Client.createExperiment} next. */
  constructor(options: ClientOptions = {}) {
    this.stores = new ClientStore(options.store, options.dbSettings);
    this.session = new ClientSession(this.stores);
    this.clock = options.clock ?? systemClock;
    this.seed = options.seed;
    this.givenStrategy = options.generationStrategy;
    this.stoppingStrategy = checkClientEarlyStopping(options.earlyStoppingStrategy);
    this.globalStopping = checkClientGlobalStopping(options.globalStoppingStrategy);
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
    // Plain JavaScript can reach this with a misnamed key (e.g. `name`): say so instead of loading "undefined".
    if (typeof experimentName !== "string" || experimentName === "") {
      throw new ClientError(
        `Client.load needs experimentName, the name of a stored experiment (a non-empty string), got ` +
          `${describe(experimentName)}. Example: Client.load({ experimentName: "my_experiment", dbSettings }).`,
      );
    }
    const client = new Client(rest);
    await client.session.serialize(async () => {
      const state = await loadClientState(client.stores, experimentName);
      client.session.adopt(state);
      client.logger.info(`Loaded experiment "${experimentName}" with ${state.experiment.numTrials} trials.`);
    });
    return client;
  }

  /** The store, once opened (immediately when one was given; on first use with `dbSettings`); else null. */
  get store(): ExperimentStore | null {
    return this.stores.current;
  }

  /** The experiment. @throws ClientError before `createExperiment`. */
  get experiment(): Experiment {
    return this.session.require().experiment;
  }

  /**
   * The generation strategy: the one given to the constructor, or the one chosen by `createExperiment`.
   * @throws ClientError when neither exists yet.
   */
  get generationStrategy(): GenerationStrategy {
    const gs = this.session.current?.generationStrategy ?? this.givenStrategy;
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
    return this.session.serialize(async () => {
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
      this.session.adopt({ experiment, generationStrategy });
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
    return this.session.mutate((ctx) => generateTrial(ctx, this.deps()));
  }

  /**
   * Generates up to `maxTrials` trials, one at a time (each later one sees the earlier ones as pending),
   * and returns them in order: an array rather than Ax's `(dict, isComplete)` pair. It stops early and
   * returns what it has when the strategy must wait (max parallelism reached, more data required) or
   * can generate nothing more (search space exhausted, strategy completed); the reason is logged, and
   * `getNextTrial` throws it as a typed error. Other errors (a StorageError, a failed model fit) are
   * thrown and the call changes nothing: the trials it generated before are undone in memory and in
   * the store, together with the strategy's progress.
   * @throws ClientError before `createExperiment` or for a `maxTrials` that is not a positive integer.
   */
  getNextTrials(maxTrials: number): Promise<TrialHandle[]> {
    return this.session.mutate(async (ctx) => {
      if (!Number.isInteger(maxTrials) || maxTrials < 1) {
        throw new ClientError(
          `getNextTrials needs a positive integer maxTrials, got ${describe(maxTrials)}.`,
        );
      }
      const out: TrialHandle[] = [];
      while (out.length < maxTrials) {
        try {
          out.push(await generateTrial(ctx, this.deps()));
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
    return this.session.mutate((ctx) =>
      completeTrialWith(ctx, this.deps(), this.session.findTrial(trialIndex, "complete"), rawData),
    );
  }

  /**
   * Reports intermediate values of a RUNNING trial at a progression (Ax's `attach_data` with a
   * progression, e.g. the validation loss after 20 steps): saved as new data rows (stores keep every
   * row, so the trial's curve is kept), which an early-stopping strategy reads as the trial's curve.
   * Values are given as for {@link Client.completeTrial}, except that a step may report some metrics only.
   * The latest values stand for the trial until it ends (a final result wins over progress).
   * @param values a number or `[mean, sem]` for the single objective, or `{ metric: number | [mean, sem] }`.
   * @param progression where the trial is, e.g. `{ step: 20 }` or `{ epoch: 3 }`: finite numbers.
   * @throws ClientError for an unknown trial, a trial that is not RUNNING, or a malformed progression;
   * DataError naming the trial and metric for an unknown metric or a NaN, infinite or malformed value.
   * @example await client.attachProgress(3, { loss: 0.31 }, { step: 20 });
   */
  attachProgress(trialIndex: number, values: RawData, progression: Progression): Promise<void> {
    return this.session.mutate((ctx) =>
      attachProgressTo(
        ctx,
        this.deps(),
        this.session.findTrial(trialIndex, "attach progress to"),
        values,
        progression,
      ),
    );
  }

  /**
   * Whether the early-stopping strategy given to the Client would stop this trial now, from the progress
   * attached so far (Ax's `should_stop_trials_early` for one trial). When it says stop, its reason is
   * remembered for {@link Client.stopTrialEarly}. A trial that is no longer RUNNING is never to be
   * stopped (false). The trial is not stopped here: call `stopTrialEarly` (and stop the evaluation).
   * @throws ClientError when the Client has no `earlyStoppingStrategy`, or for an unknown trial.
   * @example if (await client.shouldStopTrialEarly(i)) { await client.stopTrialEarly(i); break; }
   */
  shouldStopTrialEarly(trialIndex: number): Promise<boolean> {
    return this.session.serialize(async () => {
      const strategy = this.stoppingStrategy;
      if (strategy === null) {
        throw new ClientError(
          "shouldStopTrialEarly needs an early-stopping strategy: create the Client with " +
            "new Client({ earlyStoppingStrategy: new PercentileEarlyStoppingStrategy() }) (or another one).",
          Number.isInteger(trialIndex) ? { trialIndex } : {},
        );
      }
      const trial = this.session.findTrial(trialIndex, "judge");
      if (trial.status !== TrialStatus.RUNNING) return false;
      const { experiment } = this.session.require();
      const decisions = await strategy.shouldStopTrialsEarly({
        trialIndices: new Set([trialIndex]),
        experiment,
      });
      if (!decisions.has(trialIndex)) return false;
      this.stopReasons.set(trialIndex, decisions.get(trialIndex) ?? null);
      return true;
    });
  }

  /**
   * Marks a RUNNING trial EARLY_STOPPED and saves it. Its reason is `reason`, else the one the strategy
   * gave when {@link Client.shouldStopTrialEarly} last said to stop it, else none. The progress attached
   * so far is kept, and the trial's latest values stand as its result: the model uses them, as Ax does
   * for early-stopped trials.
   * @throws ClientError for an unknown trial, a trial that is not RUNNING, or a reason that is not a string.
   * @example await client.stopTrialEarly(3, "loss stalled");
   */
  stopTrialEarly(trialIndex: number, reason?: string): Promise<void> {
    return this.session.mutate(async (ctx) => {
      const trial = this.session.findTrial(trialIndex, "stop");
      const given = checkReason(reason, trial.index);
      const why = given ?? this.stopReasons.get(trial.index) ?? null;
      await stopTrialEarlyWith(ctx, this.deps(), trial, why);
      this.stopReasons.delete(trial.index);
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
    return this.session.mutate((ctx) => attachTrialAt(ctx, this.deps(), parameters));
  }

  /**
   * The best parameters so far among the arms of COMPLETED trials (Ax's `get_best_parameterization`),
   * with which rule chose them and why.
   *
   * Once the strategy's current step is the BoTorch generator, a GP fitted to all the data (see
   * `modelJudgement`) proposes its pick: the best predicted objective mean among arms whose predicted
   * constraint means satisfy their bounds. `useModelPredictions` says who decides:
   * - "auto" (the default): the best observation when the data are noise-free (sem 0, or bare numbers
   *   in which no noise is detectable: a noise-free GP explains them within 2 nats of the noisy one's
   *   likelihood), or when the model's pick trails it in observed means by more than 2 noise standard
   *   deviations (known sems, else the GP's inferred noise); the model's pick otherwise, which
   *   discounts a lucky noisy draw that its neighbours contradict (see `decideBestPoint` and
   *   docs/bayesian-optimization.md);
   * - true: always the model's pick (Ax's default);
   * - false: always the best raw observation that satisfies every absolute outcome constraint.
   * Before the BoTorch step, or while the model cannot judge (fewer than 2 observations of a metric),
   * the best raw observation. `rule` says which rule chose the arm and `reason` why; `values` are always
   * the arm's observed means, `predictions` the model's at the arm whenever a model judged. Null when
   * there is no such arm yet.
   * @throws ClientError before `createExperiment` or for another `useModelPredictions`;
   * OptimizationConfigError for a multi-objective experiment (whose answer is a Pareto frontier).
   * @example
   * const best = await client.getBestParameters();
   * console.log(best?.parameters, best?.values.loss, best?.rule, best?.reason);
   */
  getBestParameters(
    options: { useModelPredictions?: UseModelPredictions } = {},
  ): Promise<BestParameters | null> {
    const use: unknown = options.useModelPredictions;
    if (use !== undefined && use !== true && use !== false && use !== "auto") {
      return Promise.reject(
        new ClientError(
          `getBestParameters: useModelPredictions must be true, false or "auto", got ${describe(use)}. ` +
            'Pass "auto" (the default) to let the data decide, true for the model\'s pick, false for the best observation.',
        ),
      );
    }
    return this.session.serialize(async () => {
      const { experiment, generationStrategy } = this.session.require();
      const best = recommendedBestPoint(experiment, generationStrategy, options);
      if (best === null) return null;
      const { trialIndex, parameters, values, rule, reason, predictions } = best;
      return { trialIndex, parameters, values, rule, reason, ...(predictions ? { predictions } : {}) };
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
    return this.session.serialize(async () => {
      const out = new Map<number, Pick<ParetoFrontierPoint, "parameters" | "values">>();
      for (const p of paretoFrontier(this.session.require().experiment).points) {
        // Client trials have one arm; for a batch trial, its first optimal arm stands for it.
        if (!out.has(p.trialIndex)) out.set(p.trialIndex, { parameters: p.parameters, values: p.values });
      }
      return out;
    });
  }

  /**
   * Whether the optimization should end, by the Client's `globalStoppingStrategy` judging the current
   * experiment (Ax's global stopping check): e.g. `{ stop: true, reason: "The best loss improved by
   * 0.02 times ..." }`. Asking changes nothing; the caller decides whether to ask for more trials.
   * @throws ClientError before `createExperiment`, or when the Client has no `globalStoppingStrategy`;
   * what the strategy throws for an experiment it cannot judge.
   * @example
   * const { stop, reason } = await client.shouldStopOptimization();
   * if (stop) console.log(`Done: ${reason}`);
   */
  shouldStopOptimization(): Promise<GlobalStoppingDecision> {
    return this.session.serialize(() =>
      askGlobalStopping(this.globalStopping, this.session.require().experiment),
    );
  }

  /**
   * One row per trial arm, with metric means, parameters, status and generator (see `experimentToTable`).
   * @throws ClientError before `createExperiment`.
   * @example console.table(client.getTrialsTable());
   */
  getTrialsTable(): TableRow[] {
    return experimentToTable(this.session.require().experiment);
  }

  /** A trial by index. @throws ClientError before `createExperiment` or for an unknown index. */
  getTrial(trialIndex: number): BaseTrial {
    return this.session.findTrial(trialIndex, "get");
  }

  private endTrial(
    trialIndex: number,
    status: typeof TrialStatus.FAILED | typeof TrialStatus.ABANDONED,
    reason: string | undefined,
  ): Promise<void> {
    const verb = status === TrialStatus.FAILED ? "fail" : "abandon";
    return this.session.mutate((ctx) =>
      endTrialAs(ctx, this.deps(), this.session.findTrial(trialIndex, verb), status, reason),
    );
  }

  private deps(): TrialChangeDeps {
    return { stores: this.stores, logger: this.logger, clock: this.clock };
  }

  private async checkOverwrite(overwrite: boolean): Promise<void> {
    if (overwrite) {
      if (this.givenStrategy && this.session.current && this.session.current.experiment.numTrials > 0) {
        throw new ClientError(
          "Cannot overwrite the experiment: the generation strategy given to this Client has already " +
            "generated its trials. Create a new Client with a new GenerationStrategy instead.",
        );
      }
      return;
    }
    if (this.session.current) {
      throw new ClientError(
        `This Client already has experiment "${this.session.current.experiment.name}"; pass overwriteExisting: true ` +
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
      hasStatusQuo: experiment.statusQuo !== null,
      logger: this.logger.child("ascent.generation"),
    });
  }
}

function isWaitOrDone(error: unknown): error is Error {
  return (
    error instanceof MaxParallelismReachedError ||
    error instanceof DataRequiredError ||
    error instanceof SearchSpaceExhaustedError ||
    error instanceof GenerationStrategyCompletedError
  );
}

function storedNameTaken(name: string, cause: ExperimentExistsError): ExperimentExistsError {
  return new ExperimentExistsError(
    `The store already has an experiment named "${name}"; choose another name, or pass ` +
      "overwriteExisting: true to replace it (its trials and data are deleted).",
    { experimentName: name, cause, ...(cause.path === undefined ? {} : { path: cause.path }) },
  );
}
