import { describe, expect, it } from "vitest";
import { paretoFrontier, plotOptimizationTrace, renderChartSvg } from "../../../src/index.js";
import { addTrial, ComparisonOp, completed, makeExperiment } from "../helpers.js";
import { countLabelled, traceRows } from "./plot-support.js";

describe("plotOptimizationTrace with several objectives", () => {
  it("traces the feasible observed hypervolume up to the final frontier's value", () => {
    // minimize obj, maximize obj2, thresholds obj <= 10 and obj2 >= 0: reference point (10, 0).
    const experiment = makeExperiment({
      multiObjective: true,
      thresholds: { obj: 10, obj2: 0 },
      constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 1 }],
    });
    completed(experiment, 1, { obj: 8, obj2: 1, cost: 0 }); // box 2 × 1 = 2
    completed(experiment, 2, { obj: 0, obj2: 9, cost: 5 }); // infeasible: no change
    completed(experiment, 3, { obj: 9, obj2: 0.5, cost: 0 }); // dominated: no change
    completed(experiment, 4, { obj: 6, obj2: 2, cost: 0 }); // union 4 × 2 = 8
    addTrial(experiment, { x: 5, kind: "a" }).markFailed("crash");
    const chart = plotOptimizationTrace(experiment);
    const { line, markers } = traceRows(chart);
    expect(line.map((s) => [s.x, s.value])).toEqual([
      [0, 2],
      [3, 8],
    ]);
    expect(line.at(-1)?.value).toBeCloseTo(paretoFrontier(experiment).hypervolume, 12);
    expect(markers.map((m) => m.series)).toEqual(["FAILED trial"]);
    expect(chart.title).toBe("Hypervolume trace (minimize obj, maximize obj2)");
    expect(chart.caption).toContain("Reference point: obj = 10, obj2 = 0 (the objective thresholds)");
  });

  it("states an inferred reference point, held fixed at the final front's", () => {
    const experiment = makeExperiment({ multiObjective: true });
    completed(experiment, 1, { obj: 1, obj2: 1 });
    completed(experiment, 2, { obj: 3, obj2: 5 });
    const chart = plotOptimizationTrace(experiment);
    const { referencePoint, hypervolume } = paretoFrontier(experiment);
    expect(chart.caption).toContain(`obj = ${referencePoint?.obj}`);
    expect(chart.caption).toContain("(all inferred from the final observed front");
    const mixed = makeExperiment({ multiObjective: true, thresholds: { obj2: 0 } });
    completed(mixed, 1, { obj: 1, obj2: 1 });
    completed(mixed, 2, { obj: 3, obj2: 5 });
    expect(plotOptimizationTrace(mixed).caption).toMatch(
      /obj2 = 0 \(obj inferred from the final observed front .*; the others are the objective thresholds\)/,
    );
    expect(traceRows(chart).line.at(-1)?.value).toBeCloseTo(hypervolume, 12);
  });

  it("has no hypervolume while nothing is feasible, and says why", async () => {
    const experiment = makeExperiment({ multiObjective: true });
    addTrial(experiment, { x: 1, kind: "a" }).markFailed("crash");
    const chart = plotOptimizationTrace(experiment, { by: "time" });
    expect(traceRows(chart).points).toEqual([]);
    expect(chart.caption).toContain("No arm is feasible yet");
    expect(countLabelled(await renderChartSvg(chart), "Trial 0 FAILED")).toBe(1);
  });
});
