import { describe, expect, it } from "vitest";
import {
  PREFILTER_MIN_POINTS,
  pruneInferiorPoints,
  QLogNoisyExpectedImprovement,
} from "../../../src/numerics/acquisition/index.js";
import { createGp } from "../../../src/numerics/gp/index.js";
import { Rng } from "../../../src/util/rng.js";

describe("pruneInferiorPoints", () => {
  const d = 2;
  const n = 60;
  const rng = new Rng(3);
  const X = Float64Array.from({ length: n * d }, () => rng.next());
  // One clear peak near (0.7, 0.3); noisy observations.
  const f = (i: number) => -8 * ((X[i * d]! - 0.7) ** 2 + (X[i * d + 1]! - 0.3) ** 2);
  const Y = Float64Array.from({ length: n }, (_, i) => f(i) + 0.05 * rng.normal());
  const gp = createGp({
    X,
    n,
    d,
    Y,
    Yvar: null,
    hyperparameters: { lengthscales: [0.4, 0.4], outputscale: 1, constantMean: 0, noiseVariance: 0.01 },
  });

  it("keeps the contenders for the best value, in order, and drops the rest", () => {
    const kept = pruneInferiorPoints(gp, X, n, d, { seed: 1 });
    const k = kept.length / d;
    expect(k).toBeGreaterThanOrEqual(1);
    expect(k).toBeLessThan(n / 2);
    const { mean } = gp.predict(X, n);
    const best = mean.indexOf(Math.max(...mean));
    const rows = Array.from({ length: k }, (_, r) => Array.from(kept.subarray(r * d, (r + 1) * d)));
    expect(rows).toContainEqual(Array.from(X.subarray(best * d, (best + 1) * d)));
    // Every kept point has a posterior mean close to the best one (within a few posterior sds).
    for (const row of rows) {
      const p = gp.predict(F(row), 1);
      expect(p.mean[0]!).toBeGreaterThan(mean[best]! - 1);
    }
    expect(pruneInferiorPoints(gp, X, n, d, { seed: 1 })).toEqual(kept);
  });

  it("leaves qLogNEI's value nearly unchanged", () => {
    const plain = new QLogNoisyExpectedImprovement(gp, { baseline: X, dimension: d, seed: 2 });
    const pruned = new QLogNoisyExpectedImprovement(gp, {
      baseline: X,
      dimension: d,
      seed: 2,
      pruneBaseline: true,
    });
    expect(pruned.nb).toBeLessThan(plain.nb);
    const gradient = new Float64Array(d);
    for (const x of [F([0.7, 0.3]), F([0.65, 0.35]), F([0.2, 0.8])]) {
      const a = plain.evaluate(x);
      const b = pruned.evaluate(x);
      // The value-only path (no gradient asked) gives exactly the value of the gradient path.
      expect(plain.evaluate(x, gradient)).toBe(a);
      expect(Math.abs(a - b)).toBeLessThan(0.1 * Math.max(1, Math.abs(a)));
    }
  });
});

describe("pruneInferiorPoints above the marginal-prefilter threshold", () => {
  const d = 2;
  const n = 300;
  const rng = new Rng(8);
  const X = Float64Array.from({ length: n * d }, () => rng.next());
  const f = (i: number) => -8 * ((X[i * d]! - 0.3) ** 2 + (X[i * d + 1]! - 0.6) ** 2);
  const Y = Float64Array.from({ length: n }, (_, i) => f(i) + 0.02 * rng.normal());
  const gp = createGp({
    X,
    n,
    d,
    Y,
    Yvar: null,
    hyperparameters: { lengthscales: [0.4, 0.4], outputscale: 1, constantMean: 0, noiseVariance: 4e-4 },
  });

  it("keeps the contenders only, the best marginal mean among them", () => {
    expect(n).toBeGreaterThan(PREFILTER_MIN_POINTS);
    const kept = pruneInferiorPoints(gp, X, n, d, { seed: 1 });
    const k = kept.length / d;
    expect(k).toBeGreaterThanOrEqual(1);
    expect(k).toBeLessThan(30);
    const { mean } = gp.predict(X, n);
    const best = mean.indexOf(Math.max(...mean));
    const rows = Array.from({ length: k }, (_, r) => Array.from(kept.subarray(r * d, (r + 1) * d)));
    expect(rows).toContainEqual(Array.from(X.subarray(best * d, (best + 1) * d)));
    // The unfiltered pruning, on the points the filter keeps plus all the others, keeps nothing else:
    // the filter only drops points that are far below the best.
    const { variance } = gp.predict(X, n);
    const lower = Math.max(...Array.from(mean, (m, i) => m - 4 * Math.sqrt(variance[i]!)));
    for (const row of rows) {
      const p = gp.predict(F(row), 1);
      expect(p.mean[0]! + 4 * Math.sqrt(p.variance[0]!)).toBeGreaterThanOrEqual(lower);
    }
  });

  it("nearly agrees with the unfiltered joint pruning", () => {
    const filtered = pruneInferiorPoints(gp, X, n, d, { seed: 1 });
    const joint = pruneInferiorPoints(gp, X, n, d, { seed: 1, marginalPrefilter: false });
    // Different factorizations sample the kept rows differently: points near the 1/256 threshold may
    // come or go, the clear contenders are the same.
    const rowsOf = (A: Float64Array) =>
      new Set(Array.from({ length: A.length / d }, (_, r) => A.subarray(r * d, (r + 1) * d).join(",")));
    const a = rowsOf(filtered);
    const b = rowsOf(joint);
    const common = [...a].filter((r) => b.has(r)).length;
    expect(common).toBeGreaterThanOrEqual(Math.max(a.size, b.size) - 2);
  });
});

function F(values: number[]): Float64Array {
  return Float64Array.from(values);
}
