import { describe, expect, it } from "vitest";
import { SearchSpaceEncoding } from "../../src/adapter/search-space-encoding.js";
import {
  boTorchHyperparameters,
  fitMetricModels,
  GenerationStep,
  GenerationStrategy,
  Generators,
  MetricModelFitter,
  predictMetric,
} from "../../src/generation/index.js";
import { modelBestPoint } from "../../src/reporting/index.js";
import { Rng } from "../../src/util/rng.js";
import { ComparisonOp, completed, makeExperiment } from "./helpers.js";

/** 21 noisy observations of a bowl with its minimum at x = 3 (sem unknown), and a cost = x. */
function bowlExperiment(outlier?: number) {
  const experiment = makeExperiment({ constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 8 }] });
  const rng = new Rng(5);
  for (let i = 0; i <= 20; i++) {
    const x = i / 2;
    const obj = i === 10 && outlier !== undefined ? outlier : ((x - 3) / 3) ** 2 + 0.1 * rng.normal();
    completed(experiment, x, { obj, cost: x });
  }
  return experiment;
}

describe("one model-fitting path for generation and reports", () => {
  it("judges the best arm by the models fitMetricModels fits", () => {
    const experiment = bowlExperiment();
    const best = modelBestPoint(experiment)!;
    const models = fitMetricModels(experiment);
    expect([...models.keys()]).toEqual(["obj", "cost"]);
    const x = new SearchSpaceEncoding(experiment.searchSpace).encode(best.parameters);
    for (const name of ["obj", "cost"]) {
      const p = predictMetric(models.get(name)!, x, 1);
      expect(best.predictions[name]!.mean).toBe(p.mean[0]);
      expect(best.predictions[name]!.sem).toBe(Math.sqrt(p.variance[0]!));
    }
  });

  it("starts each fit from the given warm start, and leaves the caller's hyperparameters alone", () => {
    const experiment = bowlExperiment();
    const trained = new MetricModelFitter();
    fitMetricModels(experiment, { fitter: trained });
    // Hyperparameters far from the optimum: a warm fit (one local run) ends elsewhere than a cold one.
    const warmStart = new Map(
      [...trained.hyperparameters].map(([name, h]) => [
        name,
        { ...h, lengthscales: h.lengthscales.map(() => 50) },
      ]),
    );
    const before = JSON.stringify([...warmStart]);
    const warm = modelBestPoint(experiment, { warmStart })!;
    expect(JSON.stringify([...warmStart])).toBe(before);
    const expected = fitMetricModels(experiment, {
      fitter: new MetricModelFitter({ hyperparameters: new Map(warmStart) }),
    });
    const x = new SearchSpaceEncoding(experiment.searchSpace).encode(warm.parameters);
    expect(warm.predictions.obj!.mean).toBe(predictMetric(expected.get("obj")!, x, 1).mean[0]);
  });

  it("never predicts a non-finite value, whatever was observed", () => {
    for (const outlier of [1e160, 1e308, -1e308]) {
      const best = modelBestPoint(bowlExperiment(outlier));
      expect(best, String(outlier)).not.toBeNull();
      for (const p of Object.values(best!.predictions)) {
        expect(Number.isFinite(p.mean), String(outlier)).toBe(true);
        expect(Number.isFinite(p.sem), String(outlier)).toBe(true);
      }
    }
  });

  it("reads the BoTorch step's hyperparameters from a strategy, empty before its first fit", async () => {
    const experiment = bowlExperiment();
    const strategy = new GenerationStrategy({
      steps: [new GenerationStep({ generator: Generators.BOTORCH, numTrials: -1 })],
    });
    expect(boTorchHyperparameters(strategy).size).toBe(0);
    await strategy.gen({ experiment });
    const warm = boTorchHyperparameters(strategy);
    expect([...warm.keys()].sort()).toEqual(["cost", "obj"]);
    const state = strategy.toState().steps[0]!.generatorState as { hyperparameters: Record<string, unknown> };
    expect(Object.fromEntries([...warm].map(([k, h]) => [k, { ...h }]))).toEqual(state.hyperparameters);
  });
});
