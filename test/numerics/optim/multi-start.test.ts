import { describe, expect, it } from "vitest";
import {
  minimizeBounded,
  multiStartMinimize,
  type ObjectiveFunction,
} from "../../../src/numerics/optim/index.js";
import { Rng } from "../../../src/util/rng.js";
import { hartmann6 } from "./problems.js";

/** 1-D, on [−3, 3]: 0.1x² − cos(3x) has seven local minima; the global one is x = 0, f = −1. */
const wavy: ObjectiveFunction = (x, g) => {
  g[0] = 0.2 * x[0]! + 3 * Math.sin(3 * x[0]!);
  return 0.1 * x[0]! ** 2 - Math.cos(3 * x[0]!);
};

/** Six-hump camel on [−3, 3] × [−2, 2]: global minimum −1.0316 at ±(0.0898, −0.7126). */
const camel: ObjectiveFunction = (x, g) => {
  const a = x[0]!;
  const b = x[1]!;
  g[0] = 8 * a - 8.4 * a ** 3 + 2 * a ** 5 + b;
  g[1] = a - 8 * b + 16 * b ** 3;
  return (4 - 2.1 * a * a + a ** 4 / 3) * a * a + a * b + (-4 + 4 * b * b) * b * b;
};

function uniformStarts(rng: Rng, k: number, lower: number[], upper: number[]): Float64Array {
  const d = lower.length;
  const X = new Float64Array(k * d);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < d; j++) X[i * d + j] = lower[j]! + rng.next() * (upper[j]! - lower[j]!);
  }
  return X;
}

describe("multiStartMinimize", () => {
  it("finds the global minimum of a 1-D multimodal function that a single start misses", () => {
    const options = { lower: [-3], upper: [3] };
    const single = minimizeBounded(wavy, [2.5], options);
    expect(single.f).toBeGreaterThan(-0.9); // the local minimum near x = 2.09
    const starts = Float64Array.from([2.5, -2.2, 1.1, -0.8, 2.9, -2.9]);
    const { best, results } = multiStartMinimize(wavy, starts, 6, 1, options);
    expect(best.f).toBeCloseTo(-1, 10);
    expect(best.x[0]).toBeCloseTo(0, 6);
    expect(results.some((r) => r.f > -0.9)).toBe(true);
  });

  it("finds the global minimum of the six-hump camel that a single start misses", () => {
    const options = { lower: [-3, -2], upper: [3, 2] };
    const single = minimizeBounded(camel, [-1.7, 0.8], options);
    expect(single.f).toBeCloseTo(-0.2155, 3);
    const starts = uniformStarts(new Rng(1), 10, options.lower, options.upper);
    starts.set([-1.7, 0.8], 0);
    const { best } = multiStartMinimize(camel, starts, 10, 2, options);
    expect(best.f).toBeCloseTo(-1.031628453, 8);
    expect(Math.abs(best.x[0]!)).toBeCloseTo(0.0898, 4);
  });

  it("ranks every run by f, reports start indices and total evaluations", () => {
    const starts = uniformStarts(new Rng(2), 10, [0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]);
    const out = multiStartMinimize(hartmann6, starts, 10, 6, { lower: 0, upper: 1 });
    expect(out.results).toHaveLength(10);
    expect(out.best).toBe(out.results[0]);
    expect(out.best.f).toBeCloseTo(-3.32237, 5);
    for (let i = 1; i < 10; i++) expect(out.results[i]!.f).toBeGreaterThanOrEqual(out.results[i - 1]!.f);
    expect([...out.startIndices].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(out.evaluations).toBe(out.results.reduce((s, r) => s + r.evaluations, 0));
    expect(out.skipped).toBe(0);
  });

  it("shares a total evaluation budget across starts", () => {
    const starts = uniformStarts(new Rng(3), 8, [0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]);
    let calls = 0;
    const counted: ObjectiveFunction = (x, g) => {
      calls++;
      return hartmann6(x, g);
    };
    const out = multiStartMinimize(counted, starts, 8, 6, { lower: 0, upper: 1, maxTotalEvaluations: 40 });
    expect(out.evaluations).toBe(calls);
    expect(calls).toBeLessThanOrEqual(40);
    expect(out.results.length + out.skipped).toBe(8);
    const tiny = multiStartMinimize(counted, starts, 8, 6, { lower: 0, upper: 1, maxTotalEvaluations: 3 });
    expect(tiny.evaluations).toBeLessThanOrEqual(3);
    expect(tiny.skipped).toBe(5);
  });

  it("ranks runs that could not start (NaN at the start) last", () => {
    const f: ObjectiveFunction = (x, g) => {
      g[0] = 2 * x[0]!;
      return x[0]! > 0.5 ? Number.NaN : x[0]! ** 2;
    };
    const out = multiStartMinimize(f, Float64Array.from([0.9, 0.3]), 2, 1, { lower: [-1], upper: [1] });
    expect(out.startIndices).toEqual([1, 0]);
    expect(out.best.f).toBeCloseTo(0, 10);
    expect(Number.isNaN(out.results[1]!.f)).toBe(true);
  });

  it("rejects starts of the wrong shape", () => {
    expect(() => multiStartMinimize(wavy, new Float64Array(5), 2, 3)).toThrow(RangeError);
    expect(() => multiStartMinimize(wavy, new Float64Array(0), 0, 1)).toThrow(RangeError);
  });
});
