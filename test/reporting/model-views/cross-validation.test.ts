import { describe, expect, it } from "vitest";
import { crossValidate, ModelViews, plotCrossValidation, renderChartSvg } from "../../../src/index.js";
import { createGp } from "../../../src/numerics/gp/index.js";
import type { FittedMetric } from "../../../src/reporting/index.js";
import { datasets, float, modelExperiment } from "./helpers.js";

/**
 * The brute-force leave-one-out prediction of observation i: a model of the other rows with the fitted
 * model's hyperparameters and output standardization, predicting y_i with its noise.
 */
function leaveOneOutForTest(fitted: FittedMetric, i: number): { mean: number; variance: number } {
  const { dataset, model } = fitted;
  const { n, d } = dataset;
  const keep = [...Array(n).keys()].filter((k) => k !== i);
  const without = createGp({
    X: Float64Array.from(keep.flatMap((k) => [...dataset.X.subarray(k * d, (k + 1) * d)])),
    n: n - 1,
    d,
    Y: Float64Array.from(keep.map((k) => dataset.Y[k]!)),
    Yvar: dataset.Yvar && Float64Array.from(keep.map((k) => dataset.Yvar![k]!)),
    hyperparameters: model.hyperparameters,
    outcomeTransform: model.outcomeTransform,
    kernel: model.kernel,
  });
  const p = without.predict(dataset.X.subarray(i * d, (i + 1) * d), 1, { includeNoise: true });
  return { mean: p.mean[0]!, variance: p.variance[0]! };
}

const smooth = () =>
  modelExperiment({
    parameters: [float("a"), float("b")],
    evaluate: (p, rng) => ({
      obj: Math.sin(4 * (p.a as number)) + (p.b as number) ** 2 + 0.01 * rng.normal(),
    }),
    trials: 40,
  });

const noise = () =>
  modelExperiment({
    parameters: [float("a"), float("b")],
    evaluate: (_p, rng) => ({ obj: rng.normal() }),
    trials: 40,
    seed: 5,
  });

describe("crossValidate", () => {
  it("trusts a model of a smooth function: high rank correlation, calibrated intervals", () => {
    const cv = crossValidate(smooth())!;
    expect(cv.points).toHaveLength(40);
    expect(cv.rankCorrelation!).toBeGreaterThan(0.9);
    expect(cv.coverage95).toBeGreaterThan(0.85);
    expect(cv.verdict).toBe("good");
    expect(cv.reading).toContain("believe its suggestions");
  });

  it("distrusts a model of pure noise", () => {
    const cv = crossValidate(noise())!;
    expect(cv.rankCorrelation ?? 0).toBeLessThan(0.4);
    expect(cv.verdict).toBe("poor");
    expect(cv.reading).toContain("don't believe its suggestions yet");
  });

  it("predicts each observation from the model conditioned on the others", () => {
    const experiment = smooth();
    const views = new ModelViews(experiment);
    const cv = views.crossValidation("obj")!;
    const fitted = views.fitted("obj")!;
    const i = 17;
    const expected = leaveOneOutForTest(fitted, i);
    expect(cv.points[i]!.predicted).toBeCloseTo(expected.mean, 8);
    expect(cv.points[i]!.upper - cv.points[i]!.lower).toBeCloseTo(
      2 * 1.959963984540054 * Math.sqrt(expected.variance),
      8,
    );
    const [trialIndex, armName] = fitted.dataset.keys[i]!.split(":");
    expect(cv.points[i]).toMatchObject({
      trialIndex: Number(trialIndex),
      armName,
      observed: fitted.dataset.Y[i],
    });
  });
});

describe("plotCrossValidation", () => {
  it("puts the verdict in the caption and draws points, intervals and y = x", async () => {
    const experiment = smooth();
    const cv = crossValidate(experiment)!;
    const chart = plotCrossValidation(experiment)!;
    expect(chart.caption).toContain(`Rank correlation (Spearman) ${cv.rankCorrelation!.toFixed(2)};`);
    expect(chart.caption).toContain(
      `${Math.round(100 * cv.coverage95)}% of observations inside their 95% interval`,
    );
    expect(chart.caption).toContain(cv.reading);
    expect(datasets(chart.spec).points).toHaveLength(40);
    const svg = await renderChartSvg(chart);
    expect(svg.match(/aria-roledescription="point"/g)?.length).toBe(40);
    expect(svg.match(/aria-roledescription="rule mark"/g)?.length).toBe(40);
    expect(svg).toContain('aria-label="y = x"');
  });
});
