import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ModelFittingError } from "../../../src/errors.js";
import { createGp, fitGp, type GpHyperparameters, leaveOneOut } from "../../../src/numerics/gp/index.js";
import { Rng } from "../../../src/util/rng.js";

/** One case of test/fixtures/leave-one-out-reference.json (scripts/fixtures/leave-one-out-reference.py). */
interface LooCase {
  name: string;
  n: number;
  d: number;
  X: number[];
  Y: number[];
  Yvar: number[] | null;
  hyperparameters: GpHyperparameters;
  mean: number[];
  variance: number[];
  latentVariance: number[];
}

const cases: LooCase[] = JSON.parse(
  readFileSync(new URL("../../fixtures/leave-one-out-reference.json", import.meta.url), "utf8"),
).cases;

function expectClose(actual: Float64Array, expected: number[], relative: number): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    expect(Math.abs(actual[i]! - e)).toBeLessThanOrEqual(relative * Math.max(Math.abs(e), 1e-3));
  });
}

describe("leaveOneOut", () => {
  for (const c of cases) {
    it(`equals conditioning on the other n − 1 points (scikit-learn, ${c.name})`, () => {
      const loo = leaveOneOut({
        X: Float64Array.from(c.X),
        n: c.n,
        d: c.d,
        Y: Float64Array.from(c.Y),
        Yvar: c.Yvar === null ? null : Float64Array.from(c.Yvar),
        hyperparameters: c.hyperparameters,
      });
      expectClose(loo.mean, c.mean, 1e-7);
      expectClose(loo.variance, c.variance, 1e-6);
      expectClose(loo.latentVariance, c.latentVariance, 1e-5);
    });
  }

  it("matches a model built without the point, with the full model's standardization", () => {
    const rng = new Rng(4);
    const n = 12;
    const d = 2;
    const X = Float64Array.from({ length: n * d }, () => rng.next());
    const Y = Float64Array.from({ length: n }, (_, i) => Math.cos(4 * X[i * d]!) + X[i * d + 1]! ** 2);
    const model = fitGp({ X, n, d, Y, Yvar: null });
    const loo = leaveOneOut({ X, n, d, Y, Yvar: null, hyperparameters: model.hyperparameters });
    const i = 5;
    const keep = [...Array(n).keys()].filter((k) => k !== i);
    const without = createGp({
      X: Float64Array.from(keep.flatMap((k) => [X[k * d]!, X[k * d + 1]!])),
      n: n - 1,
      d,
      Y: Float64Array.from(keep.map((k) => Y[k]!)),
      Yvar: null,
      hyperparameters: model.hyperparameters,
      outcomeTransform: model.outcomeTransform,
    });
    const p = without.predict(X.subarray(i * d, i * d + d), 1, { includeNoise: true });
    expect(loo.mean[i]).toBeCloseTo(p.mean[0]!, 9);
    expect(loo.variance[i]).toBeCloseTo(p.variance[0]!, 9);
  });

  it("refuses a single observation", () => {
    const h = { lengthscales: [0.5], outputscale: 1, constantMean: 0, noiseVariance: 0.1 };
    expect(() =>
      leaveOneOut({
        X: Float64Array.of(0.5),
        n: 1,
        d: 1,
        Y: Float64Array.of(1),
        Yvar: null,
        hyperparameters: h,
      }),
    ).toThrow(ModelFittingError);
  });
});
