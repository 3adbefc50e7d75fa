import { describe, expect, it } from "vitest";
import { LogExpectedImprovement, toMinimizationObjective } from "../../../src/numerics/acquisition/index.js";
import { normalCdf, normalPdf } from "../../../src/numerics/stats/index.js";
import { ConstantSurrogate, centralGradient, maxRelativeDifference, QuadraticSurrogate } from "./fakes.js";

const x1 = new Float64Array([0]);

describe("LogExpectedImprovement", () => {
  it("equals log of the closed-form EI = σ(zΦ(z) + φ(z)) where that is computable", () => {
    for (const [mean, variance, best] of [
      [0, 1, 0],
      [1.3, 0.25, 0.2],
      [-2, 4, 3],
      [5, 1e-4, 5.001],
      [0.1, 2, -7],
    ] as const) {
      const sigma = Math.sqrt(variance);
      const z = (mean - best) / sigma;
      const ei = sigma * (z * normalCdf(z) + normalPdf(z));
      const value = new LogExpectedImprovement(new ConstantSurrogate(mean, variance), best).evaluate(x1);
      expect(value).toBeCloseTo(Math.log(ei), 12);
    }
  });

  it("stays finite and strictly decreasing as z goes to −1e3 and far beyond", () => {
    let previous = Number.POSITIVE_INFINITY;
    for (const z of [-5, -30, -40, -100, -1e3, -1e5, -1e10, -1e100, -1e149]) {
      const value = new LogExpectedImprovement(new ConstantSurrogate(z, 1), 0).evaluate(x1);
      expect(Number.isFinite(value), `z = ${z}`).toBe(true);
      expect(value).toBeLessThan(previous);
      previous = value;
    }
    // Beyond the clamp and at a zero variance: still finite, never NaN.
    for (const [m, v] of [
      [-1e300, 1],
      [-1, 0],
      [1, 0],
      [-1, -1e-20],
    ] as const) {
      const grad = new Float64Array(1);
      const value = new LogExpectedImprovement(new ConstantSurrogate(m, v), 0).evaluate(x1, grad);
      expect(Number.isFinite(value)).toBe(true);
      expect(Number.isFinite(grad[0]!)).toBe(true);
    }
  });

  it("tends to log(μ − bestF) as the variance vanishes", () => {
    const value = new LogExpectedImprovement(new ConstantSurrogate(3, 0), 1).evaluate(x1);
    expect(value).toBeCloseTo(Math.log(2), 12);
  });

  it("has the gradient of central finite differences, also deep in the tail", () => {
    const center = new Float64Array([0.3, -0.2, 0.5]);
    const surrogate = new QuadraticSurrogate(center, 1, 2, 0.01, 0.5);
    for (const best of [0.5, 1.2, 30, 3e3]) {
      const acq = new LogExpectedImprovement(surrogate, best);
      for (const x of [new Float64Array([0.1, 0.2, 0.3]), new Float64Array([1.5, -1, 0])]) {
        const grad = new Float64Array(3);
        acq.evaluate(x, grad);
        const fd = centralGradient((y) => acq.evaluate(y), x);
        expect(maxRelativeDifference(grad, fd), `best ${best}`).toBeLessThan(1e-6);
      }
    }
  });

  it("adapts to the minimizers by negation", () => {
    const acq = new LogExpectedImprovement(
      new QuadraticSurrogate(new Float64Array([0]), 1, 1, 0.1, 0.1),
      0.5,
    );
    const x = new Float64Array([0.4]);
    const grad = new Float64Array(1);
    const g2 = new Float64Array(1);
    const f = toMinimizationObjective(acq)(x, grad);
    expect(f).toBe(-acq.evaluate(x, g2));
    expect(grad[0]).toBe(-g2[0]!);
  });
});
