import { describe, expect, it } from "vitest";
import {
  Arm,
  bestPoint,
  Data,
  Experiment,
  GeneratorRun,
  Objective,
  OptimizationConfig,
  ParameterType,
  plotOptimizationTrace,
  RangeParameter,
  ReportedMetric,
  renderChartSvg,
  SearchSpace,
} from "../../../src/index.js";
import type { FakeClock } from "../../../src/util/clock.js";
import { addTrial, ComparisonOp, completed, makeExperiment } from "../helpers.js";
import { countLabelled, traceRows } from "./plot-support.js";

const costAtMost10 = { metric: "cost", op: ComparisonOp.LEQ, bound: 10 };

describe("plotOptimizationTrace", () => {
  it("draws every observation and the lowest feasible value so far when minimizing", () => {
    const experiment = makeExperiment({ minimize: true, constraints: [costAtMost10] });
    completed(experiment, 1, { obj: 5, cost: 1 });
    completed(experiment, 2, { obj: 7, cost: 1 });
    completed(experiment, 3, { obj: 1, cost: 50 }); // best value, but infeasible
    completed(experiment, 4, { obj: 3, cost: 2 });
    const { points, line } = traceRows(plotOptimizationTrace(experiment));
    expect(points.map((p) => [p.x, p.value, p.series])).toEqual([
      [0, 5, "Feasible observation"],
      [1, 7, "Feasible observation"],
      [2, 1, "Infeasible observation"],
      [3, 3, "Feasible observation"],
    ]);
    // The step line's corners: the best holds at 5 until trial 3 lowers it to 3.
    expect(line.map((s) => [s.x, s.value])).toEqual([
      [0, 5],
      [3, 3],
    ]);
    expect(line.at(-1)?.value).toBe(bestPoint(experiment)?.values.obj);
  });

  it("draws the highest feasible value so far when maximizing", () => {
    const experiment = makeExperiment({ minimize: false });
    for (const [x, obj] of [
      [1, 2],
      [2, 1],
      [3, 4],
      [4, 3],
    ] as const) {
      completed(experiment, x, { obj });
    }
    const chart = plotOptimizationTrace(experiment);
    expect(traceRows(chart).line.map((s) => [s.x, s.value])).toEqual([
      [0, 2],
      [2, 4],
      [3, 4],
    ]);
    expect(chart.caption).toContain("highest");
  });

  it("starts the best line only once an arm is feasible", () => {
    const experiment = makeExperiment({ constraints: [costAtMost10] });
    completed(experiment, 1, { obj: 1, cost: 20 });
    completed(experiment, 2, { obj: 9, cost: 20 });
    completed(experiment, 3, { obj: 8, cost: 5 });
    expect(traceRows(plotOptimizationTrace(experiment)).line.map((s) => [s.x, s.value])).toEqual([[2, 8]]);
  });

  it("marks FAILED, ABANDONED and EARLY_STOPPED trials on the axis, and draws none of their data", () => {
    const experiment = makeExperiment();
    completed(experiment, 1, { obj: 3 });
    addTrial(experiment, { x: 2, kind: "a" }).markFailed("out of memory");
    addTrial(experiment, { x: 3, kind: "a" }).markAbandoned();
    const stopped = addTrial(experiment, { x: 4, kind: "b" });
    experiment.attachData(
      Data.fromRows([{ trialIndex: 3, armName: stopped.arm.name, metricName: "obj", mean: -100, sem: null }]),
    );
    stopped.markEarlyStopped();
    const { points, markers } = traceRows(plotOptimizationTrace(experiment));
    expect(points).toHaveLength(1);
    expect(markers.map((m) => [m.x, m.series])).toEqual([
      [1, "FAILED trial"],
      [2, "ABANDONED trial"],
      [3, "EARLY_STOPPED trial"],
    ]);
    expect(markers[0]?.desc).toBe("Trial 1 FAILED: out of memory");
  });

  it("judges a constraint relative to the status quo as bestPoint does", () => {
    const experiment = makeExperiment({
      constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 10, relative: true }],
    });
    experiment.statusQuo = new Arm({ parameters: { x: 5, kind: "a" } });
    completed(experiment, 5, { obj: 4, cost: 10 }); // the status quo: bound (1 + 0.1) * 10 = 11
    completed(experiment, 1, { obj: 1, cost: 12 });
    completed(experiment, 2, { obj: 2, cost: 11 });
    const { points, line } = traceRows(plotOptimizationTrace(experiment));
    expect(points.map((p) => p.series)).toEqual([
      "Feasible observation",
      "Infeasible observation",
      "Feasible observation",
    ]);
    expect(line.map((s) => s.value)).toEqual([4, 2]);
    expect(line.at(-1)?.value).toBe(bestPoint(experiment)?.values.obj);
  });

  it("draws one point per arm of a batch trial at the trial's index", () => {
    const experiment = makeExperiment({ minimize: false });
    const batch = experiment.newBatchTrial({
      generatorRuns: [
        new GeneratorRun({
          arms: [new Arm({ parameters: { x: 4, kind: "b" } }), new Arm({ parameters: { x: 5, kind: "a" } })],
          generatorName: "Sobol",
        }),
      ],
    });
    experiment.attachData(
      Data.fromRows([
        { trialIndex: 0, armName: "0_0", metricName: "obj", mean: 2, sem: 0 },
        { trialIndex: 0, armName: "0_1", metricName: "obj", mean: 3, sem: 0 },
      ]),
    );
    batch.markRunning().markCompleted();
    const { points, line } = traceRows(plotOptimizationTrace(experiment));
    expect(points.map((p) => [p.x, p.value, (p.tip as { arm: string }).arm])).toEqual([
      [0, 2, "0_0"],
      [0, 3, "0_1"],
    ]);
    expect(line).toEqual([{ x: 0, value: 3, series: "Best feasible so far" }]);
  });

  it("places trials by seconds from the first start to completion, best so far in completion order", () => {
    const experiment = makeExperiment({ minimize: true });
    const clock = experiment.clock as FakeClock;
    const slow = addTrial(experiment, { x: 1, kind: "a" }); // starts at 0 s
    clock.advance(2000);
    const fast = addTrial(experiment, { x: 2, kind: "a" }); // starts at 2 s
    clock.advance(3000);
    experiment.attachData(
      Data.fromRows([
        { trialIndex: fast.index, armName: fast.arm.name, metricName: "obj", mean: 4, sem: null },
      ]),
    );
    fast.markCompleted(); // 5 s
    clock.advance(5000);
    experiment.attachData(
      Data.fromRows([
        { trialIndex: slow.index, armName: slow.arm.name, metricName: "obj", mean: 1, sem: null },
      ]),
    );
    slow.markCompleted(); // 10 s
    const chart = plotOptimizationTrace(experiment, { by: "time" });
    expect(chart.kind).toBe("optimization-trace-by-time");
    const { points, line } = traceRows(chart);
    expect(points.map((p) => [p.x, p.value])).toEqual([
      [5, 4],
      [10, 1],
    ]);
    expect(line.map((s) => [s.x, s.value])).toEqual([
      [5, 4],
      [10, 1],
    ]);
  });

  it("puts parameters, arm and value in the tooltip", () => {
    const experiment = makeExperiment();
    completed(experiment, 2.5, { obj: 7 }, "b");
    const [point] = traceRows(plotOptimizationTrace(experiment)).points;
    expect(point?.tip).toEqual({
      trial: 0,
      arm: "0_0",
      "obj (observed)": 7,
      status: "feasible",
      x: 2.5,
      kind: "b",
    });
  });

  it("keeps the trial and arm in the tooltip when a parameter or metric is named like them", () => {
    const experiment = experimentNamedLikeTheTooltip();
    const [point] = traceRows(plotOptimizationTrace(experiment)).points;
    expect(point?.tip).toEqual({
      trial: 0,
      arm: "0_0",
      "trial (observed)": 2,
      status: "feasible",
      "parameter arm": 0.5,
    });
  });

  it("traces a named objective, and refuses a metric that is not one", () => {
    const experiment = makeExperiment({ multiObjective: true });
    completed(experiment, 1, { obj: 3, obj2: 1 });
    completed(experiment, 2, { obj: 2, obj2: 0 });
    const chart = plotOptimizationTrace(experiment, { metric: "obj2" });
    expect(traceRows(chart).line.map((s) => s.value)).toEqual([1, 1]);
    expect(() => plotOptimizationTrace(experiment, { metric: "cost" })).toThrow(/not an objective/);
  });

  it("renders to SVG with one mark per observation and per marked trial", async () => {
    const experiment = makeExperiment({ constraints: [costAtMost10] });
    for (let i = 0; i < 6; i++) completed(experiment, i, { obj: (i - 3) ** 2, cost: i % 2 === 0 ? 1 : 20 });
    addTrial(experiment, { x: 9, kind: "a" }).markFailed("crash");
    const svg = await renderChartSvg(plotOptimizationTrace(experiment));
    expect(countLabelled(svg, "Trial ")).toBe(7);
    expect(svg.match(/aria-label="Trial \d arm \d_0: obj = \d+, infeasible/g)).toHaveLength(3);
    expect(countLabelled(svg, "Trial 6 FAILED: crash")).toBe(1);
  });
});

function experimentNamedLikeTheTooltip(): Experiment {
  const experiment = new Experiment({
    name: "names",
    searchSpace: new SearchSpace({
      parameters: [
        new RangeParameter({ name: "arm", parameterType: ParameterType.FLOAT, lower: 0, upper: 1 }),
      ],
    }),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new ReportedMetric({ name: "trial" }), minimize: true }),
    }),
  });
  const trial = experiment
    .newTrial({
      generatorRun: new GeneratorRun({
        arms: [new Arm({ parameters: { arm: 0.5 } })],
        generatorName: "Sobol",
      }),
    })
    .markRunning();
  experiment.attachData(
    Data.fromRows([{ trialIndex: 0, armName: trial.arm.name, metricName: "trial", mean: 2, sem: null }]),
  );
  trial.markCompleted();
  return experiment;
}
