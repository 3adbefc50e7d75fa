import { ExperimentError, OptimizationConfigError } from "../errors.js";
import { type Clock, systemClock } from "../util/clock.js";
import type { Arm } from "./arm.js";
import type { BaseTrial, TrialOwner } from "./base-trial.js";
import { BatchTrial } from "./batch-trial.js";
import { Data } from "./data.js";
import { DataIndex } from "./data-index.js";
import type { GeneratorRun, JsonValue } from "./generator-run.js";
import type { Metric } from "./metric.js";
import type { OptimizationConfig } from "./optimization-config.js";
import type { Runner } from "./runner.js";
import type { SearchSpace } from "./search-space.js";
import { Trial } from "./trial.js";
import { ALL_TRIAL_STATUSES, isPendingStatus, TrialStatus } from "./trial-status.js";

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
  private readonly byStatus = new Map<TrialStatus, Set<number>>(
    ALL_TRIAL_STATUSES.map((s) => [s, new Set()]),
  );
  private readonly stepStatusCounts = new Map<string, number>();
  private readonly armsBySignature = new Map<string, Arm>();
  private readonly armsByName = new Map<string, Arm>();
  private readonly data = new DataIndex();

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
    this.timeCreated = this.clock.now();
    for (const m of options.trackingMetrics ?? []) this.addTrackingMetric(m);
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
    return this.byStatus.get(status)!;
  }

  /** Trials currently in any of `statuses`, by ascending index. */
  trialsWithStatuses(statuses: readonly TrialStatus[]): BaseTrial[] {
    const out: BaseTrial[] = [];
    for (const s of statuses) for (const i of this.byStatus.get(s)!) out.push(this.trialMap.get(i)!);
    return out.sort((a, b) => a.index - b.index);
  }

  /** Trials currently RUNNING. */
  get runningTrials(): BaseTrial[] {
    return this.trialsWithStatuses([TrialStatus.RUNNING]);
  }

  /** Number of trials currently in `status`. */
  countTrialsWithStatus(status: TrialStatus): number {
    return this.byStatus.get(status)!.size;
  }

  /**
   * Number of trials produced by generation step `stepIndex` that are now in one of `statuses`;
   * kept as counters, so it costs O(#statuses).
   */
  countStepTrials(stepIndex: number, statuses: readonly TrialStatus[]): number {
    let n = 0;
    for (const s of statuses) n += this.stepStatusCounts.get(`${stepIndex}|${s}`) ?? 0;
    return n;
  }

  /** Arms of trials that are CANDIDATE, STAGED or RUNNING: points being evaluated or about to be. */
  get pendingArms(): Arm[] {
    return this.trialsWithStatuses([TrialStatus.CANDIDATE, TrialStatus.STAGED, TrialStatus.RUNNING]).flatMap(
      (t) => t.arms,
    );
  }

  /** An arm by its name, or undefined. */
  getArm(name: string): Arm | undefined {
    return this.armsByName.get(name);
  }

  /** The arm already in the experiment with this signature (same parameters), or undefined. */
  findArmBySignature(signature: string): Arm | undefined {
    return this.armsBySignature.get(signature);
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
    this.checkArmNames(this.trialMap.size, options.generatorRuns ?? []);
    const trial = new BatchTrial(this, this.trialMap.size, options.ttlSeconds ?? null);
    for (const run of options.generatorRuns ?? []) trial.addGeneratorRun(run);
    this.register(trial);
    return trial;
  }

  /**
   * Attaches observations; a newer row for the same trial, arm and metric replaces the older one.
   * @throws DataError when a row names a trial that does not exist.
   */
  attachData(data: Data): void {
    this.data.attach(data, (i) => this.trialMap.has(i));
  }

  /** Latest observations, optionally only for some trials or metrics. */
  lookupData(filters: { trialIndices?: Iterable<number>; metricNames?: Iterable<string> } = {}): Data {
    return this.data.lookup(filters);
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

  /** @throws OptimizationConfigError when the experiment has no optimization config. */
  requireOptimizationConfig(): OptimizationConfig {
    if (!this.config) {
      throw new OptimizationConfigError(
        `Experiment "${this.name}" has no optimization config; set one to optimize.`,
      );
    }
    return this.config;
  }

  /** @internal */
  nameArm(arm: Arm, proposedName: string): void {
    const existing = this.armsBySignature.get(arm.signature);
    if (!arm.hasName) arm.setNameOnce(existing?.name ?? proposedName);
    const name = arm.name!;
    const owner = this.armsByName.get(name);
    if (owner && owner.signature !== arm.signature) {
      throw new ExperimentError(`Arm name "${name}" is already used by an arm with other parameters.`);
    }
    if (!owner) this.armsByName.set(name, arm);
    if (!existing) this.armsBySignature.set(arm.signature, arm);
  }

  /** @internal Counts a registered trial under the step of its first generator run once it has one. */
  onGeneratorRunAdded(trial: BaseTrial): void {
    if (!this.trialMap.has(trial.index) || trial.generatorRuns.length !== 1) return;
    const step = trial.generatorRuns[0]?.generationStepIndex;
    if (step !== null && step !== undefined) this.bump(`${step}|${trial.status}`, 1);
  }

  /** @internal */
  onTrialStatusChange(trial: BaseTrial, from: TrialStatus, to: TrialStatus): void {
    if (!this.trialMap.has(trial.index)) return; // still being constructed
    this.byStatus.get(from)!.delete(trial.index);
    this.byStatus.get(to)!.add(trial.index);
    const step = trial.generatorRuns[0]?.generationStepIndex;
    if (step !== null && step !== undefined) {
      this.bump(`${step}|${from}`, -1);
      this.bump(`${step}|${to}`, 1);
    }
  }

  /**
   * Names the arms of a new batch trial as `nameArm` will, without naming anything, and throws on a name
   * clash; otherwise a refused batch would leave names behind that block every later trial of that index.
   */
  private checkArmNames(index: number, runs: readonly GeneratorRun[]): void {
    const sigByName = new Map<string, string>();
    const nameBySig = new Map<string, string>();
    runs
      .flatMap((r) => r.arms)
      .forEach((arm, k) => {
        const sig = arm.signature;
        const name = arm.name ?? this.armsBySignature.get(sig)?.name ?? nameBySig.get(sig) ?? `${index}_${k}`;
        const ownerSig = this.armsByName.get(name)?.signature ?? sigByName.get(name);
        if (ownerSig !== undefined && ownerSig !== sig) {
          throw new ExperimentError(`Arm name "${name}" is already used by an arm with other parameters.`);
        }
        sigByName.set(name, sig);
        if (!nameBySig.has(sig)) nameBySig.set(sig, name);
      });
  }

  private register(trial: BaseTrial): void {
    this.trialMap.set(trial.index, trial);
    this.byStatus.get(trial.status)!.add(trial.index);
    const step = trial.generatorRuns[0]?.generationStepIndex;
    if (step !== null && step !== undefined) this.bump(`${step}|${trial.status}`, 1);
  }

  private bump(key: string, delta: number): void {
    this.stepStatusCounts.set(key, (this.stepStatusCounts.get(key) ?? 0) + delta);
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
    return ALL_TRIAL_STATUSES.some((s) => isPendingStatus(s) && this.byStatus.get(s)!.size > 0);
  }
}
