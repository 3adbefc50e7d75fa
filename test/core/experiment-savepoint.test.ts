import { describe, expect, it } from "vitest";
import { Arm, Data, GeneratorRun, TrialStatus } from "../../src/core/index.js";
import { ExperimentError } from "../../src/errors.js";
import { catchError, makeExperiment, point, run } from "./helpers.js";

const row = (trialIndex: number, armName: string, mean: number) => ({
  trialIndex,
  armName,
  metricName: "m",
  mean,
  sem: null,
});

/** What a rollback must restore: trials, status indexes, step counters, arms and data. */
function stateOf(experiment: ReturnType<typeof makeExperiment>["experiment"]) {
  return {
    trials: [...experiment.trials.values()].map((t) => JSON.stringify(t.toJSON())),
    running: [...experiment.trialIndicesWithStatus(TrialStatus.RUNNING)],
    completed: [...experiment.trialIndicesWithStatus(TrialStatus.COMPLETED)],
    stepCounts: [TrialStatus.RUNNING, TrialStatus.COMPLETED, TrialStatus.CANDIDATE].map((s) =>
      experiment.countStepTrials(0, [s]),
    ),
    data: experiment.lookupData().rows,
    observations: experiment.numObservations,
    pending: experiment.hasPendingTrials,
  };
}

describe("Experiment.savepoint", () => {
  it("rolls back added trials, status changes, replaced data and arm names", async () => {
    const { experiment, clock } = makeExperiment();
    const t0 = experiment.newTrial({ generatorRun: run(point(1), 0) }).markRunning();
    experiment.attachData(Data.fromRows([row(0, "0_0", 5)]));
    const before = stateOf(experiment);

    const savepoint = experiment.savepoint();
    clock.advance(1000);
    t0.markCompleted();
    t0.updateRunMetadata({ job: 7 });
    experiment.attachData(Data.fromRows([row(0, "0_0", 6)]));
    const t1 = experiment.newTrial({ generatorRun: run(point(2), 0) }).markRunning();
    experiment.attachData(Data.fromRows([row(1, "1_0", 9)]));
    experiment.newBatchTrial({ generatorRuns: [GeneratorRun.manual([new Arm({ parameters: point(3) })])] });
    expect(stateOf(experiment)).not.toEqual(before);
    savepoint.rollback();

    expect(stateOf(experiment)).toEqual(before);
    expect(experiment.getArm("1_0")).toBeUndefined();
    expect(experiment.getArm("2_0")).toBeUndefined();
    expect(experiment.findArmBySignature(t1.arm.signature)).toBeUndefined();
    expect(experiment.getArm("0_0")).toBe(t0.arm);
    // The rolled-back index is free again, and the same parameters get the same fresh name.
    const again = experiment.newTrial({ generatorRun: run(point(2), 0) });
    expect([again.index, again.arm.name]).toEqual([1, "1_0"]);
  });

  it("keeps the changes on release, and allows one savepoint at a time", () => {
    const { experiment } = makeExperiment();
    const savepoint = experiment.savepoint();
    catchError(() => experiment.savepoint(), ExperimentError);
    experiment.newTrial({ generatorRun: run(point(1)) });
    savepoint.release();
    savepoint.rollback(); // ended: does nothing
    expect(experiment.numTrials).toBe(1);
    experiment.savepoint().rollback();
    expect(experiment.numTrials).toBe(1);
  });
});
