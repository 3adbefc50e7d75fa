import { describe, expect, it } from "vitest";
import { NumericalError } from "../../../src/errors.js";
import { createGp, samplePosteriorJointly, thompsonOrder } from "../../../src/numerics/gp/index.js";
import { Rng } from "../../../src/util/rng.js";
import { F } from "./helpers.js";

/** A 1-d GP on three noiseless points, with fixed hyperparameters. */
function model() {
  return createGp({
    X: F([0.1, 0.5, 0.9]),
    n: 3,
    d: 1,
    Y: F([1, -1, 0.5]),
    Yvar: F([0, 0, 0]),
    hyperparameters: { lengthscales: [0.2], outputscale: 1, constantMean: 0, noiseVariance: null },
  });
}

describe("samplePosteriorJointly", () => {
  it("is the same draw for the same seed and differs for another", () => {
    const X = F([0.2, 0.3, 0.7]);
    const a = samplePosteriorJointly(model(), X, 3, new Rng(7));
    const b = samplePosteriorJointly(model(), X, 3, new Rng(7));
    const c = samplePosteriorJointly(model(), X, 3, new Rng(8));
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
  });

  it("reproduces the observations at the training points of a noiseless model", () => {
    const draw = samplePosteriorJointly(model(), F([0.1, 0.5, 0.9]), 3, new Rng(1));
    // The posterior there has (almost) zero variance: only the factorization's jitter remains.
    expect(draw[0]).toBeCloseTo(1, 2);
    expect(draw[1]).toBeCloseTo(-1, 2);
    expect(draw[2]).toBeCloseTo(0.5, 2);
  });

  it("has the posterior's mean and covariance over many draws", () => {
    const gp = model();
    const X = F([0.3, 0.32, 0.7]);
    const { mean, covariance } = gp.jointPosterior(X, 3);
    const rng = new Rng(123);
    const draws = 4000;
    const sum = new Float64Array(3);
    const cross = new Float64Array(9);
    for (let s = 0; s < draws; s++) {
      const f = samplePosteriorJointly(gp, X, 3, rng);
      for (let i = 0; i < 3; i++) {
        sum[i]! += f[i]!;
        for (let j = 0; j < 3; j++) cross[i * 3 + j]! += (f[i]! - mean[i]!) * (f[j]! - mean[j]!);
      }
    }
    const scale = Math.sqrt(Math.max(...[0, 4, 8].map((k) => covariance[k]!)));
    for (let i = 0; i < 3; i++) expect(Math.abs(sum[i]! / draws - mean[i]!)).toBeLessThan(0.06 * scale);
    for (let k = 0; k < 9; k++) {
      expect(Math.abs(cross[k]! / draws - covariance[k]!)).toBeLessThan(0.06 * scale * scale);
    }
    // Nearby points are drawn together: their sample correlation follows the posterior's (close to 1).
    const corr = cross[1]! / Math.sqrt(cross[0]! * cross[4]!);
    expect(corr).toBeGreaterThan(0.95);
  });

  it("refuses a candidate set of the wrong shape", () => {
    expect(() => samplePosteriorJointly(model(), F([0.1, 0.2]), 3, new Rng(0))).toThrow(NumericalError);
    expect(() => samplePosteriorJointly(model(), new Float64Array(0), 0, new Rng(0))).toThrow(NumericalError);
  });
});

describe("thompsonOrder", () => {
  it("orders the candidates by the draw, its argmax first", () => {
    const X = F(Array.from({ length: 50 }, (_, i) => i / 49));
    const { order, sample } = thompsonOrder(model(), X, 50, new Rng(5));
    const argmax = sample.indexOf(Math.max(...sample));
    expect(order[0]).toBe(argmax);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    for (let i = 1; i < 50; i++) expect(sample[order[i - 1]!]!).toBeGreaterThanOrEqual(sample[order[i]!]!);
  });

  it("is the draw of samplePosteriorJointly with the same seed", () => {
    const X = F([0.05, 0.3, 0.6, 0.95]);
    const { sample } = thompsonOrder(model(), X, 4, new Rng(9));
    expect([...sample]).toEqual([...samplePosteriorJointly(model(), X, 4, new Rng(9))]);
  });
});
