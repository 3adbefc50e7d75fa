import { describe, expect, it } from "vitest";
import { Arm, Data, GeneratorRun } from "../../src/core/index.js";
import { OptimizationConfigError } from "../../src/errors.js";
import { bestPoint } from "../../src/reporting/index.js";
import { addTrial, attach, ComparisonOp, completed, makeExperiment } from "./helpers.js";

const costAtMost10 = { metric: "cost", op: ComparisonOp.LEQ, bound: 10 };
const qpsAtLeast100 = { metric: "qps", op: ComparisonOp.GEQ, bound: 100 };

describe("bestPoint", () => {
  it("returns the lowest objective among feasible COMPLETED arms when minimizing", () => {
    const experiment = makeExperiment({ constraints: [costAtMost10, qpsAtLeast100] });
    completed(experiment, 0, { obj: 5, cost: 3, qps: 150 });
    completed(experiment, 1, { obj: 1, cost: 11, qps: 150 }); // cost too high
    completed(experiment, 2, { obj: 2, cost: 10, qps: 100 }); // feasible, on both bounds
    completed(experiment, 3, { obj: 0.5, cost: 1, qps: 99 }); // qps too low
    completed(experiment, 4, { obj: 4, cost: 2, qps: 500 });
    expect(bestPoint(experiment)).toEqual({
      trialIndex: 2,
      armName: "2_0",
      parameters: { x: 2, kind: "a" },
      values: { obj: 2, cost: 10, qps: 100 },
    });
  });

  it("returns the highest objective among feasible arms when maximizing", () => {
    const experiment = makeExperiment({ minimize: false, constraints: [costAtMost10] });
    completed(experiment, 0, { obj: 5, cost: 3 });
    completed(experiment, 1, { obj: 50, cost: 30 });
    completed(experiment, 2, { obj: 7, cost: 9.5 });
    completed(experiment, 3, { obj: -1, cost: 0 });
    expect(bestPoint(experiment)).toMatchObject({ trialIndex: 2, values: { obj: 7, cost: 9.5 } });
  });

  it("counts only COMPLETED trials", () => {
    const experiment = makeExperiment();
    completed(experiment, 0, { obj: 5 });
    const running = addTrial(experiment, { x: 1, kind: "a" });
    attach(experiment, running, { obj: 0 });
    const early = addTrial(experiment, { x: 2, kind: "a" });
    attach(experiment, early, { obj: 0 });
    early.markEarlyStopped();
    const failed = addTrial(experiment, { x: 3, kind: "a" });
    attach(experiment, failed, { obj: 0 });
    failed.markFailed();
    expect(bestPoint(experiment)?.trialIndex).toBe(0);
  });

  it("skips arms without an observation of an absolute-constraint metric", () => {
    const experiment = makeExperiment({ constraints: [costAtMost10] });
    completed(experiment, 0, { obj: 5, cost: 1 });
    completed(experiment, 1, { obj: 1 });
    expect(bestPoint(experiment)?.trialIndex).toBe(0);
  });

  it("ignores relative constraints, which need a status quo", () => {
    const experiment = makeExperiment({
      constraints: [{ metric: "latency", op: ComparisonOp.LEQ, bound: 5, relative: true }],
    });
    completed(experiment, 0, { obj: 5, latency: 1 });
    completed(experiment, 1, { obj: 1 });
    expect(bestPoint(experiment)?.trialIndex).toBe(1);
  });

  it("gives ties to the earliest trial, whatever the completion order", () => {
    const experiment = makeExperiment();
    const first = addTrial(experiment, { x: 0, kind: "a" });
    completed(experiment, 1, { obj: 2 });
    attach(experiment, first, { obj: 2 });
    first.markCompleted();
    expect(bestPoint(experiment)?.trialIndex).toBe(0);
  });

  it("judges each arm of a batch trial", () => {
    const experiment = makeExperiment({ minimize: false });
    completed(experiment, 0, { obj: 1 });
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
        { trialIndex: 1, armName: "1_0", metricName: "obj", mean: 2, sem: 0 },
        { trialIndex: 1, armName: "1_1", metricName: "obj", mean: 3, sem: 0 },
      ]),
    );
    batch.markRunning().markCompleted();
    expect(bestPoint(experiment)).toMatchObject({
      trialIndex: 1,
      armName: "1_1",
      parameters: { x: 5, kind: "a" },
    });
  });

  it("returns null when nothing feasible was observed", () => {
    const experiment = makeExperiment({ constraints: [costAtMost10] });
    expect(bestPoint(experiment)).toBeNull();
    completed(experiment, 0, { obj: 1, cost: 20 });
    addTrial(experiment, { x: 1, kind: "a" });
    expect(bestPoint(experiment)).toBeNull();
  });

  it("refuses multi-objective experiments, pointing to the Pareto frontier", () => {
    const experiment = makeExperiment({ multiObjective: true });
    completed(experiment, 0, { obj: 1, obj2: 2 });
    expect(() => bestPoint(experiment)).toThrow(OptimizationConfigError);
    expect(() => bestPoint(experiment)).toThrow(/Pareto frontier/);
  });
});
