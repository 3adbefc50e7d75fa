import { describe, expect, it } from "vitest";
import {
  Arm,
  Experiment,
  ParameterType,
  RangeParameter,
  SearchSpace,
  type TrialSnapshot,
} from "../../../src/core/index.js";
import { StoredTrialOutsideSearchSpaceError } from "../../../src/errors.js";
import { decodeExperiment, encodeExperiment } from "../../../src/storage/codec/index.js";
import { makeExperiment, point, run } from "../../core/helpers.js";

/** A definition of the same experiment whose x1 range ends at `upper` (makeSpace's is [0, 10]). */
function definitionWithUpper(upper: number, immutable: boolean) {
  const { experiment } = makeExperiment();
  const params = [...experiment.searchSpace.parameters.values()].map((p) =>
    p.name === "x1"
      ? new RangeParameter({ name: "x1", parameterType: ParameterType.FLOAT, lower: 0, upper })
      : p,
  );
  const other = new Experiment({ name: "exp", searchSpace: new SearchSpace({ parameters: params }) });
  other.immutableSearchSpaceAndOptConfig = immutable;
  return JSON.parse(JSON.stringify(encodeExperiment(other)));
}

function storedTrials(): TrialSnapshot[] {
  const { experiment } = makeExperiment();
  experiment.newTrial({ generatorRun: run(point(2)) });
  experiment.newTrial({ generatorRun: run(point(8.5)) });
  return [...experiment.trials.values()].map((t) => t.toJSON());
}

describe("decodeExperiment and trials outside the stored search space", () => {
  it("refuses a frozen experiment whose stored trial is outside its search space, naming trial and arm", () => {
    let thrown: unknown;
    try {
      decodeExperiment(definitionWithUpper(5, true), { trials: storedTrials() });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StoredTrialOutsideSearchSpaceError);
    const error = thrown as StoredTrialOutsideSearchSpaceError;
    expect(error.trialIndex).toBe(1);
    expect(error.armName).toBe("1_0");
    expect(error.experimentName).toBe("exp");
    expect(error.message).toMatch(/x1.*8\.5/);
  });

  it("loads a frozen experiment whose trials fit", () => {
    const loaded = decodeExperiment(definitionWithUpper(9, true), { trials: storedTrials() });
    expect(loaded.numTrials).toBe(2);
  });

  it("loads a mutable experiment whose search space was narrowed after its trials ran, as Ax allows", () => {
    const loaded = decodeExperiment(definitionWithUpper(5, false), { trials: storedTrials() });
    expect(loaded.getTrial(1).arms[0]?.parameters.x1).toBe(8.5);
  });

  it("loads a frozen experiment with a trial of its status quo, which may lie outside the search space", () => {
    const { experiment } = makeExperiment({ statusQuo: new Arm({ parameters: point(12) }) });
    experiment.immutableSearchSpaceAndOptConfig = true;
    experiment.newBatchTrial({ generatorRuns: [run(point(2))] }).setStatusQuoWithWeight(experiment.statusQuo);
    const trials = [...experiment.trials.values()].map((t) => t.toJSON());
    expect(trials[0]?.arms.map((arm) => arm.name)).toEqual(["0_0", "status_quo"]);
    const loaded = decodeExperiment(JSON.parse(JSON.stringify(encodeExperiment(experiment))), { trials });
    expect(loaded.getTrial(0).arms[1]?.parameters.x1).toBe(12);
  });
});
