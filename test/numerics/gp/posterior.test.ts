import { describe, expect, it } from "vitest";
import { NumericalError } from "../../../src/errors.js";
import { createGp, type GpModel } from "../../../src/numerics/gp/index.js";
import {
  F,
  finiteDifference,
  fixtureTolerance,
  gpReference,
  relativeError,
  uniformPoints,
} from "./helpers.js";

function fixtureModel(c: (typeof gpReference.cases)[number]): GpModel {
  return createGp({
    X: F(c.X),
    n: c.n,
    d: c.d,
    Y: F(c.Y),
    Yvar: c.Yvar === null ? null : F(c.Yvar),
    hyperparameters: c.hyperparameters,
  });
}

/** Against sklearn, mean, variance and covariance within {@link fixtureTolerance} (relative, normwise). */
describe("posterior against scikit-learn", () => {
  it.each(gpReference.cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const model = fixtureModel(c);
    const options = { includeNoise: c.includeNoise };
    const tol = fixtureTolerance(c.cond);
    const { mean, variance } = model.predict(F(c.Xstar), c.m, options);
    expect(relativeError(mean, c.mean)).toBeLessThan(tol);
    expect(relativeError(variance, c.variance)).toBeLessThan(tol);
    const joint = model.jointPosterior(F(c.Xstar), c.m, options);
    expect(relativeError(joint.mean, c.mean)).toBeLessThan(tol);
    expect(relativeError(joint.covariance, c.covariance)).toBeLessThan(tol);
    if (!c.includeNoise) {
      for (let j = 0; j < c.m; j++) {
        const p = model.predictWithGradient(F(c.Xstar.slice(j * c.d, (j + 1) * c.d)));
        expect(Math.abs(p.mean - c.mean[j]!)).toBeLessThan(tol * Math.abs(c.mean[j]!));
        expect(Math.abs(p.variance - c.variance[j]!)).toBeLessThan(tol * Math.max(...c.variance));
      }
    }
  });
});

describe("predictWithGradient", () => {
  const n = 40;
  const d = 5;
  const X = uniformPoints(n, d, 3);
  const Y = F(Array.from({ length: n }, (_, i) => 3 * Math.cos(5 * X[i * d]!) + 10 * X[i * d + 2]! ** 2));
  const model = createGp({
    X,
    n,
    d,
    Y,
    Yvar: null,
    hyperparameters: {
      lengthscales: [0.4, 0.9, 0.6, 2, 1.1],
      outputscale: 1.3,
      constantMean: 0.1,
      noiseVariance: 1e-3,
    },
  });
  const points = [F([0.2, 0.4, 0.6, 0.8, 0.5]), F([0.9, 0.05, 0.33, 0.71, 0.2]), X.slice(2 * d, 3 * d)];

  it("matches central differences of predict (relative error ≤ 1e-6)", () => {
    for (const x of points) {
      const p = model.predictWithGradient(x);
      const fdMean = finiteDifference((y) => model.predict(y, 1).mean[0]!, x);
      const fdVar = finiteDifference((y) => model.predict(y, 1).variance[0]!, x);
      expect(relativeError(p.dMean, fdMean)).toBeLessThan(1e-6);
      expect(relativeError(p.dVariance, fdVar)).toBeLessThan(1e-6);
    }
  });

  it("agrees with predict and writes into one reused result, or into out", () => {
    const a = model.predictWithGradient(points[0]!);
    const mean0 = a.mean;
    const b = model.predictWithGradient(points[1]!);
    expect(b).toBe(a);
    const ref = model.predict(points[1]!, 1);
    expect(Math.abs(b.mean - ref.mean[0]!)).toBeLessThan(1e-12 * Math.abs(ref.mean[0]!));
    expect(Math.abs(b.variance - ref.variance[0]!)).toBeLessThan(1e-12 * ref.variance[0]!);
    const out = { mean: 0, variance: 0, dMean: new Float64Array(d), dVariance: new Float64Array(d) };
    expect(model.predictWithGradient(points[0]!, out)).toBe(out);
    expect(out.mean).toBe(mean0);
    expect(() => model.predictWithGradient(new Float64Array(d + 1))).toThrow(NumericalError);
  });

  it("adds the noise variance with includeNoise and keeps the joint covariance consistent", () => {
    const Xs = uniformPoints(6, d, 9);
    const latent = model.predict(Xs, 6);
    const noisy = model.predict(Xs, 6, { includeNoise: true });
    const { std } = model.outcomeTransform;
    for (let j = 0; j < 6; j++) {
      expect(noisy.variance[j]! - latent.variance[j]!).toBeCloseTo(1e-3 * std * std, 12);
    }
    const joint = model.jointPosterior(Xs, 6);
    for (let j = 0; j < 6; j++) {
      expect(Math.abs(joint.covariance[j * 6 + j]! - latent.variance[j]!)).toBeLessThan(1e-12 * std * std);
    }
  });

  it("rejects points of the wrong shape", () => {
    expect(() => model.predict(new Float64Array(7), 1)).toThrow(NumericalError);
    expect(() => model.jointPosterior(new Float64Array(2 * d), 3)).toThrow(NumericalError);
  });
});
