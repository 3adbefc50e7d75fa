import type { Experiment } from "../core/experiment.js";
import type { Parameterization } from "../core/parameter-type.js";
import { ALL_TRIAL_STATUSES, type TrialStatus } from "../core/trial-status.js";
import type { BestTrialTracker } from "./best-trial.js";

/** Fields of an {@link OptimizationResult}. */
export interface OptimizationResultInit {
  /** Number of trials of the experiment in each status, at the end of the run. */
  trialCountsByStatus: Readonly<Record<TrialStatus, number>>;
  /** Indices of the trials created by this run, ascending. */
  trialIndicesAdded: readonly number[];
  /** Indices of the trials this run deployed (new ones and earlier CANDIDATE trials), ascending. */
  trialIndicesRun: readonly number[];
  /** The run stopped launching trials because its timeout passed. */
  timedOut: boolean;
  /** The run was aborted (AbortSignal or `stop()`): it returned without waiting for running trials. */
  aborted: boolean;
  /** The generation strategy could produce no more trials (search space exhausted or strategy completed). */
  generationExhausted: boolean;
  /** Too many trials failed; the run ended with a FailureRateExceededError. */
  failureRateExceeded: boolean;
  /** The completion criterion (e.g. `totalTrials` reached) stopped the run. */
  completionCriterionMet: boolean;
  /**
   * Why the global stopping strategy ended the run (e.g. the best value stopped improving), or null when
   * it did not (no strategy, ignored for the run, or it never said stop).
   */
  globalStoppingReason: string | null;
  /** Single-objective problems: the trial with the best observed, feasible objective value, else null. */
  bestTrialIndex: number | null;
  /** Arm of that trial with the best value. */
  bestArmName: string | null;
  /** Parameters of that arm. */
  bestParameters: Parameterization | null;
  /** Its observed objective mean. */
  bestValue: number | null;
  /** Name of the single objective's metric, or null for multi-objective problems. */
  objectiveName: string | null;
  /** Wall time of the run (by the Scheduler's clock), in seconds. */
  durationSeconds: number;
}

/**
 * What a Scheduler run (`runNTrials`, `runAllTrials`, `runTrialsAndYieldResults`) returns: trial counts,
 * which trials it added, why it ended, and the best observed point for a single objective.
 */
export class OptimizationResult implements OptimizationResultInit {
  /** Number of trials of the experiment in each status, at the end of the run. */
  readonly trialCountsByStatus: Readonly<Record<TrialStatus, number>>;
  /** Indices of the trials created by this run, ascending. */
  readonly trialIndicesAdded: readonly number[];
  /** Indices of the trials this run deployed (new ones and earlier CANDIDATE trials), ascending. */
  readonly trialIndicesRun: readonly number[];
  /** The run stopped launching trials because its timeout passed. */
  readonly timedOut: boolean;
  /** The run was aborted (AbortSignal or `stop()`): it returned without waiting for running trials. */
  readonly aborted: boolean;
  /** The generation strategy could produce no more trials (search space exhausted or strategy completed). */
  readonly generationExhausted: boolean;
  /** Too many trials failed; the run ended with a FailureRateExceededError. */
  readonly failureRateExceeded: boolean;
  /** The completion criterion (e.g. `totalTrials` reached) stopped the run. */
  readonly completionCriterionMet: boolean;
  /** Why the global stopping strategy ended the run, or null when it did not. */
  readonly globalStoppingReason: string | null;
  /** Single-objective problems: the trial with the best observed, feasible objective value, else null. */
  readonly bestTrialIndex: number | null;
  /** Arm of that trial with the best value. */
  readonly bestArmName: string | null;
  /** Parameters of that arm. */
  readonly bestParameters: Parameterization | null;
  /** Its observed objective mean. */
  readonly bestValue: number | null;
  /** Name of the single objective's metric, or null for multi-objective problems. */
  readonly objectiveName: string | null;
  /** Wall time of the run (by the Scheduler's clock), in seconds. */
  readonly durationSeconds: number;

  constructor(init: OptimizationResultInit) {
    this.trialCountsByStatus = Object.freeze({ ...init.trialCountsByStatus });
    this.trialIndicesAdded = Object.freeze([...init.trialIndicesAdded]);
    this.trialIndicesRun = Object.freeze([...init.trialIndicesRun]);
    this.timedOut = init.timedOut;
    this.aborted = init.aborted;
    this.generationExhausted = init.generationExhausted;
    this.failureRateExceeded = init.failureRateExceeded;
    this.completionCriterionMet = init.completionCriterionMet;
    this.globalStoppingReason = init.globalStoppingReason;
    this.bestTrialIndex = init.bestTrialIndex;
    this.bestArmName = init.bestArmName;
    this.bestParameters = init.bestParameters;
    this.bestValue = init.bestValue;
    this.objectiveName = init.objectiveName;
    this.durationSeconds = init.durationSeconds;
  }

  /** Number of trials in the experiment at the end of the run. */
  get numTrials(): number {
    let n = 0;
    for (const c of Object.values(this.trialCountsByStatus)) n += c;
    return n;
  }

  /** Number of trials created by the run. */
  get numTrialsAdded(): number {
    return this.trialIndicesAdded.length;
  }
}

/** What {@link summarizeRun} reads of a run (the Scheduler's run state provides it). */
export interface RunRecord {
  readonly startMs: number;
  readonly added: readonly number[];
  readonly deployed: ReadonlySet<number>;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  readonly generationExhausted: boolean;
  readonly failureRateExceeded: boolean;
  readonly completionCriterionMet: boolean;
  readonly globalStoppingReason: string | null;
}

/**
 * The result of `run` (or of no run yet) as the experiment stands now; costs O(statuses) plus, the
 * first time, one scan of the COMPLETED trials for the best point.
 * @internal
 */
export function summarizeRun(
  experiment: Experiment,
  run: RunRecord | null,
  best: BestTrialTracker,
  endMs: number,
): OptimizationResult {
  const counts = Object.fromEntries(ALL_TRIAL_STATUSES.map((s) => [s, experiment.countTrialsWithStatus(s)]));
  const arm = best.best();
  return new OptimizationResult({
    trialCountsByStatus: counts as Record<TrialStatus, number>,
    trialIndicesAdded: run ? [...run.added].sort((a, b) => a - b) : [],
    trialIndicesRun: run ? [...run.deployed].sort((a, b) => a - b) : [],
    timedOut: run?.timedOut ?? false,
    aborted: run?.aborted ?? false,
    generationExhausted: run?.generationExhausted ?? false,
    failureRateExceeded: run?.failureRateExceeded ?? false,
    completionCriterionMet: run?.completionCriterionMet ?? false,
    globalStoppingReason: run?.globalStoppingReason ?? null,
    bestTrialIndex: arm?.trialIndex ?? null,
    bestArmName: arm?.armName ?? null,
    bestParameters: arm?.parameters ?? null,
    bestValue: arm?.value ?? null,
    objectiveName: best.objectiveName,
    durationSeconds: run ? (endMs - run.startMs) / 1000 : 0,
  });
}
