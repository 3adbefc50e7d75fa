import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  minimizeBounded,
  type ObjectiveFunction,
  TerminationReason,
} from "../../../src/numerics/optim/index.js";
import { Rng } from "../../../src/util/rng.js";
import { rosenbrock } from "./problems.js";

/** A random smooth function: a convex quadratic plus Gaussian bumps (multimodal), gradient analytic. */
function randomSmooth(rng: Rng, n: number): ObjectiveFunction {
  const center = Array.from({ length: n }, () => rng.normal());
  const scale = Array.from({ length: n }, () => 0.1 + rng.next() * 3);
  const bumps = Array.from({ length: 3 }, () => ({
    c: Array.from({ length: n }, () => rng.normal()),
    h: 2 * rng.normal(),
    w: 0.2 + rng.next(),
  }));
  return (x, g) => {
    let f = 0;
    for (let j = 0; j < n; j++) {
      const dj = x[j]! - center[j]!;
      f += 0.5 * scale[j]! * dj * dj;
      g[j] = scale[j]! * dj;
    }
    for (const { c, h, w } of bumps) {
      let r2 = 0;
      for (let j = 0; j < n; j++) r2 += (x[j]! - c[j]!) ** 2;
      const e = h * Math.exp(-r2 / (2 * w * w));
      f += e;
      for (let j = 0; j < n; j++) g[j]! -= (e * (x[j]! - c[j]!)) / (w * w);
    }
    return f;
  };
}

const value = (f: ObjectiveFunction, x: ArrayLike<number>): number =>
  f(Float64Array.from(x), new Float64Array(x.length));

describe("never worse than the (projected) start", () => {
  it("holds for random smooth functions, boxes and starts (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.boolean(),
        (n, seed, bounded) => {
          const rng = new Rng(seed);
          const f = randomSmooth(rng, n);
          const lower = Array.from({ length: n }, () => -1 - 2 * rng.next());
          const upper = lower.map((l) => l + 0.5 + 3 * rng.next());
          const x0 = Array.from({ length: n }, () => 4 * rng.normal());
          const opts = bounded ? { lower, upper } : {};
          const r = minimizeBounded(f, x0, opts);
          const start = bounded ? x0.map((v, j) => Math.min(upper[j]!, Math.max(lower[j]!, v))) : x0;
          expect(r.f).toBeLessThanOrEqual(value(f, start));
          expect(r.f).toBe(value(f, r.x));
          if (bounded) {
            for (let j = 0; j < n; j++) {
              expect(r.x[j]).toBeGreaterThanOrEqual(lower[j]!);
              expect(r.x[j]).toBeLessThanOrEqual(upper[j]!);
            }
          }
        },
      ),
      { numRuns: 150, seed: 20240601 },
    );
  });

  it("holds, with no step taken, when the gradient is wrong", () => {
    const wrong: ObjectiveFunction = (x, g) => {
      const f = rosenbrock(x, g);
      for (let j = 0; j < x.length; j++) g[j] = -g[j]!;
      return f;
    };
    const r = minimizeBounded(wrong, [-1.2, 1]);
    expect(r.reason).toBe(TerminationReason.LINE_SEARCH_FAILED);
    expect(r.converged).toBe(false);
    expect(Array.from(r.x)).toEqual([-1.2, 1]);
    expect(r.f).toBeCloseTo(24.2, 12);
  });
});

describe("non-finite values", () => {
  it("backs off from a region where f is NaN and still converges", () => {
    // −log x + x: NaN for x < 0 (where a long gradient step lands), minimum at x = 1.
    const f: ObjectiveFunction = (x, g) => {
      g[0] = -1 / x[0]! + 1;
      return -Math.log(x[0]!) + x[0]!;
    };
    const r = minimizeBounded(f, [0.05]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
  });

  it("returns the best finite point when the minimum lies beyond a NaN wall", () => {
    const f: ObjectiveFunction = (x, g) => {
      if (x[0]! + x[1]! > 1) {
        g.fill(Number.NaN);
        return Number.NaN;
      }
      g[0] = 2 * (x[0]! - 2);
      g[1] = 2 * (x[1]! - 2);
      return (x[0]! - 2) ** 2 + (x[1]! - 2) ** 2;
    };
    const r = minimizeBounded(f, [0, 0]);
    expect(Number.isFinite(r.f)).toBe(true);
    expect(r.f).toBeLessThan(8);
    expect(r.x[0]! + r.x[1]!).toBeLessThanOrEqual(1);
    expect(r.x[0]! + r.x[1]!).toBeGreaterThan(0.99);
  });

  it("treats an infinite value or a NaN gradient like NaN", () => {
    const f: ObjectiveFunction = (x, g) => {
      g[0] = x[0]! > 3 ? Number.NaN : 2 * (x[0]! - 2);
      return x[0]! < -3 ? Number.POSITIVE_INFINITY : (x[0]! - 2) ** 2;
    };
    const r = minimizeBounded(f, [-2.9]);
    expect(r.x[0]).toBeCloseTo(2, 6);
  });

  it("stops at once when f is not finite at the start", () => {
    let calls = 0;
    const r = minimizeBounded(
      (x, g) => {
        calls++;
        g.fill(0);
        return x[0]! > 0.5 ? Number.NaN : 0;
      },
      [2, 0.3],
      { lower: [0, 0], upper: [1, 1] },
    );
    expect(r.reason).toBe(TerminationReason.NON_FINITE_START);
    expect(Array.from(r.x)).toEqual([1, 0.3]);
    expect(calls).toBe(1);
    expect(r.evaluations).toBe(1);
  });

  it("propagates exceptions thrown by f", () => {
    expect(() =>
      minimizeBounded(() => {
        throw new Error("boom");
      }, [0]),
    ).toThrow("boom");
  });
});
