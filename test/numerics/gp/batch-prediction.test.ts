import { describe, expect, it } from "vitest";
import {
  LogExpectedImprovement,
  LogProbabilityOfFeasibility,
} from "../../../src/numerics/acquisition/index.js";
import { createGp, SIMD_MIN_EXCLUSIVE_OBSERVATIONS } from "../../../src/numerics/gp/index.js";
import { F, uniformPoints } from "./helpers.js";

describe("batch prediction", () => {
  const d = 3;
  const n = 80;
  const X = uniformPoints(n, d, 31);
  const Y = F(Array.from({ length: n }, (_, i) => Math.cos(5 * X[i * d]!) + X[i * d + 1]! * X[i * d + 2]!));
  const gp = createGp({
    X,
    n,
    d,
    Y,
    Yvar: null,
    hyperparameters: {
      lengthscales: [0.2, 0.4, 0.7],
      outputscale: 1.3,
      constantMean: -0.2,
      noiseVariance: 1e-3,
    },
  });
  // More points than one block of the batched solve, plus a remainder, plus the training inputs themselves.
  const m = 600;
  const Xstar = new Float64Array(m * d);
  Xstar.set(uniformPoints(m - n, d, 32));
  Xstar.set(X, (m - n) * d);

  it("equals per-point predictions, for many points at once", () => {
    const batch = gp.predict(Xstar, m);
    for (let j = 0; j < m; j++) {
      const x = Xstar.slice(j * d, (j + 1) * d);
      const one = gp.predict(x, 1);
      const withGradient = gp.predictWithGradient(x);
      expect(batch.mean[j]).toBeCloseTo(one.mean[0]!, 12);
      expect(batch.variance[j]).toBeCloseTo(one.variance[0]!, 12);
      expect(withGradient.mean).toBeCloseTo(batch.mean[j]!, 12);
      expect(withGradient.variance).toBeCloseTo(batch.variance[j]!, 10);
      const value = gp.predictValue(x);
      expect(value.mean).toBe(withGradient.mean);
      expect(value.variance).toBe(withGradient.variance);
    }
  });

  it("gives LogEI and LogPF the same values with and without a gradient (value-only path)", () => {
    const logEI = new LogExpectedImprovement(gp, 0.8);
    const logPF = new LogProbabilityOfFeasibility([{ surrogate: gp, bound: 0.2, op: "GEQ" }]);
    const gradient = new Float64Array(d);
    for (let j = 0; j < m; j += 7) {
      const x = Xstar.slice(j * d, (j + 1) * d);
      expect(logEI.evaluate(x)).toBe(logEI.evaluate(x, gradient));
      expect(logPF.evaluate(x)).toBe(logPF.evaluate(x, gradient));
    }
  });

  it("equals the diagonal of the joint posterior", () => {
    const k = 40;
    const joint = gp.jointPosterior(Xstar.subarray(0, k * d), k);
    const batch = gp.predict(Xstar.subarray(0, k * d), k);
    for (let j = 0; j < k; j++) {
      expect(joint.mean[j]).toBeCloseTo(batch.mean[j]!, 12);
      expect(joint.covariance[j * k + j]).toBeCloseTo(batch.variance[j]!, 12);
    }
  });
});

describe("batch prediction above SIMD_MIN_EXCLUSIVE_OBSERVATIONS (WebAssembly solves)", () => {
  const d = 2;
  // Odd, so the solves end on a single row of L; m leaves a block with fewer than four points.
  const n = SIMD_MIN_EXCLUSIVE_OBSERVATIONS + 21;
  const m = 16 + 16 + 7;
  const X = uniformPoints(n, d, 41);
  const Y = F(Array.from({ length: n }, (_, i) => Math.sin(6 * X[i * d]!) - X[i * d + 1]!));
  const gp = createGp({
    X,
    n,
    d,
    Y,
    Yvar: null,
    hyperparameters: { lengthscales: [0.3, 0.6], outputscale: 1.1, constantMean: 0.1, noiseVariance: 1e-4 },
  });
  const Xstar = uniformPoints(m, d, 42);

  it("gives the per-point means bit for bit and their variances to rounding", () => {
    const batch = gp.predictValues(Xstar, m);
    for (let j = 0; j < m; j++) {
      const one = gp.predictValue(Xstar.slice(j * d, (j + 1) * d));
      expect(batch.mean[j]).toBe(one.mean);
      expect(Math.abs(batch.variance[j]! - one.variance)).toBeLessThanOrEqual(
        1e-12 * gp.outcomeTransform.std ** 2,
      );
    }
  });

  it("gives predictWithGradient the joint posterior's marginals and gradients matching central differences", () => {
    const joint = gp.jointPosterior(Xstar, m);
    const h = 1e-6;
    for (let j = 0; j < m; j += 5) {
      const x = Xstar.slice(j * d, (j + 1) * d);
      const p = gp.predictWithGradient(x);
      const { mean, variance } = p;
      const dMean = Float64Array.from(p.dMean);
      const dVariance = Float64Array.from(p.dVariance);
      expect(mean).toBeCloseTo(joint.mean[j]!, 12);
      expect(Math.abs(variance - joint.covariance[j * m + j]!)).toBeLessThanOrEqual(1e-12);
      expect(gp.predictValue(x).variance).toBe(variance);
      for (let i = 0; i < d; i++) {
        const up = x.slice();
        const down = x.slice();
        up[i]! += h;
        down[i]! -= h;
        const pu = gp.predictValue(up);
        const mu = pu.mean;
        const vu = pu.variance;
        const pd = gp.predictValue(down);
        expect((mu - pd.mean) / (2 * h)).toBeCloseTo(dMean[i]!, 5);
        expect((vu - pd.variance) / (2 * h)).toBeCloseTo(dVariance[i]!, 5);
      }
    }
  });
});
