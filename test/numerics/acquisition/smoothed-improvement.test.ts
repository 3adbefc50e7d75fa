import { describe, expect, it } from "vitest";
import { QLogNoisyExpectedImprovement } from "../../../src/numerics/acquisition/index.js";
import {
  dLogFatplus,
  fatplusWeights,
  logFatplus,
  logSumFatplus,
} from "../../../src/numerics/acquisition/smoothed-improvement.js";
import { logsumexp } from "../../../src/numerics/stats/index.js";
import { Rng } from "../../../src/util/rng.js";
import { ExactRbfGp } from "./fakes.js";

/** u values as qLogNEI makes them: (f − best)/τ with τ = 1e-6, most far below zero, a few above. */
function improvements(S: number, seed: number, spread: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: S }, () => (rng.normal() * spread - 0.5 * spread) / 1e-6);
}

describe("logSumFatplus", () => {
  const logTau = Math.log(1e-6);
  for (const [label, u] of [
    ["mixed signs", improvements(128, 1, 0.1)],
    ["every sample in the far tail", improvements(64, 2, 1e-3).map((v) => v - 1e4)],
    ["samples near zero and in the tail", Float64Array.from([-50, -900, 3, -1e5, -1e200, 0.5, -801])],
  ] as const) {
    it(`equals logsumexp of log τ + logFatplus, and its weights exp(li − lse)·dLogFatplus (${label})`, () => {
      const S = u.length;
      const naive = Float64Array.from(u, (v) => logTau + logFatplus(v));
      const reference = logsumexp(naive, S);
      const li = new Float64Array(S);
      const lse = logSumFatplus(u, S, logTau, li);
      expect(Math.abs(lse - reference)).toBeLessThan(1e-12 * Math.max(1, Math.abs(reference)));
      const g = new Float64Array(S);
      fatplusWeights(u, S, logTau, li, lse, g);
      for (let s = 0; s < S; s++) {
        const expected = Math.exp(naive[s]! - reference) * dLogFatplus(u[s]!);
        expect(Math.abs(g[s]! - expected), `sample ${s}`).toBeLessThanOrEqual(
          1e-12 * Math.abs(expected) + 1e-300,
        );
      }
    });
  }

  it("is NaN when a sample is NaN", () => {
    const u = Float64Array.from([-1e4, Number.NaN, 2]);
    expect(logSumFatplus(u, 3, 0, new Float64Array(3))).toBeNaN();
  });
});

describe("QLogNoisyExpectedImprovement.screenMany", () => {
  const X = Float64Array.from([0.05, 0.3, 0.45, 0.7, 0.95]);
  const y = Float64Array.from([0.2, 0.9, 0.6, -0.3, 0.1]);
  const gp = new ExactRbfGp(X, 5, 1, y, 0.2, 1, 1e-2);
  const grid = Float64Array.from({ length: 41 }, (_, i) => i / 40);

  it("equals evaluateMany when it screens on every sample", () => {
    const acq = new QLogNoisyExpectedImprovement(gp, { baseline: X, dimension: 1, screeningSamples: 128 });
    expect(Array.from(acq.screenMany(grid, 41))).toEqual(Array.from(acq.evaluateMany(grid, 41)));
  });

  it("on its default 32 samples, estimates the values and picks the same best points of a grid", () => {
    const acq = new QLogNoisyExpectedImprovement(gp, { baseline: X, dimension: 1 });
    expect(acq.screeningSamples).toBe(32);
    const full = acq.evaluateMany(grid, 41);
    const screened = acq.screenMany(grid, 41);
    expect(Array.from(screened)).not.toEqual(Array.from(full));
    const top = (v: Float64Array) => [...v.keys()].sort((a, b) => v[b]! - v[a]!).slice(0, 3);
    expect(top(screened)).toEqual(top(full));
  });
});
