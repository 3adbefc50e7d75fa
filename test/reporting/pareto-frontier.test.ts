import { describe, expect, it } from "vitest";
import { ComparisonOp, Data, type Experiment } from "../../src/core/index.js";
import { OptimizationConfigError } from "../../src/errors.js";
import { paretoFrontier } from "../../src/reporting/pareto-frontier.js";
import { Client } from "../../src/service/client.js";
import { addTrial, completed, makeExperiment } from "./helpers.js";

/** Minimize "obj", maximize "obj2", over x in [0, 10] and kind in {a, b}. */
function moExperiment(
  options: {
    thresholds?: { obj?: number; obj2?: number };
    constraints?: { metric: string; op: ComparisonOp; bound: number }[];
  } = {},
): Experiment {
  return makeExperiment({ ...options, multiObjective: true });
}

/** A(1, 1), B(2, 3), C(3, 4) form the front; D(2.5, 2) and E(4, 3.5) are dominated. */
function withFivePoints(experiment: Experiment, extra: Record<string, number> = {}): void {
  completed(experiment, 1, { obj: 3, obj2: 4, ...extra }); // C, trial 0
  completed(experiment, 2, { obj: 1, obj2: 1, ...extra }); // A, trial 1
  completed(experiment, 3, { obj: 2.5, obj2: 2, ...extra }); // D
  completed(experiment, 4, { obj: 2, obj2: 3, ...extra }); // B, trial 3
  completed(experiment, 5, { obj: 4, obj2: 3.5, ...extra }); // E
}

describe("paretoFrontier", () => {
  it("returns the non-dominated arms best first in the first objective, and their hypervolume", () => {
    const experiment = moExperiment();
    withFivePoints(experiment);
    const frontier = paretoFrontier(experiment);
    expect(frontier.objectives).toEqual([
      { metricName: "obj", minimize: true },
      { metricName: "obj2", minimize: false },
    ]);
    expect(frontier.points.map((p) => p.trialIndex)).toEqual([1, 3, 0]);
    expect(frontier.points[1]).toEqual({
      trialIndex: 3,
      armName: "3_0",
      parameters: { x: 4, kind: "a" },
      values: { obj: 2, obj2: 3 },
      sems: { obj: null, obj2: null },
    });
    // Inferred: nadir minus 10% of the front's range, (3 + 0.2, 1 − 0.3).
    expect(frontier.inferredObjectives).toEqual(["obj", "obj2"]);
    expect(frontier.referencePoint!.obj).toBeCloseTo(3.2, 12);
    expect(frontier.referencePoint!.obj2).toBeCloseTo(0.7, 12);
    // Staircase by hand: 1·0.3 + 1·2.3 + 0.2·3.3.
    expect(frontier.hypervolume).toBeCloseTo(3.26, 12);
  });

  it("respects the objective thresholds and measures the hypervolume from them", () => {
    const experiment = moExperiment({ thresholds: { obj: 2.5, obj2: 1.5 } });
    withFivePoints(experiment);
    completed(experiment, 6, { obj: 2.2, obj2: 3.2 }); // F: a trade-off with B inside the thresholds
    const frontier = paretoFrontier(experiment);
    // A (obj2 = 1 < 1.5) and C (obj = 3 > 2.5) are optimal but outside the thresholds.
    expect(frontier.points.map((p) => p.values)).toEqual([
      { obj: 2, obj2: 3 },
      { obj: 2.2, obj2: 3.2 },
    ]);
    for (const p of frontier.points) {
      expect(p.values.obj).toBeLessThanOrEqual(2.5);
      expect(p.values.obj2).toBeGreaterThanOrEqual(1.5);
    }
    expect(frontier.referencePoint).toEqual({ obj: 2.5, obj2: 1.5 });
    expect(frontier.inferredObjectives).toEqual([]);
    expect(frontier.hypervolume).toBeCloseTo(0.2 * 1.5 + 0.3 * 1.7, 12);
  });

  it("leaves out arms that violate an outcome constraint or lack its metric, and unfinished trials", () => {
    const experiment = moExperiment({ constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 10 }] });
    withFivePoints(experiment, { cost: 1 });
    completed(experiment, 7, { obj: 0, obj2: 9, cost: 11 }); // dominates all, infeasible
    completed(experiment, 8, { obj: 0, obj2: 9 }); // no cost observed
    const running = addTrial(experiment, { x: 9, kind: "b" });
    experiment.attachData(
      Data.fromRows(
        ["obj", "obj2", "cost"].map((metricName) => ({
          trialIndex: running.index,
          armName: running.arm.name!,
          metricName,
          mean: metricName === "obj2" ? 9 : 0,
          sem: 0,
        })),
      ),
    );
    expect(paretoFrontier(experiment).points.map((p) => p.trialIndex)).toEqual([1, 3, 0]);
  });

  it("takes a fixed reference point, and reports sems", () => {
    const experiment = moExperiment({ thresholds: { obj: 2.5 } });
    const trial = addTrial(experiment, { x: 1, kind: "b" });
    experiment.attachData(
      Data.fromRows([
        { trialIndex: trial.index, armName: trial.arm.name!, metricName: "obj", mean: 1, sem: 0.1 },
        { trialIndex: trial.index, armName: trial.arm.name!, metricName: "obj2", mean: 2, sem: 0 },
      ]),
    );
    trial.markCompleted();
    const frontier = paretoFrontier(experiment, { referencePoint: { obj2: 0 } });
    expect(frontier.points[0]!.sems).toEqual({ obj: 0.1, obj2: 0 });
    expect(frontier.referencePoint).toEqual({ obj: 2.5, obj2: 0 });
    expect(frontier.hypervolume).toBeCloseTo(1.5 * 2, 12);
    expect(() => paretoFrontier(experiment, { referencePoint: { cost: 1 } })).toThrow(
      OptimizationConfigError,
    );
    expect(() => paretoFrontier(experiment, { referencePoint: { obj: Number.NaN } })).toThrow(
      /finite number/,
    );
  });

  it("is empty with no feasible observation, with a reference point only when thresholds give one", () => {
    const empty = paretoFrontier(moExperiment());
    expect(empty).toMatchObject({ points: [], referencePoint: null, hypervolume: 0 });
    const outside = moExperiment({ thresholds: { obj: 0.5, obj2: 5 } });
    withFivePoints(outside);
    expect(paretoFrontier(outside)).toMatchObject({
      points: [],
      referencePoint: { obj: 0.5, obj2: 5 },
      hypervolume: 0,
    });
  });

  it("refuses single-objective experiments, pointing to the best point", () => {
    const experiment = makeExperiment();
    expect(() => paretoFrontier(experiment)).toThrow(OptimizationConfigError);
    expect(() => paretoFrontier(experiment)).toThrow(/bestPoint/);
  });
});

describe("Client.getParetoOptimalParameters", () => {
  const parameters = [
    { name: "x1", type: "range" as const, bounds: [0, 1] as [number, number] },
    { name: "x2", type: "range" as const, bounds: [0, 1] as [number, number] },
  ];

  it("maps trial indices to the parameters and objective values of the observed front", async () => {
    const client = new Client({ seed: 0, verboseLogging: false });
    await client.createExperiment({
      name: "mo",
      parameters,
      objectives: { a: { minimize: true, threshold: 1.5 }, b: { minimize: true } },
    });
    const values = [
      [1, 2],
      [2, 1], // outside the threshold on a
      [0.5, 3],
      [1.2, 2.5], // dominated by [1, 2]
    ];
    for (const [a, b] of values) {
      const { trialIndex } = await client.getNextTrial();
      await client.completeTrial(trialIndex, { a: [a!, 0], b: [b!, 0] });
    }
    const front = await client.getParetoOptimalParameters();
    expect([...front.keys()]).toEqual([2, 0]);
    expect(front.get(0)).toEqual({
      parameters: client.getTrial(0).arms[0]!.parameters,
      values: { a: 1, b: 2 },
    });
  });

  it("refuses a single-objective experiment", async () => {
    const client = new Client({ verboseLogging: false });
    await client.createExperiment({ name: "so", parameters, objectives: { a: { minimize: true } } });
    await expect(client.getParetoOptimalParameters()).rejects.toThrow(OptimizationConfigError);
  });
});
