import { describe, expect, it } from "vitest";
import {
  Arm,
  BatchTrial,
  Experiment,
  GeneratorRun,
  type Trial,
  type TrialSnapshot,
  TrialStatus,
} from "../../../src/core/index.js";
import { ExperimentError } from "../../../src/errors.js";
import { FakeClock } from "../../../src/util/clock.js";
import { catchError } from "../../core/helpers.js";
import { richExperiment, richSearchSpace, T0 } from "./fixtures.js";

function emptyCopy(): Experiment {
  return new Experiment({ name: "copy", searchSpace: richSearchSpace(), clock: new FakeClock(T0 + 1e6) });
}

function expectSameCounters(a: Experiment, b: Experiment): void {
  for (const s of Object.values(TrialStatus)) {
    expect([s, [...b.trialIndicesWithStatus(s)].sort()]).toEqual([
      s,
      [...a.trialIndicesWithStatus(s)].sort(),
    ]);
    for (const step of [0, 1, 2, 3]) expect(b.countStepTrials(step, [s])).toBe(a.countStepTrials(step, [s]));
  }
  expect(b.hasPendingTrials).toBe(a.hasPendingTrials);
}

describe("Experiment.restoreTrial", () => {
  it("rebuilds every trial so that toJSON() deep-equals the snapshot it came from", () => {
    const { experiment } = richExperiment();
    const copy = emptyCopy();
    for (const trial of experiment.trials.values()) {
      const snapshot = trial.toJSON();
      const restored = copy.restoreTrial(snapshot);
      expect(restored.toJSON()).toEqual(snapshot);
      expect(restored.constructor).toBe(trial.constructor);
    }
    expectSameCounters(experiment, copy);
    expect(copy.getArm("status_quo")?.parameters).toEqual(experiment.getArm("status_quo")?.parameters);
  });

  it("keeps stored arm names, timestamps and generator-run times instead of the clock's", () => {
    const { experiment } = richExperiment();
    const copy = emptyCopy();
    for (const t of experiment.trials.values()) copy.restoreTrial(t.toJSON());
    const batch = copy.getTrial(7) as BatchTrial;
    expect(batch.generatorRuns.map((r) => r.timeCreated)).toEqual([T0 + 5, T0 + 6]);
    expect(batch.timeCreated).toBe(experiment.getTrial(7).timeCreated);
    expect(batch.timeCompleted).toBe(experiment.getTrial(7).timeCompleted);
    expect((copy.getTrial(10) as Trial).arm.name).toBe("0_0");
  });

  it("refreshes an existing trial's mutable state and keeps the counters right", () => {
    const { experiment } = richExperiment();
    const copy = emptyCopy();
    for (const t of experiment.trials.values()) copy.restoreTrial(t.toJSON());
    const before = copy.getTrial(4);
    // Another process completes trial 4 (RUNNING, step 1) and changes its metadata.
    const live = experiment.getTrial(4);
    live.updateRunMetadata({ finished: true });
    live.properties.checked = "yes";
    live.ttlSeconds = 10;
    live.markCompleted();
    const refreshed = copy.restoreTrial(live.toJSON());
    expect(refreshed).toBe(before);
    expect(refreshed.toJSON()).toEqual(live.toJSON());
    expectSameCounters(experiment, copy);
  });

  it("adds generator runs that a CANDIDATE batch gained elsewhere", () => {
    const { experiment } = richExperiment();
    const copy = emptyCopy();
    for (const t of experiment.trials.values()) copy.restoreTrial(t.toJSON());
    const live = experiment.getTrial(8) as BatchTrial;
    live.addGeneratorRun(
      new GeneratorRun({
        arms: [new Arm({ parameters: experiment.getTrial(1).arms[0]!.parameters })],
        generatorName: "BO",
        generationStepIndex: 3,
        timeCreated: T0 + 77,
      }),
    );
    live.markRunning();
    const refreshed = copy.restoreTrial(live.toJSON()) as BatchTrial;
    expect(refreshed.toJSON()).toEqual(live.toJSON());
    expect(refreshed.arms.map((a) => a.name)).toEqual(["8_0", "1_0"]);
    expectSameCounters(experiment, copy);
  });

  it("gives an empty CANDIDATE trial the arm it got elsewhere", () => {
    const { experiment } = richExperiment();
    const copy = emptyCopy();
    for (const t of experiment.trials.values()) copy.restoreTrial(t.toJSON());
    const live = experiment.getTrial(9) as Trial;
    live.addGeneratorRun(
      GeneratorRun.manual(
        [new Arm({ parameters: experiment.getTrial(2).arms[0]!.parameters })],
        undefined,
        5,
      ),
    );
    expect(copy.restoreTrial(live.toJSON()).toJSON()).toEqual(live.toJSON());
  });

  it("refuses a gap in the indices, naming the missing trials", () => {
    const { experiment } = richExperiment();
    const copy = emptyCopy();
    copy.restoreTrial(experiment.getTrial(0).toJSON());
    const e = catchError(() => copy.restoreTrial(experiment.getTrial(3).toJSON()), ExperimentError);
    expect(e.message).toBe(
      'Cannot restore trial 3 of experiment "copy": it has 1 trials, so trials 1..2 are missing. Restore trials in index order.',
    );
    expect(e.trialIndex).toBe(3);
    expect(copy.numTrials).toBe(1);
  });

  it("refuses a snapshot of another trial type for an existing index", () => {
    const { experiment } = richExperiment();
    const copy = emptyCopy();
    copy.restoreTrial(experiment.getTrial(0).toJSON());
    const asBatch: TrialSnapshot = { ...experiment.getTrial(0).toJSON(), trialType: "BatchTrial" };
    expect(catchError(() => copy.restoreTrial(asBatch), ExperimentError).message).toContain(
      "it is a Trial, the snapshot a BatchTrial",
    );
  });

  it("refuses an arm name already used by other parameters, leaving the experiment unchanged", () => {
    const { experiment } = richExperiment();
    const copy = emptyCopy();
    copy.restoreTrial(experiment.getTrial(0).toJSON());
    const clash = experiment.getTrial(7).toJSON();
    clash.index = 1;
    clash.arms[1]!.name = "0_0";
    clash.generatorRuns[0]!.armNames[1] = "0_0";
    expect(catchError(() => copy.restoreTrial(clash), ExperimentError).message).toContain('Arm name "0_0"');
    expect(copy.numTrials).toBe(1);
    expect(copy.getArm("7_0")).toBeUndefined();
  });

  it("refuses generator runs naming arms the snapshot does not have", () => {
    const { experiment } = richExperiment();
    const bad = experiment.getTrial(0).toJSON();
    bad.generatorRuns[0]!.armNames = ["nope"];
    expect(catchError(() => emptyCopy().restoreTrial(bad), ExperimentError).message).toContain(
      'names arm "nope"',
    );
  });

  it("lets a restored trial continue its lifecycle with transition checks", () => {
    const { experiment } = richExperiment();
    const copy = emptyCopy();
    for (const t of experiment.trials.values()) copy.restoreTrial(t.toJSON());
    const running = copy.getTrial(4);
    expect(running.status).toBe("RUNNING");
    running.markCompleted();
    expect(running.timeCompleted).toBe(T0 + 1e6);
    expect(() => copy.getTrial(0).markRunning()).toThrow();
    expect(copy.getTrial(0)).not.toBeInstanceOf(BatchTrial);
  });
});
