import { describe, expect, it } from "vitest";
import type { MetricDataset } from "../../../src/adapter/metric-datasets.js";
import type { JsonValue } from "../../../src/core/json.js";
import { GenerationStrategyError } from "../../../src/errors.js";
import { DEFAULT_BOTORCH_OPTIONS, parseBoTorchOptions } from "../../../src/generation/bo/botorch-options.js";
import { sampleSingleObjectiveFits } from "../../../src/generation/bo/hyperparameter-ensemble.js";
import { MetricModelFitter } from "../../../src/generation/bo/metric-models.js";
import { SingleObjectiveProposer } from "../../../src/generation/bo/single-objective.js";
import { EnsembleAcquisition } from "../../../src/numerics/acquisition/index.js";
import { Rng } from "../../../src/util/rng.js";

/** n noiseless observations of a function of two inputs on the unit square, under a metric name. */
function dataset(name: string, n: number, f: (a: number, b: number) => number): MetricDataset {
  const rng = new Rng(13);
  const X = Float64Array.from({ length: 2 * n }, () => rng.next());
  const Y = Float64Array.from({ length: n }, (_, i) => f(X[2 * i]!, X[2 * i + 1]!));
  const keys = Array.from({ length: n }, (_, i) => `${i}:${i}_0`);
  return { metricName: name, X, Y, Yvar: new Float64Array(n), n, d: 2, sign: 1, noiseless: true, keys };
}

describe("parseBoTorchOptions: hyperparameterSamples", () => {
  it("accepts 0 (the default) and 2..64", () => {
    expect(DEFAULT_BOTORCH_OPTIONS.hyperparameterSamples).toBe(0);
    for (const k of [0, 2, 8, 64])
      expect(parseBoTorchOptions({ hyperparameterSamples: k })).toEqual({ hyperparameterSamples: k });
  });

  it("refuses 1, more than 64, non-integers and non-numbers, naming the option and the accepted values", () => {
    const bads: JsonValue[] = [1, 65, -2, 2.5, "8", null, true];
    for (const bad of bads) {
      expect(() => parseBoTorchOptions({ hyperparameterSamples: bad })).toThrow(GenerationStrategyError);
      expect(() => parseBoTorchOptions({ hyperparameterSamples: bad })).toThrow(
        /hyperparameterSamples.*from 2 to 64/,
      );
    }
  });
});

describe("sampleSingleObjectiveFits", () => {
  const objective = dataset("f", 15, (a, b) => Math.sin(5 * a) + b);
  const constraint = dataset("c", 15, (a, b) => a + b - 1);
  const fitter = new MetricModelFitter();
  const map = {
    objective,
    objectiveModel: fitter.fit(objective, 0),
    constraints: [{ dataset: constraint, model: fitter.fit(constraint, 1), op: "LEQ" as const, bound: 0 }],
  };
  const options = { count: 3, prior: "lognormal" as const, seedFor: (salt: number) => salt * 31 + 1 };
  const fits = sampleSingleObjectiveFits(map, options);

  it("builds one fit per draw, each with its own objective and constraint models on the same data", () => {
    expect(fits).toHaveLength(3);
    const objectiveLengthscales = new Set(
      fits.map((f) => f.objectiveModel.hyperparameters.lengthscales.join()),
    );
    const constraintLengthscales = new Set(
      fits.map((f) => f.constraints[0]!.model.hyperparameters.lengthscales.join()),
    );
    expect(objectiveLengthscales.size).toBe(3);
    expect(constraintLengthscales.size).toBe(3);
    for (const f of fits) {
      expect(f.objective).toBe(objective);
      expect(f.objectiveModel.n).toBe(objective.n);
      expect(f.constraints[0]).toMatchObject({ dataset: constraint, op: "LEQ", bound: 0 });
    }
    // The MAP fit is left as it was.
    expect(map.objectiveModel.hyperparameters).toEqual(fitter.hyperparameters.get("f"));
  });

  it("is seeded: the same seeds give the same draws", () => {
    const again = sampleSingleObjectiveFits(map, options);
    expect(again.map((f) => f.objectiveModel.hyperparameters)).toEqual(
      fits.map((f) => f.objectiveModel.hyperparameters),
    );
  });

  it("makes the proposer's acquisition the ensemble of the draws, while predictions stay the MAP model's", () => {
    const proposer = new SingleObjectiveProposer({ ...map, sampledFits: fits }, false, 5);
    const acquisition = proposer.acquisition(0, new Float64Array(0));
    expect(acquisition).toBeInstanceOf(EnsembleAcquisition);
    expect((acquisition as EnsembleAcquisition).members).toHaveLength(3);
    expect(proposer.runMetadata()).toMatchObject({ hyperparameterSamples: 3 });
    const x = Float64Array.of(0.3, 0.2);
    const plain = new SingleObjectiveProposer(map, false, 5);
    const described = proposer.describe(0, x, acquisition);
    const mapDescribed = plain.describe(0, x, plain.acquisition(0, new Float64Array(0)));
    expect(described.predictedMean).toBe(mapDescribed.predictedMean);
    expect(described.acquisitionValue).not.toBe(mapDescribed.acquisitionValue);
  });
});
