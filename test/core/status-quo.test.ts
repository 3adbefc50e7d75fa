import { describe, expect, it } from "vitest";
import { Arm, GeneratorRun, TrialStatus } from "../../src/core/index.js";
import { ExperimentError } from "../../src/errors.js";
import { decodeExperiment, decodeTrialSnapshot } from "../../src/storage/codec/index.js";
import { trialRows, viaJson } from "../storage/codec/fixtures.js";
import { catchError, makeExperiment, point } from "./helpers.js";

const batchOf = (...xs: number[]) =>
  GeneratorRun.manual(
    xs.map((x) => new Arm({ parameters: point(x) })),
    xs.map(() => 1),
  );

describe("Experiment.statusQuo", () => {
  it("names the arm status_quo, and gives that name to trials with the same parameters", () => {
    const { experiment } = makeExperiment({ statusQuo: new Arm({ parameters: point(12) }) });
    // Outside the searched range of x1 ([0, 10]): the status quo is the current setting, not a candidate.
    expect(experiment.statusQuo?.name).toBe("status_quo");
    expect(experiment.getArm("status_quo")).toBe(experiment.statusQuo);
    const { experiment: other } = makeExperiment({ statusQuo: new Arm({ parameters: point(3) }) });
    const trial = other.newTrial({ generatorRun: GeneratorRun.manual([new Arm({ parameters: point(3) })]) });
    expect(trial.arm.name).toBe("status_quo");
  });

  it.each([
    [{ x1: 1, x2: 1, n: 1 }, 'no value for parameter "c"'],
    [{ ...point(1), extra: 2 }, 'names parameter "extra"'],
    [{ ...point(1), n: 1.5 }, 'parameter "n" the value 1.5, which is not of type INT'],
    [{ ...point(1), c: 3 }, 'parameter "c" the value 3, which is not of type STRING'],
  ])("refuses %j", (parameters, fragment) => {
    const { experiment } = makeExperiment();
    const e = catchError(() => {
      experiment.statusQuo = new Arm({ parameters });
    }, ExperimentError);
    expect(e.message).toContain(fragment);
    expect(experiment.statusQuo).toBeNull();
  });
});

describe("BatchTrial.setStatusQuoWithWeight", () => {
  it("adds the status-quo arm with its weight, replaces it, and keeps it out of the arm numbering", () => {
    const { experiment } = makeExperiment({ statusQuo: new Arm({ parameters: point(9) }) });
    const batch = experiment.newBatchTrial({ generatorRuns: [batchOf(1, 2)] });
    expect(batch.statusQuo).toBeNull();
    expect(batch.statusQuoWeight).toBeNull();
    batch.setStatusQuoWithWeight(experiment.statusQuo, 0.5);
    batch.addGeneratorRun(batchOf(3));
    expect(batch.armWeights.map(({ arm, weight }) => [arm.name, weight])).toEqual([
      ["0_0", 1],
      ["0_1", 1],
      ["0_2", 1],
      ["status_quo", 0.5],
    ]);
    batch.setStatusQuoWithWeight(new Arm({ parameters: point(9) }), 2);
    expect([batch.statusQuo?.name, batch.statusQuoWeight, batch.arms.length]).toEqual(["status_quo", 2, 4]);
    batch.setStatusQuoWithWeight(null);
    expect([batch.statusQuo, batch.arms.length]).toEqual([null, 3]);
    catchError(() => batch.setStatusQuoWithWeight(experiment.statusQuo, 0), ExperimentError);
    batch.setStatusQuoWithWeight(experiment.statusQuo, 3).markRunning();
    catchError(() => batch.setStatusQuoWithWeight(experiment.statusQuo, 1), ExperimentError);
    expect(batch.status).toBe(TrialStatus.RUNNING);
  });

  it("survives the codec: the experiment's status quo and the batch's weight come back", () => {
    const { experiment } = makeExperiment({ statusQuo: new Arm({ parameters: point(11, 2, 3, "b") }) });
    const batch = experiment.newBatchTrial({ generatorRuns: [batchOf(1, 2)] });
    batch.setStatusQuoWithWeight(experiment.statusQuo, 0.25);
    const copy = decodeExperiment(viaJson(experiment), {
      trials: trialRows(experiment).map(decodeTrialSnapshot),
    });
    expect(copy.statusQuo?.name).toBe("status_quo");
    expect(copy.statusQuo?.parameters).toEqual(point(11, 2, 3, "b"));
    const restored = copy.getTrial(0) as typeof batch;
    expect([restored.statusQuo?.name, restored.statusQuoWeight]).toEqual(["status_quo", 0.25]);
    expect(restored.armWeights.map(({ arm, weight }) => [arm.name, weight])).toEqual(
      batch.armWeights.map(({ arm, weight }) => [arm.name, weight]),
    );
  });

  it("encodes an experiment without a status quo exactly as before (no statusQuo key)", () => {
    const { experiment } = makeExperiment();
    expect(Object.keys(viaJson(experiment) as object)).not.toContain("statusQuo");
  });
});
