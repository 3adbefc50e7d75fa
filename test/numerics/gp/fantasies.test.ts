import { describe, expect, it } from "vitest";
import { NumericalError } from "../../../src/errors.js";
import { createGp, type GpHyperparameters } from "../../../src/numerics/gp/index.js";
import { F, relativeError, uniformPoints } from "./helpers.js";

const d = 2;
const n = 15;
const X = uniformPoints(n, d, 21);
const Y = F(Array.from({ length: n }, (_, i) => Math.sin(5 * X[i * d]!) + 2 * X[i * d + 1]!));
const k = 3;
const Xpending = F([0.31, 0.72, 0.88, 0.12, 0.5, 0.5]);
const far = F([5, 5]); // far outside the data: prior variance there
const base = { lengthscales: [0.3, 0.4], outputscale: 1.2, constantMean: 0.1 };

/** The fantasy model next to one built from scratch on the concatenated data (no refit). */
function pair(noiseVariance: number | null, Yfantasy?: Float64Array) {
  const hyperparameters: GpHyperparameters = { ...base, noiseVariance };
  const Yvar = noiseVariance === null ? new Float64Array(n) : null;
  const model = createGp({ X, n, d, Y, Yvar, hyperparameters });
  const fantasy = model.withFantasies(Xpending, k, Yfantasy);
  const believed = Yfantasy ?? model.predict(Xpending, k).mean;
  const direct = createGp({
    X: F([...X, ...Xpending]),
    n: n + k,
    d,
    Y: F([...Y, ...believed]),
    Yvar: Yvar === null ? null : new Float64Array(n + k),
    hyperparameters,
    outcomeTransform: model.outcomeTransform,
  });
  return { model, fantasy, direct };
}

describe("withFantasies", () => {
  it.each([
    ["noiseless data", null],
    ["inferred noise", 0.01],
  ] as const)("equals the posterior recomputed on the extended data, %s (≤ 1e-10)", (_, noise) => {
    const { fantasy, direct } = pair(noise, F([0.3, -1, 2]));
    const Xs = uniformPoints(10, d, 4);
    const a = fantasy.jointPosterior(Xs, 10);
    const b = direct.jointPosterior(Xs, 10);
    expect(relativeError(a.mean, b.mean)).toBeLessThan(1e-10);
    expect(relativeError(a.covariance, b.covariance)).toBeLessThan(1e-10);
    expect(Math.abs(fantasy.logMarginalLikelihood() - direct.logMarginalLikelihood())).toBeLessThan(1e-9);
    expect(fantasy.n).toBe(n + k);
  });

  it("shrinks the variance at pending points to ≈ 0 (noiseless), keeps it far away, keeps the mean", () => {
    const { model, fantasy } = pair(null);
    const before = model.predict(Xpending, k);
    const after = fantasy.predict(Xpending, k);
    for (let a = 0; a < k; a++) {
      expect(before.variance[a]!).toBeGreaterThan(1e-3);
      // What is left is the 1e-6 (standardized) stability floor of the fixed noise.
      expect(after.variance[a]!).toBeLessThan(1e-6 * model.outcomeTransform.std ** 2);
      expect(after.mean[a]!).toBeCloseTo(before.mean[a]!, 8);
    }
    const pFar = fantasy.predictWithGradient(far);
    expect(pFar.variance).toBeCloseTo(model.predict(far, 1).variance[0]!, 10);
    const Xs = uniformPoints(20, d, 7);
    const m0 = model.predict(Xs, 20).mean;
    expect(relativeError(fantasy.predict(Xs, 20).mean, m0)).toBeLessThan(1e-8);
  });

  it("chains, and rejects malformed pending points", () => {
    const { model } = pair(0.01);
    const twice = model.withFantasies(Xpending.subarray(0, 2), 1).withFantasies(Xpending.subarray(2), 2);
    const once = model.withFantasies(Xpending, k);
    const Xs = uniformPoints(5, d, 2);
    expect(relativeError(twice.predict(Xs, 5).variance, once.predict(Xs, 5).variance)).toBeLessThan(1e-10);
    // No pending point: the same posterior, exactly.
    const none = model.withFantasies(new Float64Array(0), 0);
    expect(none.predict(Xs, 5).mean).toEqual(model.predict(Xs, 5).mean);
    expect(none.predict(Xs, 5).variance).toEqual(model.predict(Xs, 5).variance);
    expect(() => model.withFantasies(F([0.1]), 1)).toThrow(NumericalError);
    expect(() => model.withFantasies(F([0.1, Number.NaN]), 1)).toThrow(NumericalError);
  });
});
