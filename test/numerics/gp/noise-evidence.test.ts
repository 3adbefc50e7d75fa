import { describe, expect, it } from "vitest";
import { ModelFittingError } from "../../../src/errors.js";
import { fitGp, noiseLikelihoodGain } from "../../../src/numerics/gp/index.js";
import { Rng } from "../../../src/util/rng.js";
import { uniformPoints } from "./helpers.js";

/** A smooth function of two inputs whose values span about 2.5. */
const smooth = (a: number, b: number) => Math.sin(5 * a) + (b - 0.4) ** 2 + a * b;

/** n random points of `smooth`, plus Gaussian noise of sd `noiseSd` (seeded). */
function data(n: number, noiseSd: number, seed = 3) {
  const X = uniformPoints(n, 2, seed);
  const rng = new Rng(seed + 1);
  const Y = new Float64Array(n);
  for (let i = 0; i < n; i++) Y[i] = smooth(X[2 * i]!, X[2 * i + 1]!) + noiseSd * rng.normal();
  return { X, n, d: 2, Y };
}

function gainOf(d: ReturnType<typeof data>): number {
  const inferred = fitGp({ ...d, Yvar: null });
  return noiseLikelihoodGain(d, inferred);
}

describe("noiseLikelihoodGain", () => {
  it("finds no noise in exact values of a smooth function", () => {
    for (const seed of [3, 4, 5]) expect(gainOf(data(30, 0, seed))).toBeLessThanOrEqual(2);
  });

  it("finds noise of 1% and of 10% of the range", () => {
    const small = gainOf(data(30, 0.025));
    const large = gainOf(data(30, 0.25));
    expect(small).toBeGreaterThan(10);
    expect(large).toBeGreaterThan(10);
  });

  it("is far above any threshold when identical inputs have different outputs, which only noise explains", () => {
    const d = data(12, 0);
    d.X[2] = d.X[0]!;
    d.X[3] = d.X[1]!;
    d.Y[1] = d.Y[0]! + 1;
    expect(gainOf(d)).toBeGreaterThan(1_000);
  });

  it("refuses a model fitted with known noise", () => {
    const d = data(10, 0);
    const known = fitGp({ ...d, Yvar: new Float64Array(10).fill(0.01) });
    expect(() => noiseLikelihoodGain(d, known)).toThrow(ModelFittingError);
    expect(() => noiseLikelihoodGain(d, known)).toThrow(/known noise/);
  });
});
