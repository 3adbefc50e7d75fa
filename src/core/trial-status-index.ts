import type { BaseTrial } from "./base-trial.js";
import { ALL_TRIAL_STATUSES, isPendingStatus, type TrialStatus } from "./trial-status.js";

/**
 * Trial indices by status, and trial counts by (generation step, status), kept current as trials change,
 * so "which trials are running" costs the number of running trials, not the size of the experiment.
 * @internal
 */
export class TrialStatusIndex {
  private readonly byStatus = new Map<TrialStatus, Set<number>>(
    ALL_TRIAL_STATUSES.map((s) => [s, new Set()]),
  );
  private readonly stepStatusCounts = new Map<string, number>();

  /** Counts a trial under its current status (and its step's). */
  add(trial: BaseTrial): void {
    this.byStatus.get(trial.status)!.add(trial.index);
    this.bumpStep(trial, trial.status, 1);
  }

  /** Forgets a trial counted by {@link add}, under its current status. */
  remove(trial: BaseTrial): void {
    this.byStatus.get(trial.status)!.delete(trial.index);
    this.bumpStep(trial, trial.status, -1);
  }

  /** Moves a counted trial from one status to another. */
  move(trial: BaseTrial, from: TrialStatus, to: TrialStatus): void {
    this.byStatus.get(from)!.delete(trial.index);
    this.byStatus.get(to)!.add(trial.index);
    this.bumpStep(trial, from, -1);
    this.bumpStep(trial, to, 1);
  }

  /** A counted trial just got its first generator run, which decides its step. */
  firstRunAdded(trial: BaseTrial): void {
    this.bumpStep(trial, trial.status, 1);
  }

  /** Indices of trials in `status` (a live view). */
  indices(status: TrialStatus): ReadonlySet<number> {
    return this.byStatus.get(status)!;
  }

  /** Number of trials of generation step `stepIndex` in one of `statuses`. */
  countStep(stepIndex: number, statuses: readonly TrialStatus[]): number {
    let n = 0;
    for (const s of statuses) n += this.stepStatusCounts.get(`${stepIndex}|${s}`) ?? 0;
    return n;
  }

  /** Whether any trial is CANDIDATE, STAGED or RUNNING. */
  get hasPending(): boolean {
    return ALL_TRIAL_STATUSES.some((s) => isPendingStatus(s) && this.byStatus.get(s)!.size > 0);
  }

  private bumpStep(trial: BaseTrial, status: TrialStatus, delta: number): void {
    const step = trial.generatorRuns[0]?.generationStepIndex;
    if (step === null || step === undefined) return;
    const key = `${step}|${status}`;
    this.stepStatusCounts.set(key, (this.stepStatusCounts.get(key) ?? 0) + delta);
  }
}
