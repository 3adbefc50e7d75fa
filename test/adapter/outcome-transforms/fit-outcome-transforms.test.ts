import { describe, expect, it } from "vitest";
import {
  fitOutcomeTransforms,
  OutcomeTransformChain,
  outcomeTransformContext,
  WinsorizeTransform,
} from "../../../src/adapter/outcome-transforms/index.js";
import { type WinsorizationTails, winsorizationTails } from "../../../src/adapter/winsorize.js";
import { ComparisonOp } from "../../../src/core/index.js";
import { Rng } from "../../../src/util/rng.js";
import { makeExperiment } from "../../reporting/helpers.js";
import { dataset } from "./helpers.js";

// Sorted: 1..8; q1 = sorted[floor(7/4)] = 2, q3 = sorted[ceil(21/4)] = 7, IQR 5.
const ordinary = [5, 1, 8, 3, 2, 7, 4, 6];
const upper: WinsorizationTails = { lower: null, upper: { anchor: null } };

describe("winsorization, Ax's automatic rule", () => {
  it("clips the bad tail at 1.5 interquartile ranges past the quartile, and keeps the sems", () => {
    const values = [...ordinary, 30, 100];
    // With 10 values: q1 = sorted[2] = 3, q3 = sorted[7] = 8 → fence 8 + 1.5·5 = 15.5.
    const out = WinsorizeTransform.fit(
      dataset(
        values,
        values.map(() => 0.25),
      ),
      upper,
      "auto",
    );
    expect(Array.from(out.dataset.Y)).toEqual([...ordinary, 15.5, 15.5]);
    expect(Array.from(out.dataset.Yvar!)).toEqual(values.map(() => 0.25));
    expect(out.numClipped).toBe(2);
    // The guard leaves the same data alone.
    expect(WinsorizeTransform.fit(dataset(values), upper, true).numClipped).toBe(0);
  });

  it("clips at the quartile when the interquartile range is zero, as Ax computes it", () => {
    const out = WinsorizeTransform.fit(dataset([1, 1, 1, 1, 1, 1, 9]), upper, "auto");
    expect(Array.from(out.dataset.Y)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it("maps bounds and predictions through unchanged", () => {
    const { transform } = WinsorizeTransform.fit(dataset(ordinary), upper, "auto");
    expect(transform.transformBound(3.25)).toBe(3.25);
    expect(transform.untransformPrediction(2, 0.5)).toEqual({ mean: 2, variance: 0.5 });
  });

  it("never clips the side holding an objective's optimum nor moves a value across a bound (seeded data)", () => {
    const rng = new Rng(17);
    for (let trial = 0; trial < 200; trial++) {
      const n = 3 + rng.int(30);
      const heavy = () => (rng.next() < 0.15 ? 10 ** (rng.next() * 8) : 1) * rng.normal();
      const raw = Array.from({ length: n }, heavy);
      const bound = rng.normal() * 3;
      const op = rng.next() < 0.5 ? ComparisonOp.LEQ : ComparisonOp.GEQ;
      const minimize = rng.next() < 0.5;
      const config = makeExperiment({ minimize, constraints: [{ metric: "c", op, bound }] })
        .optimizationConfig!;
      // The objective, on the maximization scale: its best value is its largest.
      const sign = minimize ? -1 : 1;
      const objective = dataset(
        raw.map((v) => sign * v),
        null,
        sign,
      );
      const clippedObjective = WinsorizeTransform.fit(
        objective,
        winsorizationTails(config, "obj", sign),
        "auto",
      );
      const top = Math.max(...objective.Y);
      objective.Y.forEach((y, i) => {
        const out = clippedObjective.dataset.Y[i]!;
        expect(out).toBeGreaterThanOrEqual(y); // only the low (bad) tail moves, and only up
        if (y === top) expect(out).toBe(y);
      });
      const constraint = dataset(raw);
      const clipped = WinsorizeTransform.fit(constraint, winsorizationTails(config, "c", 1), "auto").dataset;
      const feasible = (v: number) => (op === ComparisonOp.LEQ ? v <= bound : v >= bound);
      constraint.Y.forEach((y, i) => {
        const out = clipped.Y[i]!;
        if (feasible(y)) expect(out).toBe(y);
        else expect(feasible(out)).toBe(false);
      });
    }
  });
});

describe("OutcomeTransformChain", () => {
  const config = makeExperiment({
    minimize: true,
    constraints: [{ metric: "c", op: ComparisonOp.LEQ, bound: 2 }],
  }).optimizationConfig!;

  it("applies the steps in order to data and bounds, and undoes them in reverse for predictions", () => {
    const values = [0.5, 1, 1.5, 3, 8, 40, 2e4];
    const context = outcomeTransformContext(config, "c", 1);
    expect(context.constraintBound).toBe(2);
    const out = fitOutcomeTransforms(dataset(values), context, { winsorize: "auto", bilog: true });
    // Tukey's rule ("auto") clips objectives only: a constraint metric keeps the far-tail guard.
    expect(out.transforms.names).toEqual(["winsorize", "bilog"]);
    // Bilog of the bound is the bound; the acquisition's bound on the model's scale is unchanged.
    expect(out.transforms.transformBound(2)).toBe(2);
    // Each unclipped value comes back exactly through the chain's inverse.
    values.slice(0, 6).forEach((y, i) => {
      expect(out.transforms.untransformPrediction(out.dataset.Y[i]!, 0).mean).toBeCloseTo(y, 10);
    });
  });

  it("power-transforms objectives only, with bounds through the earlier steps", () => {
    const objective = outcomeTransformContext(config, "obj", -1);
    const values = [-1, -10, -100, -1e4, -1e6];
    const out = fitOutcomeTransforms(dataset(values, null, -1), objective, { powerTransform: "log" });
    expect(out.transforms.names).toEqual(["winsorize-auto", "log"]);
    const c = fitOutcomeTransforms(dataset([1, 2, 3]), outcomeTransformContext(config, "c", 1), {
      powerTransform: "yeo-johnson",
      bilog: false,
    });
    expect(c.transforms.names).toEqual(["winsorize"]);
  });

  it("is the guard alone without bilog and power transform, returning ordinary data and predictions bit for bit", () => {
    const data = dataset(
      ordinary,
      ordinary.map(() => 0.1),
    );
    const out = fitOutcomeTransforms(data, outcomeTransformContext(config, "obj", -1), {
      winsorize: true,
      bilog: false,
      powerTransform: "none",
    });
    expect(out.dataset).toBe(data);
    expect(out.transforms.names).toEqual(["winsorize"]);
    const mean = Float64Array.of(0.1, -3);
    const variance = Float64Array.of(0.2, 0);
    expect(new OutcomeTransformChain().untransformPredictions(mean, variance).mean).toBe(mean);
    expect(out.transforms.untransformPredictions(mean, variance)).toEqual({ mean, variance });
    const raw = fitOutcomeTransforms(data, outcomeTransformContext(config, "obj", -1), {
      winsorize: false,
      powerTransform: "none",
    });
    expect(raw.transforms.names).toEqual([]);
  });

  it("by default clips an objective by Tukey's rule, bilogs a constraint metric and power-transforms an objective", () => {
    const objective = fitOutcomeTransforms(
      dataset(ordinary, null, -1),
      outcomeTransformContext(config, "obj", -1),
    );
    expect(objective.transforms.names[0]).toBe("winsorize-auto");
    expect(["log", "yeo-johnson"]).toContain(objective.transforms.names[1]);
    const constraint = fitOutcomeTransforms(dataset([1, 2, 3]), outcomeTransformContext(config, "c", 1));
    expect(constraint.transforms.names).toEqual(["winsorize", "bilog"]);
  });

  it("reads the bounds of a metric on its dataset's scale", () => {
    const moo = makeExperiment({ multiObjective: true, thresholds: { obj: 4 } }).optimizationConfig!;
    expect(outcomeTransformContext(moo, "obj", -1)).toMatchObject({ bounds: [-4], isObjective: true });
    expect(outcomeTransformContext(null, "obj", 1)).toMatchObject({ bounds: [], constraintBound: null });
  });
});
