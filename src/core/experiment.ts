import { ExperimentError, OptimizationConfigError } from "../errors.js";
import { type Clock, systemClock } from "../util/clock.js";
import { Arm } from "./arm.js";
import type { BaseTrial, TrialOwner, TrialSnapshot } from "./base-trial.js";
import { BatchTrial } from "./batch-trial.js";
import { Data } from "./data.js";
import { DataIndex } from "./data-index.js";
import { GeneratorRun } from "./generator-run.js";
import type { JsonValue } from "./json.js";
import type { Metric } from "./metric.js";
import type { OptimizationConfig } from "./optimization-config.js";
import type { ParameterValue } from "./parameter-type.js";
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
  /** When the experiment was created (ms since epoch); now by default. Set by stores when loading. */
  timeCreated?: number;
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
    this.timeCreated = options.timeCreated ?? this.clock.now();
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
    const index = snapshot.index;
    if (!Number.isInteger(index) || index < 0) {
      throw new ExperimentError(`Cannot restore a trial with index ${index}: indices are integers >= 0.`);
    }
    if (index > this.trialMap.size) {
      throw new ExperimentError(
        `Cannot restore trial ${index} of experiment "${this.name}": it has ${this.numTrials} trials, so ` +
          `trials ${this.numTrials}..${index - 1} are missing. Restore trials in index order.`,
        { trialIndex: index },
      );
    }
    const existing = this.trialMap.get(index);
    const runs = generatorRunsOf(snapshot);
    if (existing) {
      if (existing.trialType !== snapshot.trialType) {
        throw new ExperimentError(
          `Cannot refresh trial ${index} of experiment "${this.name}": it is a ${existing.trialType}, the snapshot a ${snapshot.trialType}.`,
          { trialIndex: index },
        );
      }
      if (existing.status === TrialStatus.CANDIDATE && runs.length > existing.generatorRuns.length) {
        const added = runs.slice(existing.generatorRuns.length);
        if (existing instanceof BatchTrial) {
          this.checkArmNames(index, added);
          for (const run of added) existing.addGeneratorRun(run);
        } else if (existing instanceof Trial) {
          for (const run of added) existing.addGeneratorRun(run);
        }
      }
      existing.restoreState(stateOf(snapshot));
      return existing;
    }
    let trial: BaseTrial;
    if (snapshot.trialType === "BatchTrial") {
      this.checkArmNames(index, runs);
      const batch = new BatchTrial(this, index, snapshot.ttlSeconds);
      for (const run of runs) batch.addGeneratorRun(run);
      trial = batch;
    } else {
      if (runs.length > 1) {
        throw new ExperimentError(`Trial ${index} has ${runs.length} generator runs; a Trial holds one.`, {
          trialIndex: index,
        });
      }
      trial = new Trial(this, index, snapshot.ttlSeconds, runs[0]);
    }
    // Restored before registering, so `register` counts the trial under its final status once.
    trial.restoreState(stateOf(snapshot));
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
    // Signatures are computed once here: restoring thousands of stored trials names every arm.
    const signature = arm.signature;
    const existing = this.armsBySignature.get(signature);
    if (!arm.hasName) arm.setNameOnce(existing?.name ?? proposedName);
    const name = arm.name!;
    const owner = this.armsByName.get(name);
    if (owner && owner !== existing && owner.signature !== signature) {
      throw new ExperimentError(`Arm name "${name}" is already used by an arm with other parameters.`);
    }
    if (!owner) this.armsByName.set(name, arm);
    if (!existing) this.armsBySignature.set(signature, arm);
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

function stateOf(snapshot: TrialSnapshot): Parameters<BaseTrial["restoreState"]>[0] {
  return {
    status: snapshot.status,
    times: {
      timeCreated: snapshot.timeCreated,
      timeStaged: snapshot.timeStaged,
      timeRunStarted: snapshot.timeRunStarted,
      timeCompleted: snapshot.timeCompleted,
    },
    runMetadata: snapshot.runMetadata,
    failureReason: snapshot.failureReason,
    ttlSeconds: snapshot.ttlSeconds,
    properties: snapshot.properties,
  };
}

/** The snapshot's generator runs, with fresh arms named as stored. */
function generatorRunsOf(snapshot: TrialSnapshot): GeneratorRun[] {
  const params = new Map<string, Readonly<Record<string, JsonValue>>>();
  for (const arm of snapshot.arms) if (!params.has(arm.name)) params.set(arm.name, arm.parameters);
  return snapshot.generatorRuns.map(
    (run) =>
      new GeneratorRun({
        arms: run.armNames.map((name) => {
          const p = params.get(name);
          if (!p) {
            throw new ExperimentError(
              `Trial ${snapshot.index}: generator run "${run.generatorName}" names arm "${name}", which is not among the trial's arms.`,
              { trialIndex: snapshot.index },
            );
          }
          return new Arm({ parameters: parameterValues(snapshot.index, name, p), name });
        }),
        weights: run.weights,
        generatorName: run.generatorName,
        generationStepIndex: run.generationStepIndex,
        candidateMetadata: run.candidateMetadata,
        metadata: run.metadata,
        timeCreated: run.timeCreated,
      }),
  );
}

function parameterValues(
  trialIndex: number,
  armName: string,
  parameters: Readonly<Record<string, JsonValue>>,
): Record<string, ParameterValue> {
  for (const [key, value] of Object.entries(parameters)) {
    const t = typeof value;
    if (t !== "string" && t !== "number" && t !== "boolean") {
      throw new ExperimentError(
        `Trial ${trialIndex}, arm "${armName}": parameter "${key}" = ${JSON.stringify(value)} is not a string, number or boolean.`,
        { trialIndex },
      );
    }
  }
  return parameters as Record<string, ParameterValue>;
}
