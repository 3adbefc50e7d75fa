import { describe, expect, it } from "vitest";
import {
  ALL_TRIAL_STATUSES,
  canTransition,
  expectsData,
  isPendingStatus,
  isTerminalStatus,
  isTrialStatus,
  TrialStatus,
} from "../../src/core/index.js";
import { TrialStatusError } from "../../src/errors.js";
import { catchError, makeExperiment, point, run } from "./helpers.js";

/** The lifecycle, written out independently of the implementation's table. */
const LEGAL = new Set([
  "CANDIDATE>STAGED",
  "CANDIDATE>RUNNING",
  "CANDIDATE>FAILED",
  "CANDIDATE>ABANDONED",
  "STAGED>RUNNING",
  "STAGED>FAILED",
  "STAGED>ABANDONED",
  "RUNNING>COMPLETED",
  "RUNNING>FAILED",
  "RUNNING>ABANDONED",
  "RUNNING>EARLY_STOPPED",
]);

/** A shortest legal path from CANDIDATE to each status. */
const PATH: Record<TrialStatus, TrialStatus[]> = {
  CANDIDATE: [],
  STAGED: ["STAGED"],
  RUNNING: ["RUNNING"],
  COMPLETED: ["RUNNING", "COMPLETED"],
  FAILED: ["FAILED"],
  ABANDONED: ["ABANDONED"],
  EARLY_STOPPED: ["RUNNING", "EARLY_STOPPED"],
};

const PAIRS = ALL_TRIAL_STATUSES.flatMap((from) => ALL_TRIAL_STATUSES.map((to) => [from, to] as const));

describe("TrialStatus", () => {
  it("lists the seven statuses in lifecycle order, as readable strings", () => {
    expect(ALL_TRIAL_STATUSES).toEqual([
      "CANDIDATE",
      "STAGED",
      "RUNNING",
      "COMPLETED",
      "FAILED",
      "ABANDONED",
      "EARLY_STOPPED",
    ]);
    expect(TrialStatus.EARLY_STOPPED).toBe("EARLY_STOPPED");
  });

  it.each(PAIRS)("canTransition(%s, %s) follows the lifecycle", (from, to) => {
    expect(canTransition(from, to)).toBe(LEGAL.has(`${from}>${to}`));
  });

  it("classifies statuses", () => {
    expect(ALL_TRIAL_STATUSES.filter(isTerminalStatus)).toEqual([
      "COMPLETED",
      "FAILED",
      "ABANDONED",
      "EARLY_STOPPED",
    ]);
    expect(ALL_TRIAL_STATUSES.filter(isPendingStatus)).toEqual(["CANDIDATE", "STAGED", "RUNNING"]);
    expect(ALL_TRIAL_STATUSES.filter(expectsData)).toEqual(["RUNNING", "COMPLETED", "EARLY_STOPPED"]);
    expect(isTrialStatus("RUNNING")).toBe(true);
    expect(isTrialStatus("running")).toBe(false);
    expect(isTrialStatus("toString")).toBe(false);
    expect(isTrialStatus(3)).toBe(false);
  });
});

describe("trial transitions through markAs", () => {
  it.each(PAIRS)("%s -> %s succeeds exactly when legal", (from, to) => {
    const { experiment } = makeExperiment();
    const trial = experiment.newTrial({ generatorRun: run(point(1)) });
    for (const s of PATH[from]) trial.markAs(s);
    expect(trial.status).toBe(from);
    if (LEGAL.has(`${from}>${to}`)) {
      expect(trial.markAs(to)).toBe(trial);
      expect(trial.status).toBe(to);
      expect(experiment.trialIndicesWithStatus(to).has(trial.index)).toBe(true);
      expect(experiment.trialIndicesWithStatus(from).has(trial.index)).toBe(false);
    } else {
      const e = catchError(() => trial.markAs(to), TrialStatusError);
      expect([e.trialIndex, e.from, e.to]).toEqual([0, from, to]);
      expect(e.message).toContain(`Trial 0 cannot go from ${from} to ${to}`);
      expect(e.message).toContain(
        isTerminalStatus(from) ? `${from} is final` : `from ${from} it can only go to`,
      );
      expect(trial.status).toBe(from);
      expect(experiment.trialIndicesWithStatus(from).has(trial.index)).toBe(true);
    }
  });

  it("names the trial index in the error", () => {
    const { experiment } = makeExperiment();
    experiment.newTrial();
    experiment.newTrial();
    const t = experiment.newTrial();
    t.markRunning().markCompleted();
    const e = catchError(() => t.markRunning(), TrialStatusError);
    expect(e.trialIndex).toBe(2);
    expect(e.message).toBe("Trial 2 cannot go from COMPLETED to RUNNING: COMPLETED is final.");
  });

  it("lists the allowed targets in the error", () => {
    const { experiment } = makeExperiment();
    const t = experiment.newTrial().markStaged();
    const e = catchError(() => t.markCompleted(), TrialStatusError);
    expect(e.message).toBe(
      "Trial 0 cannot go from STAGED to COMPLETED: from STAGED it can only go to RUNNING, FAILED, ABANDONED.",
    );
  });
});
