import { describe, expect, it } from "vitest";
import {
  ChoiceParameter,
  Data,
  Experiment,
  FixedParameter,
  Objective,
  OptimizationConfig,
  ParameterType,
  plotParallelCoordinates,
  RangeParameter,
  ReportedMetric,
  renderChartSvg,
  SearchSpace,
} from "../../../src/index.js";
import { addTrial, completed, makeExperiment } from "../helpers.js";
import { countLabelled, datasetRows, layerRows } from "./plot-support.js";

function mixedExperiment(): Experiment {
  return new Experiment({
    name: "mixed",
    searchSpace: new SearchSpace({
      parameters: [
        new RangeParameter({
          name: "lr",
          parameterType: ParameterType.FLOAT,
          lower: 1e-4,
          upper: 1,
          logScale: true,
        }),
        new RangeParameter({ name: "layers", parameterType: ParameterType.INT, lower: 1, upper: 9 }),
        new ChoiceParameter({ name: "opt", values: ["sgd", "adam", "lamb"], isOrdered: false }),
        new FixedParameter({ name: "seed", value: 7 }),
      ],
    }),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new ReportedMetric({ name: "loss" }), minimize: true }),
    }),
  });
}

describe("plotParallelCoordinates", () => {
  it("scales ranges to their bounds (log ones in log space) and spaces choices evenly", () => {
    const experiment = mixedExperiment();
    const trial = addTrial(experiment, { lr: 0.01, layers: 3, opt: "lamb", seed: 7 });
    experiment.attachData(
      Data.fromRows([{ trialIndex: 0, armName: trial.arm.name, metricName: "loss", mean: 0.5, sem: null }]),
    );
    trial.markCompleted();
    const chart = plotParallelCoordinates(experiment);
    const rows = datasetRows(chart, "vertices");
    expect(rows.map((r) => r.axisName)).toEqual(["lr", "layers", "opt"]); // the fixed seed has no axis
    expect(rows[0]?.pos).toBeCloseTo(0.5, 12); // 1e-2 is halfway between 1e-4 and 1 in log space
    expect(rows[1]?.pos).toBeCloseTo(0.25, 12);
    expect(rows[2]?.pos).toBe(1);
    expect(rows.every((r) => r.value === 0.5 && r.id === 0)).toBe(true);
    const labels = layerRows(chart, 3).filter((l) => l.axisName === "opt");
    expect(labels.map((l) => [l.pos, l.label])).toEqual([
      [0, "sgd"],
      [0.5, "adam"],
      [1, "lamb"],
    ]);
    expect(layerRows(chart, 3).find((l) => l.axisName === "lr" && l.pos === 0.5)?.label).toBe("0.01 (log)");
  });

  it("colours by the objective with brighter meaning better, and leaves out trials without data", () => {
    const experiment = makeExperiment({ minimize: true, tracking: ["cost"] });
    completed(experiment, 1, { obj: 3, cost: 1 });
    completed(experiment, 2, { obj: 1, cost: 2 });
    addTrial(experiment, { x: 3, kind: "b" }).markFailed("crash");
    const chart = plotParallelCoordinates(experiment);
    const line = (chart.spec.layer as { encoding: { color: { scale: { reverse: boolean } } } }[])[1]!;
    expect(line.encoding.color.scale.reverse).toBe(true);
    expect(new Set(datasetRows(chart, "vertices").map((r) => r.id))).toEqual(new Set([0, 1]));
    expect(chart.caption).toContain("1 failed, abandoned or early-stopped trial is left out");
    const byCost = plotParallelCoordinates(experiment, { metric: "cost" });
    expect(datasetRows(byCost, "vertices").map((r) => r.value)).toEqual([1, 1, 2, 2]);
  });

  it("renders one line per arm and one point per arm and axis", async () => {
    const experiment = makeExperiment();
    for (let i = 0; i < 5; i++) completed(experiment, i * 2, { obj: i }, i % 2 === 0 ? "a" : "b");
    const svg = await renderChartSvg(plotParallelCoordinates(experiment));
    expect(countLabelled(svg, "Line of trial ")).toBe(5);
    expect(svg.match(/aria-label="Trial \d arm \d_0: /g)).toHaveLength(10);
    expect(svg).toContain(">kind</text>");
  });

  it("needs a metric when there is no optimization config", () => {
    const experiment = new Experiment({
      name: "bare",
      searchSpace: new SearchSpace({
        parameters: [
          new RangeParameter({ name: "x", parameterType: ParameterType.FLOAT, lower: 0, upper: 1 }),
        ],
      }),
    });
    expect(() => plotParallelCoordinates(experiment)).toThrow(/name the metric/);
  });
});
