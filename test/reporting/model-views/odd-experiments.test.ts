import { describe, expect, it } from "vitest";
import { ModelFittingError } from "../../../src/errors.js";
import { MetricModelFitter } from "../../../src/generation/bo/metric-models.js";
import {
  crossValidate,
  modelCharts,
  plotContour,
  plotCrossValidation,
  plotParameterImportance,
  plotSlices,
  renderChartSvg,
} from "../../../src/index.js";
import type { GpModel } from "../../../src/numerics/gp/index.js";
import { choice, float, int, modelExperiment } from "./helpers.js";

const kinds = (experiment: Parameters<typeof modelCharts>[0]) => modelCharts(experiment).map((c) => c.kind);

describe("model views of odd experiments", () => {
  it("draws a choice-only space as category slices, without a contour", async () => {
    const experiment = modelExperiment({
      parameters: [choice("opt", ["adam", "sgd", "rmsprop"]), choice("act", ["relu", "tanh"])],
      evaluate: (p, rng) => ({
        obj: (p.opt === "sgd" ? 1 : 0) + (p.act === "tanh" ? 0.5 : 0) + 0.05 * rng.normal(),
      }),
      trials: 20,
    });
    expect(kinds(experiment)).toEqual(["slices", "parameter-importance", "cross-validation"]);
    expect(plotContour(experiment)).toBeNull();
    const svg = await renderChartSvg(plotSlices(experiment)!);
    expect(svg).toContain("opt = sgd: predicted obj");
  });

  it("draws one parameter without a contour", () => {
    const experiment = modelExperiment({
      parameters: [int("n", 1, 200)],
      evaluate: (p) => ({ obj: Math.log(p.n as number) }),
      trials: 12,
    });
    expect(kinds(experiment)).toEqual(["slices", "parameter-importance", "cross-validation"]);
  });

  it("leaves out importance for a constant objective and says its ranking is undefined", () => {
    const experiment = modelExperiment({
      parameters: [float("a"), float("b")],
      evaluate: () => ({ obj: 3 }),
      trials: 10,
    });
    expect(plotParameterImportance(experiment)).toBeNull();
    const cv = crossValidate(experiment)!;
    expect(cv.rankCorrelation).toBeNull();
    expect(cv.verdict).toBe("poor");
    expect(plotCrossValidation(experiment)!.caption).toContain("Rank correlation (Spearman) undefined");
    expect(kinds(experiment)).toEqual(["slices", "contour", "cross-validation"]);
  });

  it("leaves every model view out with two observations, or none, or no optimization config", () => {
    const two = modelExperiment({
      parameters: [float("a"), float("b")],
      evaluate: (p) => ({ obj: p.a as number }),
      trials: 2,
    });
    expect(modelCharts(two)).toEqual([]);
    expect(crossValidate(two)).toBeNull();
    const none = modelExperiment({ parameters: [float("a")], evaluate: () => ({}), trials: 0 });
    expect(modelCharts(none)).toEqual([]);
  });

  it("leaves the views out when the fit fails, without throwing", () => {
    const experiment = modelExperiment({
      parameters: [float("a"), float("b")],
      evaluate: (p) => ({ obj: p.a as number }),
      trials: 8,
    });
    class FailingFitter extends MetricModelFitter {
      override fit(): GpModel {
        throw new ModelFittingError("fitGp: all starts failed");
      }
    }
    expect(modelCharts(experiment, { fitter: new FailingFitter() })).toEqual([]);
    expect(crossValidate(experiment, { fitter: new FailingFitter() })).toBeNull();
  });

  it("caps the fitted observations and says so", () => {
    const experiment = modelExperiment({
      parameters: [float("a"), float("b")],
      evaluate: (p) => ({ obj: Math.sin(5 * (p.a as number)) + (p.b as number) }),
      trials: 60,
    });
    const chart = plotSlices(experiment, { maxObservations: 25 })!;
    expect(chart.caption).toContain("a random 25 of the 60 observations");
    const cv = crossValidate(experiment, { maxObservations: 25 })!;
    expect(cv.points).toHaveLength(25);
    expect(cv.totalObservations).toBe(60);
  });
});
