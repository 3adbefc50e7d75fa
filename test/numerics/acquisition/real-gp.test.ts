/** The acquisition functions on the real GP (fitted Matérn-5/2 model), not the fake RBF GP of fakes.ts. */
import { describe, expect, it } from "vitest";
import {
  type JointSurrogate,
  LogExpectedImprovement,
  QLogNoisyExpectedImprovement,
} from "../../../src/numerics/acquisition/index.js";
import { fitGp } from "../../../src/numerics/gp/index.js";
import { Rng } from "../../../src/util/rng.js";
import { centralGradient, maxRelativeDifference } from "./fakes.js";

const d = 3;
const n = 16;

/** Noisy 3-D data: a smooth function on the unit cube plus N(0, 0.05²) noise. */
function noisyData(): { X: Float64Array; Y: Float64Array } {
  const rng = new Rng(7);
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = rng.next();
  const Y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [a, b, c] = [X[i * d]!, X[i * d + 1]!, X[i * d + 2]!];
    Y[i] = Math.sin(3 * a) + 0.5 * Math.cos(4 * b) - (c - 0.4) ** 2 + 0.05 * rng.normal();
  }
  return { X, Y };
}

const { X, Y } = noisyData();
const gp = fitGp({ X, n, d, Y, Yvar: null });
// Compile-time check: the fitted model is what qLogNEI consumes.
const surrogate: JointSurrogate = gp;
const outcomeScale = gp.outcomeTransform.std;
const pending = new Float64Array([0.5, 0.5, 0.5, 0.15, 0.85, 0.3]);

/** Random points of the unit cube, then two in the promising region (where the improvement is not tiny). */
function testPoints(count: number, seed: number): Float64Array[] {
  const rng = new Rng(seed);
  const points = Array.from({ length: count }, () => new Float64Array([rng.next(), rng.next(), rng.next()]));
  return [...points, new Float64Array([0.5, 0.05, 0.4]), new Float64Array([0.55, 0.12, 0.3])];
}

describe("acquisition functions on a fitted GP", () => {
  it("LogEI has the gradient of central finite differences", () => {
    // Incumbent: the best posterior mean at an observed input (Y itself is noisy).
    const best = Math.max(...gp.predict(X, n).mean);
    const acq = new LogExpectedImprovement(surrogate, best, { outcomeScale });
    for (const [trial, x] of testPoints(4, 1).entries()) {
      const grad = new Float64Array(d);
      const value = acq.evaluate(x, grad);
      expect(Number.isFinite(value)).toBe(true);
      const fd = centralGradient((z) => acq.evaluate(z), x, 1e-6);
      expect(maxRelativeDifference(grad, fd), `trial ${trial}`).toBeLessThan(1e-5);
    }
  });

  it("qLogNEI with two pending points is finite and has the gradient of central finite differences", () => {
    for (const tauRelu of [1e-6, 1e-2]) {
      const acq = new QLogNoisyExpectedImprovement(surrogate, {
        baseline: X,
        pending,
        dimension: d,
        outcomeScale,
        tauRelu,
      });
      for (const [trial, x] of testPoints(4, 2).entries()) {
        const grad = new Float64Array(d);
        const value = acq.evaluate(x, grad);
        expect(Number.isFinite(value), `τ = ${tauRelu}, trial ${trial}`).toBe(true);
        expect(grad.every(Number.isFinite)).toBe(true);
        const fd = centralGradient((z) => acq.evaluate(z), x, 1e-6);
        expect(maxRelativeDifference(grad, fd), `τ = ${tauRelu}, trial ${trial}`).toBeLessThan(1e-4);
      }
    }
  });

  it("qLogNEI is lowered by a pending point near it more than far from it", () => {
    const options = { baseline: X, dimension: d, outcomeScale };
    const without = new QLogNoisyExpectedImprovement(surrogate, options);
    // The best of a grid, then that point made pending.
    let top = Number.NEGATIVE_INFINITY;
    let argmax = new Float64Array(d);
    const steps = 10;
    for (let a = 0; a <= steps; a++) {
      for (let b = 0; b <= steps; b++) {
        for (let c = 0; c <= steps; c++) {
          const x = new Float64Array([a / steps, b / steps, c / steps]);
          const v = without.evaluate(x);
          if (v > top) [top, argmax] = [v, x];
        }
      }
    }
    const withPending = new QLogNoisyExpectedImprovement(surrogate, { ...options, pending: argmax });
    const drop = (x: Float64Array) => without.evaluate(x) - withPending.evaluate(x);
    const near = argmax.map((t) => t + (t > 0.5 ? -0.02 : 0.02));
    // The corner farthest from the pending point.
    const far = argmax.map((t) => (t > 0.5 ? 0 : 1));
    // Observed: drop 3.9 near, 0.08 far.
    expect(drop(near)).toBeGreaterThan(1);
    expect(drop(near)).toBeGreaterThan(drop(far) + 1);
  });
});
