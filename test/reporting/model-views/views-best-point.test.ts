import { describe, expect, it } from "vitest";
import { ModelViews, modelBestPoint, viewsBestPoint } from "../../../src/index.js";
import { ComparisonOp, float, modelExperiment } from "./helpers.js";

const constrained = (trials: number) =>
  modelExperiment({
    parameters: [float("a"), float("b")],
    evaluate: (p, rng) => ({
      obj: (p.a as number) ** 2 + Math.sin(3 * (p.b as number)) + 0.05 * rng.normal(),
      cost: (p.a as number) + (p.b as number),
    }),
    constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 1.2 }],
    trials,
  });

describe("viewsBestPoint", () => {
  it("picks modelBestPoint's arm when the views fit every observation, with the same kind of predictions", () => {
    const experiment = constrained(30);
    const fromViews = viewsBestPoint(new ModelViews(experiment))!;
    const direct = modelBestPoint(experiment)!;
    expect(fromViews.armName).toBe(direct.armName);
    expect(Object.keys(fromViews.predictions).sort()).toEqual(["cost", "obj"]);
    expect(fromViews.predictions.obj!.mean).toBeCloseTo(direct.predictions.obj!.mean, 1);
    expect(fromViews.values).toEqual(direct.values);
    expect(fromViews).toMatchObject({ fittedObservations: 30, totalObservations: 30 });
  });

  it("says when the models were fitted to a random subset of the observations", () => {
    const best = viewsBestPoint(new ModelViews(constrained(40), { maxObservations: 25 }))!;
    expect(best).toMatchObject({ fittedObservations: 25, totalObservations: 40 });
    expect(best.predictions.cost!.mean).toBeLessThanOrEqual(1.2);
  });

  it("is null when the model cannot judge or there are several objectives", () => {
    expect(viewsBestPoint(new ModelViews(constrained(2)))).toBeNull();
    const twoObjectives = modelExperiment({
      parameters: [float("a")],
      objectives: ["f1", "f2"],
      evaluate: (p) => ({ f1: p.a as number, f2: 1 - (p.a as number) }),
      trials: 10,
    });
    expect(viewsBestPoint(new ModelViews(twoObjectives))).toBeNull();
  });
});
