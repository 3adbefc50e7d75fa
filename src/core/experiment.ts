import { ExperimentError, OptimizationConfigError } from "../errors.js";
import { type Clock, systemClock } from "../util/clock.js";
import type { Arm, NamedArm } from "./arm.js";
import { ArmRegistry } from "./arm-registry.js";
import type { BaseTrial, TrialOwner, TrialSnapshot } from "./base-trial.js";
import { BatchTrial } from "./batch-trial.js";
import type { CurveOptions, CurvePoint } from "./curve-point.js";
import { Data } from "./data.js";
import { type DataFilters, DataIndex, type DataUndo } from "./data-index.js";
import { ExperimentJournal, type ExperimentSavepoint, type JournalTarget } from "./experiment-journal.js";
import type { GeneratorRun } from "./generator-run.js";
import type { JsonValue } from "./json.js";
import type { Metric } from "./metric.js";
import type { OptimizationConfig } from "./optimization-config.js";
import type { Runner } from "./runner.js";
import type { SearchSpace } from "./search-space.js";
import { checkStatusQuo, STATUS_QUO_ARM_NAME } from "./status-quo.js";
import { Trial } from "./trial.js";
import { restoreTrialFromSnapshot } from "./trial-restore.js";
import { TrialStatus } from "./trial-status.js";
import { TrialStatusIndex } from "./trial-status-index.js";

/** Constructor options of {@link Experiment}, Ax's keyword arguments in camelCase. */
export interface ExperimentOptions {
  name: string;
  searchSpace: SearchSpace;
  optimizationConfig?: OptimizationConfig | null;
  runner?: Runner | null;
  /** Metrics recorded but not optimized. */
  trackingMetrics?: readonly Metric[];
  isTest?: boolean;
  description?: string | null;
  properties?: Record<string, JsonValue>;
  /** Time source for trial timestamps; the system clock by default. */
  clock?: Clock;
  /** When the experiment was created (ms since epoch); now by default. Set by stores when loading. */
  timeCreated?: number;
  /** The arm of the current setting, the baseline of relative outcome constraints (see `statusQuo`). */
  statusQuo?: Arm | null;
}

/**
 * An optimization experiment: what can be tried (search space), what is sought (optimization config),
 * how trials are deployed (runner), and every trial and observation so far.
 *
 * Trials are indexed by status as they change, so "which trials are running" costs the number of
 * running trials, not the size of the experiment.
 */
export class Experiment implements TrialOwner {
  readonly name: string;
  readonly clock: Clock;
  runner: Runner | null;
  isTest: boolean;
  description: string | null;
  readonly properties: Record<string, JsonValue>;
  readonly timeCreated: number;
  private space: SearchSpace;
  private config: OptimizationConfig | null;
  private readonly tracking = new Map<string, Metric>();
  private immutable = false;
  private readonly trialMap = new Map<number, BaseTrial>();
  private readonly statusIndex = new TrialStatusIndex();
  private readonly armRegistry = new ArmRegistry();
  private readonly data = new DataIndex();
  private journal: ExperimentJournal | null = null;
  private sq: NamedArm | null = null;

  constructor(options: ExperimentOptions) {
    if (typeof options?.name !== "string" || options.name.trim() === "") {
      throw new ExperimentError("An Experiment needs a non-empty name.");
    }
    if (!options.searchSpace) throw new ExperimentError(`Experiment "${options.name}" needs a searchSpace.`);
    this.name = options.name;
    this.space = options.searchSpace;
    this.config = options.optimizationConfig ?? null;
    this.runner = options.runner ?? null;
    this.isTest = options.isTest ?? false;
    this.description = options.description ?? null;
    this.properties = { ...(options.properties ?? {}) };
    this.clock = options.clock ?? systemClock;
    this.timeCreated = options.timeCreated ?? this.clock.now();
    for (const m of options.trackingMetrics ?? []) this.addTrackingMetric(m);
    if (options.statusQuo) this.statusQuo = options.statusQuo;
  }

  /**
   * The status-quo arm (Ax's `status_quo`): the current setting, against which relative outcome
   * constraints (`"latency <= 5%"`) are measured. Named "status_quo" unless it has a name; trials whose
   * arm has the same parameters share that name, so their data are the status quo's observations.
   * Its values must have the parameters' types but may lie outside the searched ranges.
   * @throws ExperimentError (setter) for a missing, unknown or mistyped parameter, or a name taken by
   * an arm with other parameters.
   */
  get statusQuo(): NamedArm | null {
    return this.sq;
  }
  set statusQuo(arm: Arm | null) {
    if (arm === null) {
      this.sq = null;
      return;
    }
    checkStatusQuo(arm, this.space, this.name);
    this.nameArm(arm, STATUS_QUO_ARM_NAME);
    this.sq = arm as NamedArm;
  }

  get searchSpace(): SearchSpace {
    return this.space;
  }
  set searchSpace(space: SearchSpace) {
    this.assertMutable("search space");
    this.space = space;
  }

  get optimizationConfig(): OptimizationConfig | null {
    return this.config;
  }
  set optimizationConfig(config: OptimizationConfig | null) {
    this.assertMutable("optimization config");
    this.config = config;
  }

  /** Whether the search space and optimization config are frozen (a Scheduler owns the experiment). */
  get immutableSearchSpaceAndOptConfig(): boolean {
    return this.immutable;
  }
  set immutableSearchSpaceAndOptConfig(value: boolean) {
    this.immutable = value;
  }

  /** Metrics recorded but not optimized. */
  get trackingMetrics(): Metric[] {
    return [...this.tracking.values()];
  }

  /** Every metric: those of the optimization config, then tracking metrics. */
  get metrics(): Metric[] {
    const all = new Map<string, Metric>();
    for (const m of this.config?.metrics ?? []) all.set(m.name, m);
    for (const m of this.tracking.values()) if (!all.has(m.name)) all.set(m.name, m);
    return [...all.values()];
  }

  /** @throws ExperimentError when a metric of that name already exists. */
  addTrackingMetric(metric: Metric): this {
    if (this.tracking.has(metric.name) || this.config?.metrics.some((m) => m.name === metric.name)) {
      throw new ExperimentError(`Experiment "${this.name}" already has a metric named "${metric.name}".`);
    }
    this.tracking.set(metric.name, metric);
    return this;
  }

  /** All trials by index (Ax's `experiment.trials`). */
  get trials(): ReadonlyMap<number, BaseTrial> {
    return this.trialMap;
  }

  get numTrials(): number {
    return this.trialMap.size;
  }

  /** @throws ExperimentError for an unknown index. */
  getTrial(index: number): BaseTrial {
    const t = this.trialMap.get(index);
    if (!t) {
      throw new ExperimentError(
        `Experiment "${this.name}" has no trial ${index} (it has ${this.numTrials}).`,
        {
          trialIndex: index,
        },
      );
    }
    return t;
  }

  /** Indices of trials currently in `status` (a live view; copy before mutating trials). */
  trialIndicesWithStatus(status: TrialStatus): ReadonlySet<number> {
    return this.statusIndex.indices(status);
  }

  /** Trials currently in any of `statuses`, by ascending index. */
  trialsWithStatuses(statuses: readonly TrialStatus[]): BaseTrial[] {
    const out: BaseTrial[] = [];
    for (const s of statuses) for (const i of this.statusIndex.indices(s)) out.push(this.trialMap.get(i)!);
    return out.sort((a, b) => a.index - b.index);
  }

  /** Trials currently RUNNING. */
  get runningTrials(): BaseTrial[] {
    return this.trialsWithStatuses([TrialStatus.RUNNING]);
  }

  /** Number of trials currently in `status`. */
  countTrialsWithStatus(status: TrialStatus): number {
    return this.statusIndex.indices(status).size;
  }

  /**
   * Number of trials produced by generation step `stepIndex` that are now in one of `statuses`;
   * kept as counters, so it costs O(#statuses).
   */
  countStepTrials(stepIndex: number, statuses: readonly TrialStatus[]): number {
    return this.statusIndex.countStep(stepIndex, statuses);
  }

  /** Arms of trials that are CANDIDATE, STAGED or RUNNING: points being evaluated or about to be. */
  get pendingArms(): Arm[] {
    return this.trialsWithStatuses([TrialStatus.CANDIDATE, TrialStatus.STAGED, TrialStatus.RUNNING]).flatMap(
      (t) => t.arms,
    );
  }

  /** An arm by its name, or undefined. */
  getArm(name: string): Arm | undefined {
    return this.armRegistry.get(name);
  }

  /** The arm already in the experiment with this signature (same parameters), or undefined. */
  findArmBySignature(signature: string): Arm | undefined {
    return this.armRegistry.findBySignature(signature);
  }

  /**
   * Adds a one-arm trial, in status CANDIDATE. Its arm is validated against the search space.
   * @throws SearchSpaceError when the arm is outside the search space.
   */
  newTrial(options: { generatorRun?: GeneratorRun; ttlSeconds?: number | null } = {}): Trial {
    for (const arm of options.generatorRun?.arms ?? []) this.space.validateArm(arm);
    const trial = new Trial(this, this.trialMap.size, options.ttlSeconds ?? null, options.generatorRun);
    this.register(trial);
    return trial;
  }

  /** Adds a trial of several weighted arms, in status CANDIDATE. */
  newBatchTrial(
    options: { generatorRuns?: readonly GeneratorRun[]; ttlSeconds?: number | null } = {},
  ): BatchTrial {
    for (const run of options.generatorRuns ?? []) for (const arm of run.arms) this.space.validateArm(arm);
    this.armRegistry.checkNames(this.trialMap.size, options.generatorRuns ?? []);
    const trial = new BatchTrial(this, this.trialMap.size, options.ttlSeconds ?? null);
    for (const run of options.generatorRuns ?? []) trial.addGeneratorRun(run);
    this.register(trial);
    return trial;
  }

  /**
   * Rebuilds or refreshes a trial from its snapshot, without transition checks.
   *
   * When `snapshot.index === numTrials` it creates the Trial or BatchTrial with its arms (names kept as
   * stored) and generator runs, then restores its status, timestamps, run metadata, failure reason, TTL
   * and properties. When a trial with that index exists it updates that mutable state instead (and, while
   * the trial is a CANDIDATE, adds generator runs it does not have yet): this is how a store brings in
   * another process's writes. Per-status and per-step counters stay exact either way.
   * @internal Used by stores; everything else changes trials through `newTrial` and `mark*`.
   * @throws ExperimentError when the index leaves a gap (> numTrials), the trial type differs from the
   * existing trial's, arm names clash, or the snapshot's arms and generator runs do not match.
   */
  restoreTrial(snapshot: TrialSnapshot): BaseTrial {
    return restoreTrialFromSnapshot(
      {
        owner: this,
        experimentName: this.name,
        trials: this.trialMap,
        checkArmNames: (index, runs) => this.armRegistry.checkNames(index, runs),
        register: (trial) => this.register(trial),
      },
      snapshot,
    );
  }

  /**
   * Attaches observations. Each (trial, arm, metric) keeps a latest value: a final row (no progression)
   * replaces it; a progression row replaces another progression row of no greater progression, never a
   * final row. Progression rows (intermediate results) are also kept, in arrival order, as the curve.
   * @throws DataError when a row names a trial that does not exist.
   */
  attachData(data: Data): void {
    const undo: DataUndo[] | undefined = this.journal ? [] : undefined;
    this.data.attach(data, (i) => this.trialMap.has(i), undo);
    if (undo) this.journal?.dataAttached(undo);
  }

  /**
   * Latest observations (one per trial, arm and metric, as `Data.latest` picks them), optionally only for
   * some trials or metrics. A trial stopped early is thus represented by its last observed value.
   */
  lookupData(filters: DataFilters = {}): Data {
    return this.data.lookup(filters);
  }

  /**
   * Every row kept of some trials and metrics, for export: per trial, arm and metric, its progression
   * rows in arrival order, then its final row if it has one.
   */
  lookupCurveData(filters: DataFilters = {}): Data {
    return this.data.lookupAll(filters);
  }

  /**
   * The learning curve of a trial's metric, as `Data.curve` reads it: progression rows sorted by the
   * progression key ("step" when a row has it, else the first key seen); a repeated value keeps the later
   * row; final rows are left out. Empty when the trial has no such rows. Sorts at read time.
   * @throws DataError when no `armName` is given and the trial has several arms with that metric.
   * @example experiment.curve(0, "val_loss") // [{ progression: 100, mean: 0.82, sem: null }, ...]
   */
  curve(trialIndex: number, metricName: string, options: CurveOptions = {}): CurvePoint[] {
    return this.data.curve(trialIndex, metricName, options);
  }

  /**
   * The curves of a metric by trial index (ascending), only for trials with at least one point.
   * @param options.trialIndices the trials to read (every trial with data by default).
   * @throws DataError when no `armName` is given and a trial has several arms with that metric.
   */
  curves(
    metricName: string,
    options: CurveOptions & { trialIndices?: Iterable<number> } = {},
  ): Map<number, CurvePoint[]> {
    const indices = [...new Set(options.trialIndices ?? this.data.trialIndices())].sort((a, b) => a - b);
    const out = new Map<number, CurvePoint[]>();
    for (const i of indices) {
      const points = this.data.curve(i, metricName, options);
      if (points.length > 0) out.set(i, points);
    }
    return out;
  }

  /** Distinct progression keys of the rows of `metricName` (of every metric when absent). */
  progressionKeys(metricName?: string): string[] {
    return this.data.progressionKeys(metricName);
  }

  /** Latest observations of one trial. */
  lookupTrialData(trialIndex: number): Data {
    return Data.fromRows(this.data.forTrial(trialIndex));
  }

  /** Whether a trial has an observation of `metricName`. */
  hasDataFor(trialIndex: number, metricName: string): boolean {
    return this.data.has(trialIndex, metricName);
  }

  /** Number of stored (trial, arm, metric) observations. */
  get numObservations(): number {
    return this.data.size;
  }

  /**
   * Number of data rows attached so far: every progression row and every final row, replaced ones
   * included. It grows with every attach (an observation's count does not when a running trial reports
   * a new value), so it tells cheaply whether any data arrived.
   */
  get numDataRowsAttached(): number {
    return this.data.rowsAttached;
  }

  /** @throws OptimizationConfigError when the experiment has no optimization config. */
  requireOptimizationConfig(): OptimizationConfig {
    if (!this.config) {
      throw new OptimizationConfigError(
        `Experiment "${this.name}" has no optimization config; set one to optimize.`,
      );
    }
    return this.config;
  }

  /**
   * Starts recording every in-memory change (trials added, status and run-metadata changes, arms
   * registered, observations attached) so that {@link ExperimentSavepoint.rollback} can take them all
   * back: a caller whose store refused to save a change uses it to leave memory as the store has it.
   * One savepoint at a time; take it after refreshing from the store, not before.
   * @throws ExperimentError when a savepoint is already open.
   */
  savepoint(): ExperimentSavepoint {
    if (this.journal) {
      throw new ExperimentError(
        `Experiment "${this.name}" already has an open savepoint; release or roll it back first.`,
      );
    }
    const journal = new ExperimentJournal(this.trialMap.size);
    this.journal = journal;
    const end = () => {
      if (this.journal === journal) this.journal = null;
    };
    return {
      rollback: () => {
        if (this.journal !== journal) return;
        end();
        journal.undo(this.journalTarget());
      },
      release: end,
    };
  }

  /** @internal */
  nameArm(arm: Arm, proposedName: string): void {
    const added = this.armRegistry.register(arm, proposedName);
    this.journal?.armRegistered(added);
  }

  /** @internal Counts a registered trial under the step of its first generator run once it has one. */
  onGeneratorRunAdded(trial: BaseTrial): void {
    if (!this.trialMap.has(trial.index) || trial.generatorRuns.length !== 1) return;
    this.statusIndex.firstRunAdded(trial);
  }

  /** @internal */
  beforeTrialChange(trial: BaseTrial): void {
    if (this.trialMap.has(trial.index)) this.journal?.trialChanging(trial);
  }

  /** @internal */
  onTrialStatusChange(trial: BaseTrial, from: TrialStatus, to: TrialStatus): void {
    if (!this.trialMap.has(trial.index)) return; // still being constructed
    this.statusIndex.move(trial, from, to);
  }

  private register(trial: BaseTrial): void {
    this.trialMap.set(trial.index, trial);
    this.statusIndex.add(trial);
    this.journal?.trialAdded(trial.index);
  }

  private journalTarget(): JournalTarget {
    return {
      restoreTrialState: (trial, state) => trial.restoreState(state),
      removeTrial: (index) => {
        const trial = this.trialMap.get(index);
        if (!trial) return;
        this.statusIndex.remove(trial);
        this.trialMap.delete(index);
      },
      unregisterArm: (added) => this.armRegistry.unregister(added),
      undoData: (entries) => this.data.undo(entries),
    };
  }

  private assertMutable(what: string): void {
    if (this.immutable) {
      throw new ExperimentError(
        `The ${what} of experiment "${this.name}" is immutable while a Scheduler owns it ` +
          "(immutableSearchSpaceAndOptConfig is true); create a new experiment to change it.",
      );
    }
  }

  /** Whether any trial is CANDIDATE, STAGED or RUNNING. */
  get hasPendingTrials(): boolean {
    return this.statusIndex.hasPending;
  }
}
