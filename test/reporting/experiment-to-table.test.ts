import { describe, expect, it, vi } from "vitest";
import { Arm, Data, GeneratorRun } from "../../src/core/index.js";
import { experimentToTable } from "../../src/reporting/index.js";
import { addTrial, attach, ComparisonOp, completed, makeExperiment } from "./helpers.js";

function experimentWithEverything() {
  const experiment = makeExperiment({
    constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 10 }],
    tracking: ["memory"],
  });
  completed(experiment, 1.5, { memory: 7, cost: 3, obj: 0.5 }); // reported out of column order
  const running = addTrial(experiment, { x: 2, kind: "b" }, "Manual");
  attach(experiment, running, { obj: 9 });
  addTrial(experiment, { x: 3, kind: "a" }).markFailed("out of memory");
  const batch = experiment.newBatchTrial({
    generatorRuns: [
      new GeneratorRun({
        arms: [new Arm({ parameters: { x: 4, kind: "a" } }), new Arm({ parameters: { x: 5, kind: "b" } })],
        generatorName: "Sobol",
        timeCreated: 0,
      }),
      new GeneratorRun({ arms: [new Arm({ parameters: { x: 6, kind: "a" } })], generatorName: "Manual" }),
    ],
  });
  batch.markRunning();
  experiment.attachData(
    Data.fromRows([
      { trialIndex: 3, armName: "3_1", metricName: "obj", mean: 2.5, sem: 0.1 },
      { trialIndex: 3, armName: "3_2", metricName: "cost", mean: 11, sem: null },
    ]),
  );
  return experiment;
}

describe("experimentToTable", () => {
  it("has one row per arm with columns metrics, trialIndex, armName, parameters, trialStatus, generatorModel", () => {
    const rows = experimentToTable(experimentWithEverything());
    expect(rows.map((r) => [r.trialIndex, r.armName])).toEqual([
      [0, "0_0"],
      [1, "1_0"],
      [2, "2_0"],
      [3, "3_0"],
      [3, "3_1"],
      [3, "3_2"],
    ]);
    expect(Object.keys(rows[0]!)).toEqual([
      "obj",
      "cost",
      "memory",
      "trialIndex",
      "armName",
      "x",
      "kind",
      "trialStatus",
      "generatorModel",
    ]);
    expect(rows[0]).toEqual({
      obj: 0.5,
      cost: 3,
      memory: 7,
      trialIndex: 0,
      armName: "0_0",
      x: 1.5,
      kind: "a",
      trialStatus: "COMPLETED",
      generatorModel: "Sobol",
    });
  });

  it("leaves unobserved metrics undefined and keeps the key, so column order is stable", () => {
    const rows = experimentToTable(experimentWithEverything());
    expect(rows[1]).toMatchObject({ obj: 9, trialStatus: "RUNNING", generatorModel: "Manual" });
    expect("cost" in rows[1]!).toBe(true);
    expect(rows[1]!.cost).toBeUndefined();
    expect(rows[4]).toMatchObject({ obj: 2.5, cost: undefined, x: 5, kind: "b" });
  });

  it("adds failureReason only to rows whose trial has one, after the fixed columns", () => {
    const rows = experimentToTable(experimentWithEverything());
    expect(rows[2]).toMatchObject({ trialStatus: "FAILED", failureReason: "out of memory" });
    expect(Object.keys(rows[2]!).at(-1)).toBe("failureReason");
    expect(rows.filter((r) => "failureReason" in r)).toHaveLength(1);
  });

  it("names the generator of each batch arm from its own generator run", () => {
    const rows = experimentToTable(experimentWithEverything());
    expect(rows.slice(3).map((r) => r.generatorModel)).toEqual(["Sobol", "Sobol", "Manual"]);
    expect(rows[5]).toMatchObject({ cost: 11, x: 6 });
  });

  it("adds metrics found only in the data after the declared ones", () => {
    const experiment = makeExperiment();
    const t = addTrial(experiment, { x: 1, kind: "a" });
    attach(experiment, t, { extra: 4, obj: 1 });
    expect(Object.keys(experimentToTable(experiment)[0]!).slice(0, 3)).toEqual([
      "obj",
      "extra",
      "trialIndex",
    ]);
  });

  it("renames parameters and metrics that collide with other columns", () => {
    const experiment = makeExperiment({ tracking: ["trialIndex", "x"] });
    addTrial(experiment, { x: 1, kind: "a" });
    const row = experimentToTable(experiment)[0]!;
    expect(Object.keys(row)).toEqual([
      "obj",
      "metric:trialIndex",
      "x",
      "trialIndex",
      "armName",
      "parameter:x",
      "kind",
      "trialStatus",
      "generatorModel",
    ]);
    expect(row).toMatchObject({ trialIndex: 0, "parameter:x": 1, x: undefined });
  });

  it("is empty for an experiment without trials", () => {
    expect(experimentToTable(makeExperiment())).toEqual([]);
  });

  it("reads each trial's data once (linear in the experiment)", () => {
    const experiment = makeExperiment({ tracking: ["memory"] });
    for (let i = 0; i < 50; i++) completed(experiment, i / 10, { obj: i, memory: 2 * i });
    const perTrial = vi.spyOn(experiment, "lookupTrialData");
    const all = vi.spyOn(experiment, "lookupData");
    const rows = experimentToTable(experiment);
    expect(rows).toHaveLength(50);
    expect(perTrial).toHaveBeenCalledTimes(50);
    expect(all).not.toHaveBeenCalled();
    expect(rows[49]).toMatchObject({ obj: 49, memory: 98, trialIndex: 49 });
  });

  it("prints with console.table", () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((line: unknown) => {
      lines.push(String(line));
    });
    try {
      console.table(experimentToTable(experimentWithEverything()));
    } finally {
      log.mockRestore();
    }
    const text = lines.join("\n");
    const header = text.split("\n").find((l) => l.includes("trialIndex"))!;
    const order = [
      "obj",
      "cost",
      "memory",
      "trialIndex",
      "armName",
      "x",
      "kind",
      "trialStatus",
      "generatorModel",
    ];
    const positions = order.map((c) => header.indexOf(` ${c} `));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain("out of memory");
  });
});
