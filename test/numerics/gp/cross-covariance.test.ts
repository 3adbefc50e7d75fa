import { describe, expect, it } from "vitest";
import { NumericalError } from "../../../src/errors.js";
import type { JointSurrogate } from "../../../src/numerics/acquisition/index.js";
import { createGp, type GpModel } from "../../../src/numerics/gp/index.js";
import { finiteDifference, relativeError, uniformPoints } from "./helpers.js";

const d = 3;
const n = 14;
const nb = 5;

function model(inferNoise: boolean): GpModel {
  const X = uniformPoints(n, d, 11);
  const Y = Float64Array.from(
    { length: n },
    (_, i) => Math.sin(4 * X[i * d]!) + X[i * d + 1]! ** 2 - X[i * d + 2]!,
  );
  return createGp({
    X,
    n,
    d,
    Y,
    Yvar: inferNoise ? null : new Float64Array(n).fill(0.01),
    hyperparameters: {
      lengthscales: [0.3, 0.5, 0.8],
      outputscale: 1.4,
      constantMean: 0.1,
      noiseVariance: inferNoise ? 0.02 : null,
    },
  });
}

describe("GpModel.prepareCrossCovariance", () => {
  // Compile-time check that GpModel is what qLogNEI consumes.
  const surrogate: JointSurrogate = model(true);
  const B = uniformPoints(nb, d, 12);

  it.each([
    ["inferred noise", true],
    ["fixed noise", false],
  ] as const)("equals the off-diagonal block of jointPosterior([B; x]) (%s)", (_, inferNoise) => {
    const gp = model(inferNoise);
    const cross = gp.prepareCrossCovariance(B, nb);
    const cov = new Float64Array(nb);
    const dCov = new Float64Array(nb * d);
    const points = uniformPoints(4, d, 13);
    // Also a point on B itself, and one outside the unit cube.
    const xs = [...Array.from({ length: 4 }, (_, j) => points.slice(j * d, (j + 1) * d)), B.slice(d, 2 * d)];
    xs.push(new Float64Array([1.3, -0.2, 0.5]));
    for (const x of xs) {
      cross.evaluate(x, cov, dCov);
      const joined = new Float64Array((nb + 1) * d);
      joined.set(B);
      joined.set(x, nb * d);
      const joint = gp.jointPosterior(joined, nb + 1).covariance;
      const expected = Float64Array.from({ length: nb }, (_, i) => joint[i * (nb + 1) + nb]!);
      expect(relativeError(cov, expected)).toBeLessThan(1e-10);
    }
  });

  it("has the gradient of central finite differences", () => {
    const cross = surrogate.prepareCrossCovariance(B, nb);
    const cov = new Float64Array(nb);
    const dCov = new Float64Array(nb * d);
    const scratch = new Float64Array(nb);
    const scratchGrad = new Float64Array(nb * d);
    const points = uniformPoints(5, d, 14);
    for (let p = 0; p < 5; p++) {
      const x = points.slice(p * d, (p + 1) * d);
      cross.evaluate(x, cov, dCov);
      for (let i = 0; i < nb; i++) {
        const fd = finiteDifference(
          (y) => {
            cross.evaluate(y, scratch, scratchGrad);
            return scratch[i]!;
          },
          x,
          1e-6,
        );
        const analytic = dCov.slice(i * d, (i + 1) * d);
        for (let k = 0; k < d; k++) {
          expect(Math.abs(analytic[k]! - fd[k]!), `point ${p}, B_${i}, ∂x_${k}`).toBeLessThan(
            1e-6 * Math.max(1, Math.abs(fd[k]!)),
          );
        }
      }
    }
  });

  it("is deterministic and leaves B unchanged", () => {
    const copy = B.slice();
    const cross = surrogate.prepareCrossCovariance(B, nb);
    const x = new Float64Array([0.2, 0.7, 0.4]);
    const a = new Float64Array(nb);
    const b = new Float64Array(nb);
    const da = new Float64Array(nb * d);
    const db = new Float64Array(nb * d);
    cross.evaluate(x, a, da);
    cross.evaluate(x, b, db);
    expect(b).toEqual(a);
    expect(db).toEqual(da);
    expect(B).toEqual(copy);
  });

  it("rejects mismatched shapes", () => {
    expect(() => surrogate.prepareCrossCovariance(B, nb + 1)).toThrow(NumericalError);
    const cross = surrogate.prepareCrossCovariance(B, nb);
    expect(() =>
      cross.evaluate(new Float64Array(d), new Float64Array(nb - 1), new Float64Array(nb * d)),
    ).toThrow(NumericalError);
    expect(() =>
      cross.evaluate(new Float64Array(d + 1), new Float64Array(nb), new Float64Array(nb * d)),
    ).toThrow(NumericalError);
  });
});

describe("PosteriorCrossCovariance.evaluateCovariance", () => {
  it.each([1, 4, 7])("writes bit for bit the covariance of evaluate (%i baseline points)", (count) => {
    const cross = model(true).prepareCrossCovariance(uniformPoints(count, d, 21), count);
    const covariance = new Float64Array(count);
    const dCovariance = new Float64Array(count * d);
    const only = new Float64Array(count);
    for (let t = 0; t < 5; t++) {
      const x = uniformPoints(1, d, 30 + t);
      cross.evaluate(x, covariance, dCovariance);
      cross.evaluateCovariance!(x, only);
      expect(Array.from(only)).toEqual(Array.from(covariance));
    }
  });
});
