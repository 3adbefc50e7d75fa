import type { Clock } from "../util/clock.js";
import type { Arm, NamedArm } from "./arm.js";
import type { GeneratorRun } from "./generator-run.js";
import type { JsonValue } from "./json.js";
import { assertTransition, isTerminalStatus, TrialStatus } from "./trial-status.js";

/** Metadata a runner returns from `run(trial)`, kept on the trial as `runMetadata`. */
export type RunMetadata = Readonly<Record<string, JsonValue>>;

/** The two kinds of trials. */
export const TrialType = { TRIAL: "Trial", BATCH_TRIAL: "BatchTrial" } as const;
export type TrialType = (typeof TrialType)[keyof typeof TrialType];

/**
 * What a trial needs from the experiment that owns it: the time, arm naming, and a hook that keeps the
 * experiment's per-status indexes current without scanning every trial.
 * @internal
 */
export interface TrialOwner {
  /** The experiment's name (runners pass it on to the systems they deploy to). */
  readonly name: string;
  readonly clock: Clock;
  nameArm(arm: Arm, proposedName: string): void;
  onTrialStatusChange(trial: BaseTrial, from: TrialStatus, to: TrialStatus): void;
  /** Called after a generator run joined the trial (its first run decides the trial's generation step). */
  onGeneratorRunAdded?(trial: BaseTrial): void;
  /** Called before the trial's status or run metadata changes (so the owner can record the old state). */
  beforeTrialChange?(trial: BaseTrial): void;
}

/** A trial's mutable state, as stores restore it and savepoints record it. */
export interface TrialState {
  status: TrialStatus;
  times: TrialTimes;
  runMetadata: RunMetadata;
  failureReason: string | null;
  ttlSeconds?: number | null;
  properties?: Readonly<Record<string, JsonValue>>;
}

/** Timestamps of a trial's lifecycle (ms since epoch, null until reached). */
export interface TrialTimes {
  timeCreated: number;
  timeStaged: number | null;
  timeRunStarted: number | null;
  timeCompleted: number | null;
}

/**
 * What `Trial` (one arm) and `BatchTrial` (several arms deployed together) share: index, status and its
 * lifecycle, timestamps, run metadata, failure reason, TTL, and the generator runs that produced the arms.
 * Status changes only through the `mark*` methods, which refuse illegal transitions.
 */
export abstract class BaseTrial {
  readonly index: number;
  abstract readonly trialType: TrialType;
  protected readonly owner: TrialOwner;
  private currentStatus: TrialStatus = TrialStatus.CANDIDATE;
  private times: TrialTimes;
  private meta: RunMetadata = {};
  private reason: string | null = null;
  /** Seconds a RUNNING trial may run before it is considered failed; null for no limit. */
  ttlSeconds: number | null;
  /** Free-form properties of the trial, stored with it. */
  readonly properties: Record<string, JsonValue> = {};
  protected readonly runs: GeneratorRun[] = [];

  /** @internal Trials are made by `Experiment.newTrial` / `newBatchTrial`. */
  constructor(owner: TrialOwner, index: number, ttlSeconds: number | null) {
    this.owner = owner;
    this.index = index;
    this.ttlSeconds = ttlSeconds;
    this.times = {
      timeCreated: owner.clock.now(),
      timeStaged: null,
      timeRunStarted: null,
      timeCompleted: null,
    };
  }

  get status(): TrialStatus {
    return this.currentStatus;
  }
  /** Name of the experiment the trial belongs to, for runners that tell their system which experiment a job is of. */
  get experimentName(): string {
    return this.owner.name;
  }
  get runMetadata(): RunMetadata {
    return this.meta;
  }
  get failureReason(): string | null {
    return this.reason;
  }
  get timeCreated(): number {
    return this.times.timeCreated;
  }
  get timeStaged(): number | null {
    return this.times.timeStaged;
  }
  get timeRunStarted(): number | null {
    return this.times.timeRunStarted;
  }
  get timeCompleted(): number | null {
    return this.times.timeCompleted;
  }
  /** All generator runs that added arms to this trial. */
  get generatorRuns(): readonly GeneratorRun[] {
    return this.runs;
  }
  /** All arms of the trial. */
  abstract get arms(): readonly NamedArm[];

  /** Whether the status is final. */
  get isTerminal(): boolean {
    return isTerminalStatus(this.currentStatus);
  }

  /** Name of the generator that produced the (first) arm, e.g. "Sobol". */
  get generatorName(): string | null {
    return this.runs[0]?.generatorName ?? null;
  }

  /** Whether a RUNNING trial has outlived its TTL at time `now`. */
  isTtlExpired(now = this.owner.clock.now()): boolean {
    if (this.ttlSeconds === null || this.currentStatus !== TrialStatus.RUNNING) return false;
    const start = this.times.timeRunStarted ?? this.times.timeCreated;
    return now - start > this.ttlSeconds * 1000;
  }

  /** Merges `metadata` into the run metadata (e.g. what the runner returned). */
  updateRunMetadata(metadata: Readonly<Record<string, JsonValue>>): this {
    this.owner.beforeTrialChange?.(this);
    this.meta = Object.freeze({ ...this.meta, ...metadata });
    return this;
  }

  markStaged(): this {
    return this.transition(TrialStatus.STAGED);
  }
  markRunning(): this {
    return this.transition(TrialStatus.RUNNING);
  }
  markCompleted(): this {
    return this.transition(TrialStatus.COMPLETED);
  }
  markEarlyStopped(reason: string | null = null): this {
    return this.transition(TrialStatus.EARLY_STOPPED, reason);
  }
  markFailed(reason: string | null = null): this {
    return this.transition(TrialStatus.FAILED, reason);
  }
  markAbandoned(reason: string | null = null): this {
    return this.transition(TrialStatus.ABANDONED, reason);
  }

  /**
   * Moves the trial to `status`.
   * @throws TrialStatusError when the lifecycle does not allow it.
   */
  markAs(status: TrialStatus, reason: string | null = null): this {
    return this.transition(status, reason);
  }

  private transition(to: TrialStatus, reason: string | null = null): this {
    const from = this.currentStatus;
    assertTransition(this.index, from, to);
    this.owner.beforeTrialChange?.(this);
    const now = this.owner.clock.now();
    if (to === TrialStatus.STAGED) this.times.timeStaged = now;
    if (to === TrialStatus.RUNNING) this.times.timeRunStarted = now;
    if (isTerminalStatus(to)) this.times.timeCompleted = now;
    if (reason !== null) this.reason = reason;
    this.currentStatus = to;
    this.owner.onTrialStatusChange(this, from, to);
    return this;
  }

  /**
   * @internal Restores stored state without running transition checks (used by stores). `ttlSeconds`
   * and `properties` are restored when given; properties are replaced by a deep copy.
   */
  restoreState(state: TrialState): void {
    const from = this.currentStatus;
    this.currentStatus = state.status;
    this.times = {
      timeCreated: state.times.timeCreated,
      timeStaged: state.times.timeStaged,
      timeRunStarted: state.times.timeRunStarted,
      timeCompleted: state.times.timeCompleted,
    };
    this.meta = Object.freeze(cloneJsonRecord(state.runMetadata));
    this.reason = state.failureReason;
    if (state.ttlSeconds !== undefined) this.ttlSeconds = state.ttlSeconds;
    if (state.properties !== undefined) {
      const copy = cloneJsonRecord(state.properties);
      for (const key of Object.keys(this.properties)) delete this.properties[key];
      Object.assign(this.properties, copy);
    }
    if (from !== state.status) this.owner.onTrialStatusChange(this, from, state.status);
  }

  /** @internal A deep copy of the mutable state, which {@link restoreState} puts back. */
  captureState(): TrialState {
    return {
      status: this.currentStatus,
      times: { ...this.times },
      runMetadata: this.meta,
      failureReason: this.reason,
      ttlSeconds: this.ttlSeconds,
      properties: cloneJsonRecord(this.properties),
    };
  }

  /** A plain snapshot of the trial, as stores and reports see it. */
  toJSON(): TrialSnapshot {
    return {
      index: this.index,
      trialType: this.trialType,
      status: this.currentStatus,
      ...this.times,
      // Deep copies: a snapshot must not change when nested metadata or properties are mutated later.
      runMetadata: structuredClone(this.meta),
      failureReason: this.reason,
      ttlSeconds: this.ttlSeconds,
      properties: structuredClone(this.properties),
      arms: this.arms.map((a) => ({ name: a.name ?? "", parameters: a.parameters })),
      generatorRuns: this.runs.map((r) => ({
        generatorName: r.generatorName,
        generationStepIndex: r.generationStepIndex,
        armNames: r.arms.map((a) => a.name ?? ""),
        weights: [...r.weights],
        candidateMetadata: [...r.candidateMetadata],
        metadata: r.metadata,
        timeCreated: r.timeCreated,
      })),
    };
  }

  /** @internal Adds a generator run's arms, naming them `<index>_<k>` unless already named. */
  protected adoptGeneratorRun(run: GeneratorRun, firstArmNumber: number): void {
    run.arms.forEach((arm, k) => {
      this.owner.nameArm(arm, `${this.index}_${firstArmNumber + k}`);
    });
    this.runs.push(run);
    this.owner.onGeneratorRunAdded?.(this);
  }
}

/** A deep copy of JSON data; cheaper than structuredClone for the small records trials carry. */
function cloneJsonRecord(record: Readonly<Record<string, JsonValue>>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(record)) out[key] = cloneJson(record[key]!);
  return out;
}

function cloneJson(value: JsonValue): JsonValue {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(cloneJson);
  return cloneJsonRecord(value);
}

/** A plain, JSON-safe view of a trial. */
export interface TrialSnapshot extends TrialTimes {
  index: number;
  trialType: TrialType;
  status: TrialStatus;
  runMetadata: RunMetadata;
  failureReason: string | null;
  ttlSeconds: number | null;
  properties: Record<string, JsonValue>;
  arms: { name: string; parameters: Readonly<Record<string, JsonValue>> }[];
  generatorRuns: {
    generatorName: string;
    generationStepIndex: number | null;
    armNames: string[];
    weights: number[];
    candidateMetadata: (Readonly<Record<string, JsonValue>> | null)[];
    metadata: Readonly<Record<string, JsonValue>>;
    timeCreated: number;
  }[];
}
