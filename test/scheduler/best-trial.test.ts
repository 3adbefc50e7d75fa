import { describe, expect, it } from "vitest";
import { Arm } from "../../src/core/index.js";
import { BestTrialTracker } from "../../src/scheduler/best-trial.js";
import { ComparisonOp, completed, makeExperiment } from "../reporting/helpers.js";

describe("BestTrialTracker", () => {
  it("keeps the best feasible arm as trials complete, with absolute constraints", () => {
    const experiment = makeExperiment({
      constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 2.5 }],
    });
    const tracker = new BestTrialTracker(experiment);
    completed(experiment, 1, { obj: 5, cost: 1 });
    expect(tracker.best()?.value).toBe(5);
    tracker.onTrialCompleted(completed(experiment, 3, { obj: 1, cost: 3 })); // infeasible
    expect(tracker.best()?.value).toBe(5);
    tracker.onTrialCompleted(completed(experiment, 2, { obj: 4, cost: 2 }));
    expect(tracker.best()).toMatchObject({ value: 4, parameters: { x: 2 } });
  });

  it("judges relative constraints against the status quo once it is observed, re-judging earlier trials", () => {
    const experiment = makeExperiment({
      constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 10, relative: true }],
    });
    experiment.statusQuo = new Arm({ parameters: { x: 2, kind: "a" } });
    const tracker = new BestTrialTracker(experiment);
    completed(experiment, 1, { obj: 5, cost: 1 });
    tracker.onTrialCompleted(completed(experiment, 3, { obj: 1, cost: 3 }));
    // No status-quo observation yet: the relative bound cannot be judged.
    expect(tracker.best()?.value).toBe(1);
    // The status quo costs 2, so the bound is 2.2: the trial at x = 3 (cost 3) is no longer feasible.
    tracker.onTrialCompleted(completed(experiment, 2, { obj: 4, cost: 2 }));
    expect(tracker.best()).toMatchObject({ value: 4, armName: "status_quo" });
  });
});
