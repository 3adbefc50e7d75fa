import { describe, expect, it } from "vitest";
import {
  LogExpectedImprovement,
  QLogNoisyExpectedImprovement,
} from "../../../src/numerics/acquisition/index.js";
import { Rng } from "../../../src/util/rng.js";
import { centralGradient, ExactRbfGp, maxRelativeDifference } from "./fakes.js";

function randomData(n: number, d: number, seed: number): { X: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = rng.next();
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += Math.sin(3 * X[i * d + k]! + k);
    y[i] = s + 0.1 * rng.normal();
  }
  return { X, y };
}

// 1-D noiseless data: the analytic LogEI is the limit of qLogNEI.
const X1 = new Float64Array([0.05, 0.3, 0.45, 0.7, 0.95]);
const y1 = new Float64Array([0.2, 0.9, 0.6, -0.3, 0.1]);
const gp1 = new ExactRbfGp(X1, 5, 1, y1, 0.2, 1, 1e-8);

describe("QLogNoisyExpectedImprovement value", () => {
  it("approaches analytic LogEI for zero noise, no pending points, small temperatures and many samples", () => {
    const acq = new QLogNoisyExpectedImprovement(gp1, { baseline: X1, dimension: 1, numSamples: 1024 });
    let best = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < 5; i++) best = Math.max(best, gp1.predictWithGradient(X1.subarray(i, i + 1)).mean);
    const logEI = new LogExpectedImprovement(gp1, best);
    // Where EI is not tiny (log EI > −10): observed differences 1e-3 at S = 1024, 1e-4 at S = 4096.
    for (const t of [0.2, 0.38, 1.2, -0.3]) {
      const x = new Float64Array([t]);
      expect(logEI.evaluate(x)).toBeGreaterThan(-10);
      expect(Math.abs(acq.evaluate(x) - logEI.evaluate(x)), `x = ${t}`).toBeLessThan(0.02);
    }
    // Where EI ~ 1e-9, no sample improves and the fat tail sets a floor below it, still finite.
    const tiny = new Float64Array([0.55]);
    expect(acq.evaluate(tiny)).toBeLessThan(logEI.evaluate(tiny));
    expect(Number.isFinite(acq.evaluate(tiny))).toBe(true);
  });

  it("is deterministic for fixed base samples, and evaluateBatch with q = 1 agrees", () => {
    const { X, y } = randomData(12, 3, 1);
    const gp = new ExactRbfGp(X, 12, 3, y, 0.4, 1, 0.01);
    const options = { baseline: X, dimension: 3, seed: 5, maxBatchSize: 2 };
    const a = new QLogNoisyExpectedImprovement(gp, options);
    const b = new QLogNoisyExpectedImprovement(gp, options);
    const x = new Float64Array([0.2, 0.5, 0.9]);
    expect(a.evaluate(x)).toBe(b.evaluate(x));
    expect(a.evaluate(x)).toBe(a.evaluate(x));
    expect(a.evaluateBatch(x, 1)).toBeCloseTo(a.evaluate(x), 6);
    // A second candidate can only add to the smooth max improvement.
    const pair = new Float64Array([0.2, 0.5, 0.9, 0.8, 0.1, 0.3]);
    expect(a.evaluateBatch(pair, 2)).toBeGreaterThan(a.evaluate(x) - 1e-9);
  });

  it("stays finite at a baseline point, far away and for a tiny improvement", () => {
    const acq = new QLogNoisyExpectedImprovement(gp1, { baseline: X1, dimension: 1 });
    for (const t of [0.3, 0.05, 40, -1e3]) {
      const grad = new Float64Array(1);
      const value = acq.evaluate(new Float64Array([t]), grad);
      expect(Number.isFinite(value), `x = ${t}`).toBe(true);
      expect(Number.isFinite(grad[0]!), `x = ${t}`).toBe(true);
    }
  });

  it("is lowered by a pending point near that point more than far from it (diverse batches)", () => {
    const without = new QLogNoisyExpectedImprovement(gp1, { baseline: X1, dimension: 1 });
    let argmax = 0;
    let top = Number.NEGATIVE_INFINITY;
    for (let i = 0; i <= 100; i++) {
      const v = without.evaluate(new Float64Array([i / 100]));
      if (v > top) [top, argmax] = [v, i / 100];
    }
    const pending = new Float64Array([argmax]);
    const withPending = new QLogNoisyExpectedImprovement(gp1, { baseline: X1, pending, dimension: 1 });
    const drop = (t: number) =>
      without.evaluate(new Float64Array([t])) - withPending.evaluate(new Float64Array([t]));
    const far = argmax > 0.5 ? 0.02 : 0.98;
    expect(drop(argmax + 0.01)).toBeGreaterThan(1);
    expect(drop(argmax + 0.01)).toBeGreaterThan(drop(far) + 1);
  });
});

describe("QLogNoisyExpectedImprovement gradient", () => {
  it("matches central finite differences (noisy GP, pending points, d = 3)", () => {
    const { X, y } = randomData(15, 3, 2);
    const gp = new ExactRbfGp(X, 15, 3, y, 0.4, 1, 0.01);
    const pending = new Float64Array([0.5, 0.5, 0.5, 0.1, 0.9, 0.2]);
    for (const tauRelu of [1e-6, 1e-2]) {
      const acq = new QLogNoisyExpectedImprovement(gp, { baseline: X, pending, dimension: 3, tauRelu });
      const rng = new Rng(3);
      for (let trial = 0; trial < 5; trial++) {
        const x = new Float64Array([rng.next(), rng.next(), rng.next()]);
        const grad = new Float64Array(3);
        acq.evaluate(x, grad);
        const fd = centralGradient((z) => acq.evaluate(z), x, 1e-6);
        expect(maxRelativeDifference(grad, fd), `τ = ${tauRelu}, trial ${trial}`).toBeLessThan(1e-4);
      }
    }
  });

  it("matches central finite differences far from the data, where the improvement is tiny", () => {
    const acq = new QLogNoisyExpectedImprovement(gp1, { baseline: X1, dimension: 1 });
    for (const t of [1.6, -0.8, 3]) {
      const x = new Float64Array([t]);
      const grad = new Float64Array(1);
      acq.evaluate(x, grad);
      const fd = centralGradient((z) => acq.evaluate(z), x, 1e-6);
      expect(maxRelativeDifference(grad, fd), `x = ${t}`).toBeLessThan(1e-4);
    }
  });
});
