import { describe, expect, it } from "vitest";
import { Arm, plotMetricTrace, renderChartSvg } from "../../../src/index.js";
import { addTrial, ComparisonOp, completed, makeExperiment } from "../helpers.js";
import { countLabelled, traceRows } from "./plot-support.js";

describe("plotMetricTrace", () => {
  it("draws each observation of a constraint metric against its bound", async () => {
    const experiment = makeExperiment({ constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 10 }] });
    completed(experiment, 1, { obj: 1, cost: 4 });
    completed(experiment, 2, { obj: 1, cost: 12 });
    addTrial(experiment, { x: 3, kind: "a" }).markAbandoned("stale");
    const chart = plotMetricTrace(experiment, "cost");
    const { points, rules, markers } = traceRows(chart);
    expect(points.map((p) => [p.x, p.value, p.series])).toEqual([
      [0, 4, "Satisfies the bound"],
      [1, 12, "Violates the bound"],
    ]);
    expect(rules).toEqual([{ value: 10, series: "Bound" }]);
    expect(markers.map((m) => m.series)).toEqual(["ABANDONED trial"]);
    const svg = await renderChartSvg(chart);
    expect(countLabelled(svg, "Trial ")).toBe(3);
    expect(countLabelled(svg, "Bound")).toBe(1);
  });

  it("resolves a relative bound against the status quo's observed value", () => {
    const experiment = makeExperiment({
      constraints: [{ metric: "cost", op: ComparisonOp.GEQ, bound: -20, relative: true }],
    });
    experiment.statusQuo = new Arm({ parameters: { x: 5, kind: "a" } });
    completed(experiment, 5, { obj: 1, cost: 10 });
    completed(experiment, 1, { obj: 1, cost: 7 });
    const chart = plotMetricTrace(experiment, "cost");
    expect(traceRows(chart).rules).toEqual([{ value: 8, series: "Bound" }]);
    expect(traceRows(chart).points.map((p) => p.series)).toEqual([
      "Satisfies the bound",
      "Violates the bound",
    ]);
    expect(chart.caption).toContain("-20% relative to the status quo");
  });

  it("explains why a relative bound without a status quo is not drawn", () => {
    const experiment = makeExperiment({
      constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 5, relative: true }],
    });
    completed(experiment, 1, { obj: 1, cost: 7 });
    const chart = plotMetricTrace(experiment, "cost");
    expect(traceRows(chart).rules).toEqual([]);
    expect(traceRows(chart).points.map((p) => p.series)).toEqual(["Observation"]);
    expect(chart.caption).toMatch(/no status quo/);
  });

  it("refuses a metric that is not constrained", () => {
    const experiment = makeExperiment();
    expect(() => plotMetricTrace(experiment, "obj")).toThrow(/constrained metrics: none/);
  });
});
