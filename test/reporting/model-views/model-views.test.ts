import { describe, expect, it } from "vitest";
import type { MetricDataset } from "../../../src/adapter/metric-datasets.js";
import { MetricModelFitter } from "../../../src/generation/bo/metric-models.js";
import { bestPoint, ModelViews, modelCharts, paretoFrontier } from "../../../src/index.js";
import type { GpModel } from "../../../src/numerics/gp/index.js";
import { ComparisonOp, float, modelExperiment } from "./helpers.js";

/** Counts the fits of each metric. */
class CountingFitter extends MetricModelFitter {
  readonly fits = new Map<string, number>();
  override fit(dataset: MetricDataset, salt = 0): GpModel {
    this.fits.set(dataset.metricName, (this.fits.get(dataset.metricName) ?? 0) + 1);
    return super.fit(dataset, salt);
  }
}

const twoObjectives = () =>
  modelExperiment({
    parameters: [float("a"), float("b")],
    objectives: ["f1", "f2"],
    evaluate: (p) => ({ f1: p.a as number, f2: (1 - (p.a as number)) ** 2 + (p.b as number) }),
    trials: 16,
  });

describe("ModelViews", () => {
  it("fits each metric once for all the charts drawn from it", () => {
    const fitter = new CountingFitter();
    const charts = modelCharts(twoObjectives(), { fitter });
    expect(charts.map((c) => c.kind)).toContain("pareto-frontier");
    expect(Object.fromEntries(fitter.fits)).toEqual({ f1: 1, f2: 1 });
  });

  it("starts from the warm start it is given and leaves the caller's map alone", () => {
    const experiment = modelExperiment({
      parameters: [float("a"), float("b")],
      evaluate: (p) => ({ obj: Math.sin(4 * (p.a as number)) + (p.b as number) }),
      trials: 80,
    });
    const cold = new ModelViews(experiment).fitted("obj")!.model;
    const given = cold.hyperparameters;
    const warmStart = new Map([["obj", given]]);
    const warm = new ModelViews(experiment, { warmStart }).fitted("obj")!.model;
    // Started at the optimum, the warm fit stops almost at once, where the cold one had to search.
    expect(warm.fitDiagnostics!.iterations[0]!).toBeLessThan(cold.fitDiagnostics!.iterations[0]!);
    expect(warm.hyperparameters.lengthscales[0]).toBeCloseTo(given.lengthscales[0]!, 2);
    expect(warmStart.get("obj")).toBe(given);
    expect(warmStart.size).toBe(1);
  });

  it("anchors several objectives at the observed Pareto-optimal arm best in the first", () => {
    const experiment = twoObjectives();
    const first = paretoFrontier(experiment).points[0]!;
    expect(new ModelViews(experiment).anchor()).toMatchObject({
      trialIndex: first.trialIndex,
      source: "observed",
    });
  });

  it("anchors at the best observed value when no arm is feasible", () => {
    const experiment = modelExperiment({
      parameters: [float("a")],
      constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: -1 }],
      evaluate: (p) => ({ obj: p.a as number, cost: 1 }),
      trials: 6,
    });
    expect(bestPoint(experiment)).toBeNull();
    const views = new ModelViews(experiment);
    const anchor = views.anchor()!;
    expect(anchor.source).toBe("latest");
    const lowest = Math.min(...views.observations().map((p) => p.values.obj!));
    expect(views.observations().find((p) => p.trialIndex === anchor.trialIndex)!.values.obj).toBe(lowest);
  });
});
