import { describe, expect, it } from "vitest";
import { OptimizationConfigError } from "../../../src/errors.js";
import { ModelViews, paretoFrontier, plotParetoFrontier, renderChartSvg } from "../../../src/index.js";
import { ComparisonOp, datasets, float, modelExperiment } from "./helpers.js";

/** Minimize f1 = a and f2 = (1 − a)² + b, f2 ≤ 0.9 as a threshold; cost = a + b ≤ 1.2 as a constraint. */
function twoObjectives() {
  return modelExperiment({
    parameters: [float("a"), float("b")],
    objectives: ["f1", "f2"],
    thresholds: [{ metric: "f2", op: ComparisonOp.LEQ, bound: 0.9 }],
    constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 1.2 }],
    evaluate: (p) => {
      const [a, b] = [p.a as number, p.b as number];
      return { f1: a, f2: (1 - a) ** 2 + b, cost: a + b };
    },
    trials: 30,
  });
}

type Layer = {
  data: { name?: string; values?: unknown[] };
  mark: { type: string };
  encoding: Record<string, { field?: string }>;
};

describe("plotParetoFrontier", () => {
  it("marks infeasible observations, joins the observed frontier and adds the predicted one", () => {
    const experiment = twoObjectives();
    const views = new ModelViews(experiment);
    const chart = plotParetoFrontier(experiment, { views })!;
    const layers = (chart.spec as { layer: Layer[] }).layer;
    const data = datasets(chart.spec);
    const observed = data.observed as { tip: { trial: number }; series: string }[];
    expect(observed).toHaveLength(30);
    const cost = (trial: number) =>
      experiment.lookupTrialData(trial).rows.find((r) => r.metricName === "cost")!.mean;
    for (const p of observed) {
      expect(p.series).toBe(cost(p.tip.trial) <= 1.2 ? "Feasible observation" : "Infeasible observation");
    }
    expect(observed.some((p) => p.series === "Infeasible observation")).toBe(true);
    const expected = paretoFrontier(experiment).points.map((p) => p.values.f1!);
    expect(data.frontier!.map((p) => p.a)).toEqual(
      [...expected].sort((u, v) => u - v).map((v) => Number(v.toPrecision(6))),
    );
    // The predicted frontier: no predicted point dominates another (both minimized).
    const predicted = data.predicted as { a: number; b: number; aLow: number; aHigh: number }[];
    expect(predicted.length).toBeGreaterThan(0);
    for (const p of predicted) {
      // Within the threshold on f2, as the observed frontier is.
      expect(p.b).toBeLessThanOrEqual(0.9);
      expect(p.aLow).toBeLessThanOrEqual(p.a);
      expect(p.aHigh).toBeGreaterThanOrEqual(p.a);
      for (const q of predicted)
        if (p !== q) expect(q.a <= p.a && q.b <= p.b && (q.a < p.a || q.b < p.b)).toBe(false);
    }
    // The threshold on f2 (the y axis) is a rule at its bound.
    const rule = layers.find((l) => l.mark.type === "rule" && l.encoding.y?.field === "value")!;
    expect(rule.data.values).toEqual([expect.objectContaining({ value: 0.9 })]);
  });

  it("renders the observations, the frontier and the bound", async () => {
    const svg = await renderChartSvg(plotParetoFrontier(twoObjectives())!);
    expect(svg.match(/aria-label="trial \d+ \((feasible|infeasible) observation\)/g)?.length).toBe(30);
    expect(svg).toContain("Observed Pareto frontier");
    expect(svg).toContain("objective threshold: f2 ≤ 0.9");
  });

  it("draws a constraint metric against an objective with its bound, without frontiers", () => {
    const chart = plotParetoFrontier(twoObjectives(), { metrics: ["f1", "cost"] })!;
    const data = datasets(chart.spec);
    expect(data.frontier).toEqual([]);
    expect(data.predicted).toEqual([]);
    const layers = (chart.spec as { layer: Layer[] }).layer;
    const rule = layers.find((l) => l.mark.type === "rule" && l.encoding.y?.field === "value")!;
    expect(rule.data.values).toEqual([
      expect.objectContaining({ value: 1.2, desc: "outcome constraint: cost ≤ 1.2" }),
    ]);
  });

  it("does not apply to one objective and refuses axes that are not two different config metrics", () => {
    const single = modelExperiment({
      parameters: [float("a")],
      evaluate: (p) => ({ obj: p.a as number }),
      trials: 5,
    });
    expect(plotParetoFrontier(single)).toBeNull();
    const experiment = twoObjectives();
    expect(() => plotParetoFrontier(experiment, { metrics: ["f1", "f1"] })).toThrow(OptimizationConfigError);
    expect(() => plotParetoFrontier(experiment, { metrics: ["f1", "nope"] })).toThrow(
      OptimizationConfigError,
    );
    expect(plotParetoFrontier(experiment, { metrics: ["f2", "f1"] })!.title).toBe(
      "Pareto frontier of f2 and f1",
    );
  });
});
