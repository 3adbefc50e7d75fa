import { describe, expect, it } from "vitest";
import { NumericalError } from "../../../src/errors.js";
import { minimizeBounded, type ObjectiveFunction } from "../../../src/numerics/optim/index.js";
import { Rng } from "../../../src/util/rng.js";
import { maxAbsDiff, quadraticLogSumExp, reference, rosenbrock, rowViolation } from "./problems.js";

/** Wraps f to record every point it is evaluated at. */
function recording(f: ObjectiveFunction): { f: ObjectiveFunction; points: Float64Array[] } {
  const points: Float64Array[] = [];
  return {
    points,
    f: (x, g) => {
      points.push(Float64Array.from(x));
      return f(x, g);
    },
  };
}

const negativeSum: ObjectiveFunction = (x, g) => {
  g.fill(-1);
  return -(x[0]! + x[1]!);
};

describe("linear inequality constraints", () => {
  const sumAtMostOne = { A: Float64Array.from([1, 1]), b: Float64Array.from([1]) };

  it.each([
    [0, 0],
    [0.2, 0.1],
    [1, 0],
  ])("min −(x₁ + x₂) s.t. x₁ + x₂ ≤ 1 on [0, 1]² from (%d, %d) ends on the constraint", (a, b) => {
    const rec = recording(negativeSum);
    const r = minimizeBounded(rec.f, [a, b], { lower: 0, upper: 1, linearInequalities: sumAtMostOne });
    expect(r.f).toBeCloseTo(-1, 9);
    expect(r.converged).toBe(true);
    for (const p of rec.points) {
      expect(rowViolation(sumAtMostOne.A, sumAtMostOne.b, p)).toBeLessThanOrEqual(1e-9);
      for (const v of p) expect(v >= 0 && v <= 1).toBe(true);
    }
  });

  it("10-D convex problem with 3 active constraints matches SLSQP, and every evaluated point is feasible", () => {
    const p = reference.linearConstrained;
    const A = Float64Array.from(p.A);
    const b = Float64Array.from(p.b);
    const rec = recording(quadraticLogSumExp(p.Q, p.t));
    const r = minimizeBounded(rec.f, p.x0, {
      lower: p.lower,
      upper: p.upper,
      linearInequalities: { A, b },
      gradientTolerance: 1e-9,
      relativeFunctionTolerance: 1e-15,
    });
    expect(maxAbsDiff(r.x, p.x)).toBeLessThan(1e-5);
    expect(Math.abs(r.f - p.f)).toBeLessThan(1e-8 * Math.abs(p.f));
    expect(r.gradientNorm).toBeLessThan(1e-6);
    for (const x of rec.points) expect(rowViolation(A, b, x)).toBeLessThanOrEqual(1e-9);
    // All three rows are active at the optimum.
    for (let i = 0; i < 3; i++)
      expect(
        rowViolation(
          A,
          b.map((v) => v - 1e-7),
          r.x,
        ),
      ).toBeGreaterThan(0);
  });

  it("order constraints x₀ ≤ x₁ ≤ … ≤ x₄ against an objective that wants the reverse order", () => {
    const n = 5;
    const A = new Float64Array((n - 1) * n);
    for (let i = 0; i < n - 1; i++) {
      A[i * n + i] = 1;
      A[i * n + i + 1] = -1;
    }
    const b = new Float64Array(n - 1);
    const target = [0.9, 0.7, 0.5, 0.3, 0.1];
    const f: ObjectiveFunction = (x, g) => {
      let s = 0;
      for (let j = 0; j < n; j++) {
        g[j] = 2 * (x[j]! - target[j]!);
        s += (x[j]! - target[j]!) ** 2;
      }
      return s;
    };
    const r = minimizeBounded(f, [0.1, 0.2, 0.3, 0.4, 0.5], {
      lower: 0,
      upper: 1,
      linearInequalities: { A, b },
    });
    // The isotonic fit of a decreasing target is its mean, 0.5, everywhere.
    expect(maxAbsDiff(r.x, [0.5, 0.5, 0.5, 0.5, 0.5])).toBeLessThan(1e-6);
    expect(rowViolation(A, b, r.x)).toBeLessThanOrEqual(1e-9);
  });

  it("keeps random feasible runs feasible on a nonconvex objective", () => {
    const rng = new Rng(3);
    const n = 8;
    for (let trial = 0; trial < 10; trial++) {
      const k = 3;
      const A = Float64Array.from({ length: k * n }, () => rng.normal());
      const x0 = Float64Array.from({ length: n }, () => rng.next() * 2 - 1);
      // b so that x0 is feasible with some slack.
      const b = Float64Array.from({ length: k }, (_, i) => {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[i * n + j]! * x0[j]!;
        return s + 0.1 * rng.next();
      });
      const rec = recording(rosenbrock);
      const r = minimizeBounded(rec.f, x0, {
        lower: -2,
        upper: 2,
        linearInequalities: { A, b },
        relativeFunctionTolerance: 1e-14,
      });
      for (const x of rec.points) expect(rowViolation(A, b, x)).toBeLessThanOrEqual(1e-9);
      expect(r.f).toBeLessThanOrEqual(rosenbrock(x0, new Float64Array(n)));
      expect(r.gradientNorm).toBeLessThan(1e-4);
      expect(r.converged).toBe(true);
    }
  });

  it("projects an infeasible start onto the feasible set", () => {
    const rec = recording(negativeSum);
    const r = minimizeBounded(rec.f, [1, 1], { lower: 0, upper: 1, linearInequalities: sumAtMostOne });
    expect(rec.points[0]![0]! + rec.points[0]![1]!).toBeCloseTo(1, 12);
    expect(rowViolation(sumAtMostOne.A, sumAtMostOne.b, r.x)).toBeLessThanOrEqual(1e-9);
  });

  it("throws NumericalError when the constraints and bounds leave no feasible point", () => {
    const linearInequalities = { A: Float64Array.from([1, 1]), b: Float64Array.from([-1]) };
    expect(() =>
      minimizeBounded(negativeSum, [0.5, 0.5], { lower: 0, upper: 1, linearInequalities }),
    ).toThrow(NumericalError);
  });

  it("treats an empty constraint set (k = 0) as bounds only", () => {
    const r = minimizeBounded(negativeSum, [0.2, 0.3], {
      lower: 0,
      upper: 1,
      linearInequalities: { A: new Float64Array(0), b: new Float64Array(0) },
    });
    expect(Array.from(r.x)).toEqual([1, 1]);
  });
});
