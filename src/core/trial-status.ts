import { TrialStatusError } from "../errors.js";

/**
 * Lifecycle of a trial: `CANDIDATE -> STAGED -> RUNNING -> COMPLETED | FAILED | ABANDONED | EARLY_STOPPED`.
 * Both `TrialStatus.COMPLETED` and the string `"COMPLETED"` work.
 */
export const TrialStatus = {
  CANDIDATE: "CANDIDATE",
  STAGED: "STAGED",
  RUNNING: "RUNNING",
  COMPLETED: "COMPLETED",
  FAILED: "FAILED",
  ABANDONED: "ABANDONED",
  EARLY_STOPPED: "EARLY_STOPPED",
} as const;
export type TrialStatus = (typeof TrialStatus)[keyof typeof TrialStatus];

/** All statuses, in lifecycle order. */
export const ALL_TRIAL_STATUSES: readonly TrialStatus[] = Object.values(TrialStatus);

/**
 * The only legal status changes. A trial can be abandoned or failed at any point before it ends;
 * a RUNNING trial can end in any terminal status. Terminal statuses are final.
 */
const TRANSITIONS: Readonly<Record<TrialStatus, readonly TrialStatus[]>> = {
  CANDIDATE: ["STAGED", "RUNNING", "FAILED", "ABANDONED"],
  STAGED: ["RUNNING", "FAILED", "ABANDONED"],
  RUNNING: ["COMPLETED", "FAILED", "ABANDONED", "EARLY_STOPPED"],
  COMPLETED: [],
  FAILED: [],
  ABANDONED: [],
  EARLY_STOPPED: [],
};

/** Whether a trial may go from `from` to `to`. */
export function canTransition(from: TrialStatus, to: TrialStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** @throws TrialStatusError when the transition is illegal. */
export function assertTransition(trialIndex: number, from: TrialStatus, to: TrialStatus): void {
  if (!canTransition(from, to)) {
    const allowed = TRANSITIONS[from];
    throw new TrialStatusError(
      `Trial ${trialIndex} cannot go from ${from} to ${to}: ${
        allowed.length ? `from ${from} it can only go to ${allowed.join(", ")}` : `${from} is final`
      }.`,
      { trialIndex, from, to },
    );
  }
}

/** Whether `value` is a TrialStatus string. */
export function isTrialStatus(value: unknown): value is TrialStatus {
  return typeof value === "string" && Object.hasOwn(TRANSITIONS, value);
}

/** Whether the status is final (COMPLETED, FAILED, ABANDONED, EARLY_STOPPED). */
export function isTerminalStatus(status: TrialStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** Statuses whose trials occupy the external system or are about to (pending points for generation). */
export function isPendingStatus(status: TrialStatus): boolean {
  return status === "CANDIDATE" || status === "STAGED" || status === "RUNNING";
}

/** Statuses whose trials may have data to fetch. */
export function expectsData(status: TrialStatus): boolean {
  return status === "RUNNING" || status === "COMPLETED" || status === "EARLY_STOPPED";
}
